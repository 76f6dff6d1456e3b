// A throw-away copy of test/e2e/workspace, committed to a fresh git repository so the rollout's
// "before" can come from git HEAD.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './tools';

export function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-e2e-ws-'));
  cpSync(join(REPO, 'test', 'e2e', 'workspace'), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=kdry-e2e', '-c', 'user.email=e2e@kdry.invalid', ...args], { cwd: dir, stdio: 'ignore', timeout: 20_000 });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'fixtures');
  return dir;
}
