// `npm run bench`: runs every benchmark under scripts/bench/ (or those named on the command line)
// and prints their figures. Benchmarks report numbers; they do not assert timings.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(__dirname, 'bench');
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && (only.length === 0 || only.some((o) => f.startsWith(o)))).sort();

(async () => {
  for (const f of files) {
    console.log(`\n## ${f.replace(/\.ts$/, '')}`);
    const mod = await import(pathToFileURL(join(dir, f)).href);
    await (mod.default ?? mod.run)();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
