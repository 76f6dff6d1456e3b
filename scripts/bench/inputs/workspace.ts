// The workspace of the bench: `apps` app folders of `filesPerApp` files each (a kustomization,
// then one resource a file: workloads, their Services, ConfigMaps), written to a folder. Opened
// in the editor with one file visible, the rest reach the server through its workspace scan.
// Seeded: the same tree on every run. With `namePrefix`, each kustomization renames its objects
// (`namePrefix: app-NN-`), so a reference from outside a folder names them as built; there each
// workload's mounted ConfigMap exists (its reference resolves), and the visible workload mounts one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { application } from './mixed-file';
import { Random } from './random';

export interface GeneratedWorkspace {
  root: string;
  files: number;
  /** The file the editor shows: an app's first workload. */
  visible: string;
  /** Renamed only: a file outside the apps whose Pods name their ConfigMaps as built (`app-NN-<name>`). */
  namingBuilt?: string;
}

export function writeWorkspace(root: string, apps = 20, filesPerApp = 100, seed = 23, { namePrefix = false } = {}): GeneratedWorkspace {
  const r = new Random(seed);
  let files = 0;
  let visible = '';
  let component = 0;
  const built: { name: string; namespace: string }[] = [];
  for (let a = 0; a < apps; a++) {
    const dir = join(root, `app-${String(a).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const resources: string[] = [];
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      resources.push(name);
      files++;
    };
    while (resources.length < filesPerApp - 1) {
      const docs = application(r, component++);
      const base = `component-${component}`;
      docs.forEach((d, i) => {
        if (resources.length < filesPerApp - 1) write(`${base}-${i === 0 ? 'workload' : 'service'}.yaml`, d);
      });
      // Renamed: the ConfigMap a workload's volume names is there, so its reference resolves.
      const mounted = namePrefix ? /configMap: \{ name: ([\w.-]+) \}/.exec(docs[0])?.[1] : undefined;
      const wanted = resources.length < filesPerApp - 1 && r.chance(0.4);
      if (resources.length < filesPerApp - 1 && (wanted || mounted)) write(`${base}-config.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${mounted ?? `${base}-config`}\ndata:\n  LOG_LEVEL: info\n  settings.json: |\n    {"retries": ${r.int(1, 5)}, "timeout": "${r.int(1, 60)}s"}\n`);
      if (mounted && resources.includes(`${base}-config.yaml`)) built.push({ name: `app-${String(a).padStart(2, '0')}-${mounted}`, namespace: `app-${a}` });
      if (!visible && (!namePrefix || mounted)) visible = join(dir, `${base}-workload.yaml`);
    }
    const prefix = namePrefix ? `namePrefix: app-${String(a).padStart(2, '0')}-\n` : '';
    writeFileSync(join(dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: app-${a}\n${prefix}resources:\n${resources.map((f) => `- ${f}`).join('\n')}\n`);
    files++;
  }
  if (!namePrefix) return { root, files, visible };
  const namingBuilt = join(root, 'tools', 'debug-pods.yaml');
  mkdirSync(join(root, 'tools'), { recursive: true });
  const pod = ({ name, namespace }: (typeof built)[number], i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug-${i}\n  namespace: ${namespace}\nspec:\n  containers:\n  - name: sh\n    image: busybox:1.36\n    envFrom:\n    - configMapRef: { name: ${name} }\n`;
  writeFileSync(namingBuilt, built.slice(0, 100).map(pod).join('---\n'));
  return { root, files: files + 1, visible, namingBuilt };
}
