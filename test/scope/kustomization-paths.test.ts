// Links in a kustomization file: each path kustomize reads opens that file (a folder: its
// kustomization), a generator's data file when it exists inside the kustomization's folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { kustomizationPathLinks } from '../../server/src/scope/kustomization-paths';
import { documentLinks } from '../../server/src/lsp/navigation';

const KUSTOMIZATION = `resources:
- deploy.yaml
- ../base
- https://github.com/example/remote//base?ref=v1
- missing.yaml
components: ["../components/monitoring"]
patches:
- path: patch.yaml
  target: {kind: Deployment}
configurations: [transform.yaml]
configMapGenerator:
- name: web-config
  files:
  - config/app.properties
  - index=config/index.html
  - config/absent.txt
  envs: [config/.env]
secretGenerator:
- name: outside
  files: [../secret.txt]
`;

test('each path of a kustomization links to the file kustomize reads; folders to their kustomization; remote, missing and outside-the-folder data files are not linked', () => {
  const root = mkdtempSync(join(tmpdir(), 'kdry-kpaths-'));
  const app = join(root, 'app');
  mkdirSync(join(app, 'config'), { recursive: true });
  for (const f of ['config/app.properties', 'config/index.html', 'config/.env']) writeFileSync(join(app, f), 'x=1\n');
  writeFileSync(join(root, 'secret.txt'), 's\n');
  const uri = (path: string) => pathToFileURL(join(root, path)).href;
  const ws = new WorkspaceIndex();
  const files: Record<string, string> = {
    'app/kustomization.yaml': KUSTOMIZATION,
    'app/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
    'app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
    'app/transform.yaml': 'commonLabels: []\n',
    'base/kustomization.yaml': 'resources: []\n',
    'components/monitoring/kustomization.yml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
  };
  for (const [path, text] of Object.entries(files)) ws.set(parseManifest(text, uri(path)));
  const file = ws.get(uri('app/kustomization.yaml'))!;
  const links = kustomizationPathLinks(ws, file).map((l) => [file.text.slice(...l.range), l.target.slice(pathToFileURL(root).href.length + 1)]);
  assert.deepEqual(links, [
    ['deploy.yaml', 'app/deploy.yaml'],
    ['../base', 'base/kustomization.yaml'],
    ['../components/monitoring', 'components/monitoring/kustomization.yml'],
    ['transform.yaml', 'app/transform.yaml'],
    ['patch.yaml', 'app/patch.yaml'],
    ['config/app.properties', 'app/config/app.properties'],
    ['config/index.html', 'app/config/index.html'],
    ['config/.env', 'app/config/.env'],
  ]);
  // Over the editor's links: the same paths, as file uris.
  assert.ok(documentLinks(ws, file).some((l) => l.target === uri('app/deploy.yaml') && l.range.start.line === 1 && l.range.start.character === 2));
  // A file that is not a kustomization gets none of these.
  assert.deepEqual(kustomizationPathLinks(ws, ws.get(uri('app/deploy.yaml'))!), []);
});
