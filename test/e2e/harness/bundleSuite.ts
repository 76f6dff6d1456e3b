// Bundles the extension-host suite (TypeScript, imports yaml and the protocol) into one CommonJS file.
import { build } from 'esbuild';
import { join } from 'node:path';
import { REPO } from './tools';

export async function bundleSuite(): Promise<string> {
  const outfile = join(REPO, 'out', 'e2e', 'suite', 'index.js');
  await build({ entryPoints: [join(REPO, 'test', 'e2e', 'suite', 'index.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning' });
  return outfile;
}
