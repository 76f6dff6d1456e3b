// The changes a user can pick for a rollout without a git baseline (an image tag, the replica count,
// an env value), and the "after" text with that one edit applied. Pure: no vscode here.
import type { QuickPickItem } from 'vscode';
import { isMap, isSeq, isScalar, type Document } from 'yaml';
import type { WorkloadDocument } from './workloadDocuments';

export type Path = (string | number)[];

export interface ChangeItem extends QuickPickItem {
  path: Path;
  current: string;
  numeric?: boolean;
}

/** Where the pod template's spec lives for each workload kind. */
function podSpecPath(kind: string): Path {
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (kind === 'Pod') return ['spec'];
  return ['spec', 'template', 'spec'];
}

export function changeCandidates(workload: WorkloadDocument): ChangeItem[] {
  const doc = workload.document.yaml;
  const items: ChangeItem[] = [];
  const replicas = doc.getIn(['spec', 'replicas']);
  if (['Deployment', 'ReplicaSet', 'StatefulSet'].includes(workload.kind)) {
    items.push({ label: 'Replicas', description: String(replicas ?? 1), path: ['spec', 'replicas'], current: String(replicas ?? 1), numeric: true });
  }
  const specPath = podSpecPath(workload.kind);
  const containers = doc.getIn([...specPath, 'containers'], true);
  if (isSeq(containers)) {
    containers.items.forEach((container, i) => {
      if (!isMap(container)) return;
      const name = String(container.get('name') ?? `#${i}`);
      const image = container.get('image');
      if (typeof image === 'string') {
        items.push({ label: `Image tag of ${name}`, description: image, path: [...specPath, 'containers', i, 'image'], current: image });
      }
      const env = container.get('env', true);
      if (isSeq(env)) {
        env.items.forEach((variable, j) => {
          if (!isMap(variable)) return;
          const value = variable.get('value', true);
          if (!isScalar(value)) return;
          items.push({ label: `Env ${name}/${String(variable.get('name'))}`, description: String(value.value), path: [...specPath, 'containers', i, 'env', j, 'value'], current: String(value.value) });
        });
      }
    });
  }
  return items;
}

/** Returns the full file text with the one change applied inside the workload's document. */
export function applyChange(text: string, workload: WorkloadDocument, path: Path, value: string | number): string {
  const doc = workload.document.yaml.clone() as Document.Parsed;
  doc.setIn(path, value);
  const [start, end] = workload.range;
  const edited = doc.toString();
  const separatorNeeded = end < text.length && !edited.endsWith('\n');
  return text.slice(0, start) + edited + (separatorNeeded ? '\n' : '') + text.slice(end);
}

/** A plausible next tag to pre-fill: `nginx:1.27` -> `nginx:1.28`, else `:next`. */
export function nextImageTag(image: string): string {
  const colon = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  if (colon <= slash) return `${image}:next`;
  const tag = image.slice(colon + 1);
  const bumped = tag.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + 1));
  return `${image.slice(0, colon + 1)}${bumped === tag ? 'next' : bumped}`;
}
