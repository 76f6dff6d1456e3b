// The workspace of the bench: `apps` app folders of `filesPerApp` files each (a kustomization,
// then one resource a file: workloads, their Services, ConfigMaps), written to a folder. Opened
// in the editor with one file visible, the rest reach the server through its workspace scan.
// Seeded: the same tree on every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { application } from './mixed-file';
import { Random } from './random';

export interface GeneratedWorkspace {
  root: string;
  files: number;
  /** The file the editor shows: an app's first workload. */
  visible: string;
}

export function writeWorkspace(root: string, apps = 20, filesPerApp = 100, seed = 23): GeneratedWorkspace {
  const r = new Random(seed);
  let files = 0;
  let visible = '';
  let component = 0;
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
      if (resources.length < filesPerApp - 1 && r.chance(0.4)) write(`${base}-config.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${base}-config\ndata:\n  LOG_LEVEL: info\n  settings.json: |\n    {"retries": ${r.int(1, 5)}, "timeout": "${r.int(1, 60)}s"}\n`);
      if (!visible) visible = join(dir, `${base}-workload.yaml`);
    }
    writeFileSync(join(dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: app-${a}\nresources:\n${resources.map((f) => `- ${f}`).join('\n')}\n`);
    files++;
  }
  return { root, files, visible };
}
