// kustomize's built-in transformers know the fields of built-in kinds only
// (api/internal/konfig/builtinpluginconsts: commonlabels.go, namereference.go, replicas.go): an
// Argo Rollout's pod template gets no commonLabels, its configMapRef is not rewritten to a
// generated ConfigMap's hashed name, `replicas:` cannot name it. A kustomization's
// `configurations:` files add field specs for other kinds (Argo Rollouts ships
// docs/features/kustomize/rollout-transform.yaml for this); kustomize merges them into the
// transformer configs of that kustomization (api/internal/target/kusttarget.go
// makeCustomizedResMap -> builtinconfig.MakeTransformerConfig).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord, type ObjectPath } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { Unit } from './units';
import type { KustomizationProblem } from './kustomize-problem';

export interface FieldSpec {
  kind: string;
  path: ObjectPath;
  create: boolean;
}

/** The field specs a kustomization's `configurations:` adds, by transformer. */
export interface ConfiguredFieldSpecs {
  commonLabels: FieldSpec[];
  /** Fields that name an object, for any referenced kind (the name reference transformer rewrites them). */
  nameReference: FieldSpec[];
  replicas: FieldSpec[];
}

const NONE: ConfiguredFieldSpecs = { commonLabels: [], nameReference: [], replicas: [] };
const memo = new WeakMap<Unit, { workspace: WorkspaceIndex; revision: number; specs: ConfiguredFieldSpecs }>();

/** What `configurations:` of the kustomization adds (files kdry holds; others add nothing it knows). */
export function configuredFieldSpecs(workspace: WorkspaceIndex, unit: Unit): ConfiguredFieldSpecs {
  const files = unit.config?.configurations;
  if (!Array.isArray(files) || files.length === 0) return NONE;
  const cached = memo.get(unit);
  if (cached && cached.workspace === workspace && cached.revision === workspace.revision) return cached.specs;
  const specs: ConfiguredFieldSpecs = { commonLabels: [], nameReference: [], replicas: [] };
  for (const file of files) {
    if (typeof file !== 'string') continue;
    const config = workspace.get(pathToFileURL(resolve(unit.dir, file)).href)?.documents[0]?.value;
    if (!isRecord(config)) continue;
    specs.commonLabels.push(...fieldSpecs(config.commonLabels));
    specs.replicas.push(...fieldSpecs(config.replicas));
    for (const ref of Array.isArray(config.nameReference) ? config.nameReference : []) if (isRecord(ref)) specs.nameReference.push(...fieldSpecs(ref.fieldSpecs));
  }
  memo.set(unit, { workspace, revision: workspace.revision, specs });
  return specs;
}

function fieldSpecs(list: unknown): FieldSpec[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((s) => (isRecord(s) && typeof s.kind === 'string' && typeof s.path === 'string' ? [{ kind: s.kind, path: s.path.split('/').filter((p) => p !== ''), create: s.create === true }] : []));
}

/** Whether a kustomization of the chain configures the transformer for the kind. */
export function configuredFor(workspace: WorkspaceIndex, chain: readonly Unit[], transformer: keyof ConfiguredFieldSpecs, kind: string | undefined): boolean {
  return kind !== undefined && chain.some((u) => configuredFieldSpecs(workspace, u)[transformer].some((s) => s.kind === kind));
}

/**
 * A `configurations:` file that does not exist fails the build: kusttarget.go makeCustomizedResMap
 * loads each with the kustomization's loader (builtinconfig.MakeTransformerConfig), whose read error
 * ends `kustomize build`. A file the workspace does not hold may still exist (kdry reads YAML only
 * where it looks): only a missing one is certain, as for patch files.
 */
export function configurationProblems(workspace: WorkspaceIndex, unit: Unit): KustomizationProblem[] {
  const files = unit.config?.configurations;
  if (!Array.isArray(files)) return [];
  return files.flatMap((file, index): KustomizationProblem[] => {
    if (typeof file !== 'string' || file.trim() === '') return [];
    const path = resolve(unit.dir, file.trim());
    if (workspace.get(pathToFileURL(path).href) || existsSync(path)) return [];
    return [{ source: { field: 'configurations', index }, severity: 'error', message: `kustomize build fails: the configurations file "${file.trim()}" does not exist (kustomize loads each one to configure its transformers).` }];
  });
}
