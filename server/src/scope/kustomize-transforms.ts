// The transforms a kustomization declares that change its objects' names, labels and replicas
// (`namePrefix`, `nameSuffix`, `commonLabels`, `labels`, `commonAnnotations`, `replicas`), read once with its unit
// (units.ts); kustomize-build.ts applies them.
import { isRecord } from '../manifest';

export interface LabelSet {
  pairs: Record<string, string>;
  /** `commonLabels`, or `labels` with `includeSelectors: true`: selectors and templates too. */
  selectors: boolean;
  /** `labels` with `includeTemplates: true`: pod templates too, selectors not. */
  templates: boolean;
}

export interface KustomizeTransforms {
  namePrefix: string;
  nameSuffix: string;
  labels: LabelSet[];
  /** `replicas:` by object name. */
  replicas: Map<string, number>;
  /** `commonAnnotations` (AnnotationsTransformer). */
  annotations: Record<string, string>;
}

/** The transforms a kustomization declares; undefined when it declares none kdry applies. */
export function transformsOf(config: Record<string, unknown>): KustomizeTransforms | undefined {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const pairs = (v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && typeof x !== 'object').map(([k, x]) => [k, String(x)])) : {});
  const labels: LabelSet[] = [];
  if (isRecord(config.commonLabels)) labels.push({ pairs: pairs(config.commonLabels), selectors: true, templates: true });
  for (const entry of Array.isArray(config.labels) ? config.labels : []) {
    if (!isRecord(entry)) continue;
    labels.push({ pairs: pairs(entry.pairs), selectors: entry.includeSelectors === true, templates: entry.includeSelectors === true || entry.includeTemplates === true });
  }
  const replicas = new Map<string, number>();
  for (const entry of Array.isArray(config.replicas) ? config.replicas : []) {
    if (isRecord(entry) && typeof entry.name === 'string' && typeof entry.count === 'number') replicas.set(entry.name, entry.count);
  }
  const annotations = pairs(config.commonAnnotations);
  const transforms = { namePrefix: text(config.namePrefix), nameSuffix: text(config.nameSuffix), labels: labels.filter((l) => Object.keys(l.pairs).length > 0), replicas, annotations };
  return transforms.namePrefix || transforms.nameSuffix || transforms.labels.length || replicas.size || Object.keys(annotations).length ? transforms : undefined;
}
