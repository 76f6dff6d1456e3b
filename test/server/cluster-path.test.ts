// Which workspace folder a file belongs to when the Dry-run looks for its cluster file: matched by
// path segments, so a file under /ws/app2 is not taken as inside the folder /ws/app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterPath, type SimulateContext } from '../../server/src/lsp/simulate';

function context(folders: string[], clusterFile = ''): SimulateContext {
  return { textOf: () => undefined, fileOf: () => { throw new Error('not used'); }, clusterFile, folders, trusted: true };
}

test('the folder of a file is the one it sits below by path segments, not a name prefix', () => {
  const root = mkdtempSync(join(tmpdir(), 'kdry-folders-'));
  const app = join(root, 'app');
  const app2 = join(root, 'app2');
  mkdirSync(join(app2, '.kdry'), { recursive: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app2, '.kdry', 'cluster.yaml'), 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n');
  const file = pathToFileURL(join(app2, 'web.yaml')).toString();
  assert.equal(clusterPath(file, context([app, app2])), join(app2, '.kdry', 'cluster.yaml'));
  assert.equal(clusterPath(file, context([app, app2], 'nodes.yaml')), join(app2, 'nodes.yaml'), 'a relative kdry.clusterFile is read in the file\'s own folder');
  assert.equal(clusterPath(pathToFileURL(join(app, 'web.yaml')).toString(), context([app, app2], 'nodes.yaml')), join(app, 'nodes.yaml'));
  assert.equal(clusterPath(file, { ...context([app, app2]), trusted: false }), undefined, 'restricted mode reads no cluster file');
});
