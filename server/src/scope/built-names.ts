// The names kustomize gives an object as each kustomization that builds it builds it. namePrefix and
// nameSuffix compose outward: each build prefixes and suffixes the names its resources come with
// (api/filters/prefixsuffix, run per kusttarget), so a base with `namePrefix: a-` under an overlay
// with `namePrefix: b-` builds `web` as `a-web`, then `b-a-web`. Worked example, base suffix `-x`
// and overlay prefix `b-`: `web` -> `web-x` -> `b-web-x`.
import type { WorkspaceIndex } from '../workspace';
import { buildChain, renaming } from './kustomize-build';
import { unitIndex } from './scope';
import type { Unit, UnitIndex } from './units';

/** One name an object has: after the builds of `through` (innermost first; none for the name as written). */
export interface NameForm {
  through: readonly Unit[];
  /** The name `written` becomes through them. */
  rename: (written: string) => string;
}

type Renaming = NonNullable<ReturnType<typeof renaming>>;

/**
 * What the kustomizations do to names, worked out once per unit index: both answers below read
 * only the units (a prefix or suffix is its kustomization's own field, units.ts transformsOf), and
 * the index is rebuilt whenever the workspace's structure moves (a kustomization edited, a file
 * added or removed: scope.ts unitIndex). Keyed by revision, a reference checked after each
 * keystroke built every candidate's chains again.
 */
interface NamesOfUnits {
  /** By kind. */
  renamings: Map<string, Renaming[]>;
  /** By kind and file uri. */
  forms: Map<string, readonly NameForm[]>;
}
const namesPerUnits = new WeakMap<UnitIndex, NamesOfUnits>();

function namesOfUnits(units: UnitIndex): NamesOfUnits {
  let names = namesPerUnits.get(units);
  if (!names) namesPerUnits.set(units, (names = { renamings: new Map(), forms: new Map() }));
  return names;
}

/**
 * The forms of the name of an object of `kind` in the file at `uri`: as written, then after each
 * kustomization of each chain that builds it (to every kustomization that builds the file), each
 * build sequence once (two forms may give the same name). References resolve through them once
 * per candidate (resolve.ts namedAsBuilt): kept per unit index (NamesOfUnits).
 */
export function nameForms(workspace: WorkspaceIndex, uri: string, kind: string): readonly NameForm[] {
  const units = unitIndex(workspace);
  const cached = namesOfUnits(units).forms;
  const key = `${kind}\u0000${uri}`;
  let forms = cached.get(key);
  if (!forms) cached.set(key, (forms = formsOf(workspace, units, uri, kind)));
  return forms;
}

function formsOf(workspace: WorkspaceIndex, units: UnitIndex, uri: string, kind: string): NameForm[] {
  const forms: NameForm[] = [{ through: [], rename: (n) => n }];
  const seen = new Set<string>();
  const tops = units.fileOf(uri).units.filter((u) => u.kind === 'kustomization');
  for (const top of tops) {
    const chain = buildChain(workspace, uri, top);
    let prefix = '';
    let suffix = '';
    for (const [i, unit] of chain.entries()) {
      const r = renaming(unit, kind);
      if (r) [prefix, suffix] = [r.prefix + prefix, suffix + r.suffix];
      // The chains of two overlays share the base's builds: once each.
      const through = chain.slice(0, i + 1);
      const key = through.map((u) => u.uri).join('\n');
      if (seen.has(key)) continue;
      seen.add(key);
      const [p, s] = [prefix, suffix];
      forms.push({ through, rename: (n) => `${p}${n}${s}` });
    }
  }
  return forms;
}

/** At most this many names are tried when prefixes and suffixes are taken off a name (a bound on hostile repositories). */
const MAX_UNRENAMED = 64;

/**
 * `name` and the names it may have been written as: each kustomization's prefix and suffix taken
 * off, again and again (`b-a-web` -> `a-web` -> `web`), for the candidates nameForms then checks.
 */
export function unrenamedNames(workspace: WorkspaceIndex, kind: string, name: string): string[] {
  const renamings = renamingsOf(workspace, kind);
  const names = [name];
  for (let i = 0; i < names.length && names.length < MAX_UNRENAMED; i++) {
    const n = names[i];
    for (const r of renamings) {
      if (n.length <= r.prefix.length + r.suffix.length || !n.startsWith(r.prefix) || !n.endsWith(r.suffix)) continue;
      const written = n.slice(r.prefix.length, n.length - r.suffix.length);
      if (!names.includes(written)) names.push(written);
    }
  }
  return names;
}

/**
 * Every prefix and suffix a kustomization of the workspace gives objects of `kind`, once per unit
 * index (NamesOfUnits; references are resolved many times per check; most workspaces have none).
 */
export function renamingsOf(workspace: WorkspaceIndex, kind: string): readonly Renaming[] {
  const units = unitIndex(workspace);
  const cached = namesOfUnits(units).renamings;
  let renamings = cached.get(kind);
  if (!renamings) cached.set(kind, (renamings = [...units.units()].map((u) => renaming(u, kind)).filter((r) => r !== undefined)));
  return renamings;
}
