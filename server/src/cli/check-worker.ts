// A `kdry check --jobs` worker thread (check-worker-main.ts). Bundled as dist/check-worker.js, it
// requires the check command's bundle (scripts/build.mjs maps ./check-entry to ./cli-check.js).
import { serveCheckWorker } from './check-entry';

serveCheckWorker();
