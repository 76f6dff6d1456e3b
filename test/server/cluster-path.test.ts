// Which workspace folder a file belongs to when the Dry-run looks for its cluster file: matched by
// path segments, so a file under /ws/app2 is not taken as inside the folder /ws/app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterPath, type SimulateContext } from '../../server/src/lsp/simulate';

function context(folders: string[], clusterFile = ''): SimulateContext {
  return { textOf: () => undefined, fileOf: () => { throw new Error('not used'); }, clusterFile, folders, trusted: true };
}

test('the folder of a file is the one it sits below by path segments, not a name prefix', async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'kdry-folders-')));
  const app = join(root, 'app');
  const app2 = join(root, 'app2');
  mkdirSync(join(app2, '.kdry'), { recursive: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app2, '.kdry', 'cluster.yaml'), 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n');
  const file = pathToFileURL(join(app2, 'web.yaml')).toString();
  // Found in the folder, or named relative to it: confined to that folder (its real path).
  assert.deepEqual(await clusterPath(file, context([app, app2])), { path: join(app2, '.kdry', 'cluster.yaml'), root: app2 });
  assert.deepEqual(await clusterPath(file, context([app, app2], 'nodes.yaml')), { path: join(app2, 'nodes.yaml'), root: app2 }, 'a relative kdry.clusterFile is read in the file\'s own folder');
  assert.deepEqual(await clusterPath(pathToFileURL(join(app, 'web.yaml')).toString(), context([app, app2], 'nodes.yaml')), { path: join(app, 'nodes.yaml'), root: app });
  assert.deepEqual(await clusterPath(file, context([app, app2], '/etc/kdry/nodes.yaml')), { path: '/etc/kdry/nodes.yaml' }, 'an absolute kdry.clusterFile is the user\'s choice');
  assert.equal(await clusterPath(file, { ...context([app, app2]), trusted: false }), undefined, 'restricted mode reads no cluster file');
});
