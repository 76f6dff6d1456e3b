// The import rules of docs/architecture.md, checked on every source file of the server and the
// client: no import cycles (between files, and between the rooms they sit in), the engine imports
// nothing but itself and the Kubernetes semantics in k8s/, k8s/ and manifest/ sit at the bottom,
// and the client imports only its own files and the shared protocol module.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const REPO = join(__dirname, '..', '..');
const ROOTS = ['server/src', 'client'];

/**
 * What each room of the lower layers may import besides itself (a room: a folder of server/src, a
 * file directly in server/src, client/src or client/webview). The rooms above them (check.ts, lsp/,
 * cli/, server.ts, cli.ts) may import any room of the server; a new room is free until a room
 * listed here imports it, and every room is held to "no cycles". Keep docs/architecture.md in step.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'server/src/k8s': [],
  'server/src/manifest': ['server/src/k8s'],
  'server/src/findings.ts': ['server/src/manifest'],
  'server/src/builtin-checks.ts': ['server/src/findings.ts'],
  'server/src/text-edits.ts': ['server/src/findings.ts'],
  'server/src/settings.ts': ['server/src/findings.ts', 'server/src/schema'],
  // The cluster file is read (bounded) for the workspace and converted by the engine's loader.
  'server/src/workspace': ['server/src/manifest', 'server/src/k8s', 'server/src/engine'],
  'server/src/scope': ['server/src/manifest', 'server/src/k8s', 'server/src/workspace'],
  'server/src/schema': ['server/src/manifest', 'server/src/findings.ts', 'server/src/builtin-checks.ts', 'server/src/k8s'],
  'server/src/rules': ['server/src/manifest', 'server/src/findings.ts', 'server/src/builtin-checks.ts', 'server/src/k8s', 'server/src/workspace', 'server/src/scope', 'server/src/schema', 'server/src/settings.ts', 'server/src/text-edits.ts', 'server/src/crd', 'server/src/admission'],
  'server/src/cel': ['server/src/k8s'],
  'server/src/crd': ['server/src/manifest', 'server/src/findings.ts', 'server/src/k8s', 'server/src/workspace', 'server/src/schema', 'server/src/text-edits.ts', 'server/src/cel'],
  // The API server's decoding defaults for built-in objects, with the release's OpenAPI defaults.
  'server/src/defaults': ['server/src/manifest', 'server/src/k8s', 'server/src/schema'],
  // A policy judges the object as admitted: built-in defaults, a custom resource's CRD defaults;
  // the Namespace and the Pod plugins' objects as their kustomize builds make them (scope/built-document.ts).
  'server/src/admission': ['server/src/manifest', 'server/src/k8s', 'server/src/workspace', 'server/src/cel', 'server/src/crd', 'server/src/schema', 'server/src/defaults', 'server/src/scope'],
  // A cluster file's YAML is read within the manifests' guards against hostile YAML (manifest/read-yaml.ts).
  'server/src/engine': ['server/src/k8s', 'server/src/manifest'],
  'server/src/protocol': ['server/src/engine'],
  // Simulation-backed checks: engine verdicts read into findings; fixtures read as the rules read theirs.
  // A custom workload its CRD rejects (crd/workload-refusal.ts) is not placed.
  'server/src/simulation-checks': ['server/src/manifest', 'server/src/findings.ts', 'server/src/text-edits.ts', 'server/src/engine', 'server/src/scope', 'server/src/workspace', 'server/src/rules', 'server/src/crd'],
  'client/webview': ['server/src/protocol'],
  'client/src': ['client/webview', 'server/src/protocol'],
};
/** Packages that tie code to an editor: never below lsp/ and the client. */
const EDITOR_PACKAGES = /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(\/|$)/;
const EDITOR_FREE = ['server/src/k8s', 'server/src/manifest', 'server/src/engine', 'server/src/rules', 'server/src/schema', 'server/src/workspace', 'server/src/scope', 'server/src/simulation-checks'];

interface Import {
  from: string;
  /** Repository-relative file for a relative import; the package name otherwise. */
  to: string;
  relative: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
}

function resolveFile(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Every import, export-from, import() and require() of every source file (types included: they are arrows too). */
function collectImports(): { files: string[]; imports: Import[]; unresolved: string[] } {
  const files = ROOTS.flatMap((r) => sources(join(REPO, r)));
  const imports: Import[] = [];
  const unresolved: string[] = [];
  for (const file of files) {
    const from = relative(REPO, file);
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!spec.startsWith('.')) {
        imports.push({ from, to: spec, relative: false });
        continue;
      }
      const target = resolveFile(file, spec);
      if (target) imports.push({ from, to: relative(REPO, target), relative: true });
      else unresolved.push(`${from} -> ${spec}`);
    }
  }
  return { files: files.map((f) => relative(REPO, f)), imports, unresolved };
}

/** The room a file belongs to: its folder under server/src or client, or the file itself when it sits directly in server/src. */
function roomOf(file: string): string {
  const m = /^(server\/src\/[^/]+)\//.exec(file) ?? /^(client\/[^/]+)\//.exec(file);
  return m ? m[1] : file;
}

/** Strongly connected components with more than one member (or a self-loop): the import cycles. */
function cycles(nodes: Iterable<string>, edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}

function graph(pairs: [string, string][]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [a, b] of pairs) edges.set(a, (edges.get(a) ?? new Set()).add(b));
  return edges;
}

const inRoom = (file: string, room: string) => file === room || file.startsWith(`${room}/`);

describe('import rules (docs/architecture.md)', () => {
  const { files, imports, unresolved } = collectImports();
  const local = imports.filter((i) => i.relative);

  it('reads every source file and resolves every relative import', () => {
    assert.ok(files.length > 100 && files.includes('server/src/engine/index.ts') && files.includes('client/src/extension.ts'), `found ${files.length} files`);
    assert.ok(local.some((i) => i.from === 'server/src/engine/index.ts' && i.to.startsWith('server/src/k8s/')), 'the engine re-exports k8s/ helpers');
    assert.deepEqual(unresolved, []);
  });

  it('the cycle finder finds a cycle (and only the cycle)', () => {
    const edges = graph([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['e', 'e']]);
    assert.deepEqual(cycles(['a', 'b', 'c', 'd', 'e'], edges).sort(), [['a', 'b', 'c'], ['e']]);
  });

  it('no import cycles between files', () => {
    assert.deepEqual(cycles(files, graph(local.map((i) => [i.from, i.to]))), []);
  });

  it('no import cycles between rooms: the folders form a stack with arrows pointing down only', () => {
    const rooms = local.map((i): [string, string] => [roomOf(i.from), roomOf(i.to)]).filter(([a, b]) => a !== b);
    assert.deepEqual(cycles(new Set(files.map(roomOf)), graph(rooms)), []);
  });

  for (const [room, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${room} imports only itself${allowed.length ? ` and ${allowed.map((a) => a.replace('server/src/', '')).join(', ')}` : ''}`, () => {
      const outside = local.filter((i) => inRoom(i.from, room) && !inRoom(i.to, room) && !allowed.some((a) => inRoom(i.to, a)));
      assert.deepEqual(outside.map((i) => `${i.from} -> ${i.to}`), [], `${room} may import only ${allowed.join(', ') || 'itself'} (docs/architecture.md)`);
    });
  }

  it('the server never imports the client', () => {
    assert.deepEqual(local.filter((i) => i.from.startsWith('server/') && i.to.startsWith('client/')).map((i) => `${i.from} -> ${i.to}`), []);
  });

  it('nothing below the language server imports an editor package', () => {
    const editorBound = imports.filter((i) => !i.relative && EDITOR_PACKAGES.test(i.to) && EDITOR_FREE.some((room) => inRoom(i.from, room)));
    assert.deepEqual(editorBound.map((i) => `${i.from} -> ${i.to}`), []);
  });
});
