// Deployment units: the sets of files that are applied together. A kustomization is one unit (its
// `resources`, `bases` and `components`, followed into the kustomizations they name, as
// `kustomize build` follows them); a Helm chart (the folder of a Chart.yaml and everything below)
// is another. Objects of one unit see each other first; see docs/scope.md.
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord } from '../manifest';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { KUSTOMIZATION_FILE_NAMES, isKustomization } from '../workspace/kustomize';
import { transformsOf, type KustomizeTransforms } from './kustomize-transforms';

export interface Unit {
  /** The kustomization file or the chart's Chart.yaml, as a uri. */
  uri: string;
  kind: 'kustomization' | 'chart';
  /** Its folder, as a local path. */
  dir: string;
  /** A kustomization's `namespace:`, which kustomize sets on every object it builds. */
  namespace?: string;
  /** ConfigMaps and Secrets its generators create, with the keys known from the kustomization itself. */
  generated: GeneratedObject[];
  /** Its namePrefix/nameSuffix, labels and replicas (kustomize-build.ts applies them). */
  transforms?: KustomizeTransforms;
  /** A kustomization's own text, parsed (its patches and images are read from it when an object is built). */
  config?: Record<string, unknown>;
  /** The files a kustomization lists itself (not through a kustomization it names). */
  direct?: Set<string>;
  /** The uris of the kustomizations it builds through its `resources`, `bases` and `components`, at any depth. */
  nested?: Set<string>;
  /** The uris of the components it names itself (`components:`): their transforms act on everything it builds. */
  components?: string[];
  /** Every file it builds, at any depth (patch files not among them). */
  members?: ReadonlySet<string>;
  /** It names an entry kdry does not hold (a remote base, a file or folder not in the workspace): its build is not known whole. */
  incomplete?: boolean;
  /** Its own entries through which its build reaches a folder that holds a kustomization already on the way (kustomize refuses the build). */
  cycles?: { field: string; index: number; message: string }[];
}

export interface GeneratedObject {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /**
   * `behavior`: `create` (the default) makes the object; `merge` and `replace` change the one of
   * that name already in the build (resmap/reswrangler.go appendReplaceOrMerge).
   */
  behavior: 'create' | 'merge' | 'replace';
  /** Its entry in the kustomization: `configMapGenerator[index]` or `secretGenerator[index]`. */
  field: 'configMapGenerator' | 'secretGenerator';
  index: number;
  /** Keys from `literals` and `files`; undefined when an `envs` file adds keys kdry has not read. */
  keys?: Set<string>;
}

/**
 * The units of `units` at the top of a build: built by no other of them (through its `resources`,
 * `bases` or `components`, at any depth). `loops`: a unit built by one it builds too (a loop,
 * refused by kustomize) counts as on top, so such a loop leaves none out.
 */
export function topKustomizations<T extends Unit>(units: readonly T[], options: { loops?: boolean } = {}): T[] {
  return units.filter((u) => !units.some((o) => o !== u && o.nested?.has(u.uri) && !(options.loops && u.nested?.has(o.uri))));
}

/** Kustomization folders nested deeper than this are not followed (a resource loop, or a hostile repository). */
const MAX_KUSTOMIZATION_DEPTH = 16;

/** The units of a workspace, built once per change of its kustomizations and charts. */
export class UnitIndex {
  private readonly unitsByFile = new Map<string, Unit[]>();
  private readonly charts = new Map<string, Unit>();
  private readonly byUri = new Map<string, Unit>();

  constructor(private readonly workspace: WorkspaceIndex) {
    for (const uri of workspace.uris()) {
      const path = uriToPath(uri);
      if (!path) continue;
      if (isKustomization(path)) this.addKustomization(uri, path);
      else if (/(^|[\\/])Chart\.ya?ml$/.test(path)) this.charts.set(dirname(path), { uri, kind: 'chart', dir: dirname(path), generated: [] });
    }
    // A file listed by a kustomization and by one that includes it belongs to both; the one that
    // lists it directly comes first (its namespace is the one a build of that folder applies): a
    // base before the overlays that name it, whatever their folders' depths (overlays/prod is
    // deeper than base/), then the deeper folder.
    for (const list of this.unitsByFile.values()) {
      const overlays = new Map(list.map((u) => [u, list.filter((o) => o.nested?.has(u.uri)).length]));
      list.sort((a, b) => overlays.get(b)! - overlays.get(a)! || depthBelow(b.dir) - depthBelow(a.dir));
    }
  }

  private readonly files = new Map<string, { dir?: string; units: Unit[] }>();

  /** A file's folder and units, worked out once per uri. */
  fileOf(uri: string): { dir?: string; units: Unit[] } {
    let entry = this.files.get(uri);
    if (!entry) {
      const path = uriToPath(uri);
      entry = { dir: path === undefined ? undefined : dirname(path), units: this.unitsOf(uri) };
      this.files.set(uri, entry);
    }
    return entry;
  }

  /** Every unit a file belongs to: the kustomizations that build it (innermost first), else its chart. */
  unitsOf(uri: string): Unit[] {
    const kustomizations = this.unitsByFile.get(uri);
    if (kustomizations) return kustomizations;
    const chart = this.chartOf(uri);
    return chart ? [chart] : [];
  }

  /** Every unit, for lookups of generated objects (a component that lists no file of its own too). */
  *units(): Iterable<Unit> {
    yield* this.byUri.values();
    yield* this.charts.values();
  }

  /** The kustomization unit of a kustomization file. */
  kustomization(uri: string): Unit | undefined {
    return this.byUri.get(uri);
  }

  private chartOf(uri: string): Unit | undefined {
    const path = uriToPath(uri);
    if (!path || this.charts.size === 0) return undefined;
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const chart = this.charts.get(dir);
      if (chart) return chart;
      if (dirname(dir) === dir) return undefined;
    }
  }

  private addKustomization(uri: string, path: string): void {
    const config = this.workspace.get(uri)?.documents[0]?.value;
    if (!isRecord(config)) return;
    const unit: Unit = {
      uri,
      kind: 'kustomization',
      dir: dirname(path),
      namespace: typeof config.namespace === 'string' && config.namespace !== '' ? config.namespace : undefined,
      generated: generatedObjects(config),
      transforms: transformsOf(config),
      config,
      direct: new Set(),
      nested: new Set(),
      components: [],
    };
    const members = new Set<string>();
    this.collect(path, config, members, new Set([path]), 0, unit, [dirname(path)]);
    unit.members = members;
    this.byUri.set(uri, unit);
    for (const member of members) {
      const list = this.unitsByFile.get(member);
      if (list) list.push(unit);
      else this.unitsByFile.set(member, [unit]);
    }
  }

  /** The files a kustomization builds: its own entries, and those of the kustomizations they name. */
  /**
   * `roots`: the folders of the kustomizations from the unit's down to this one (kustomize's
   * referrer chain); `via`: the unit's own entry this one was reached through.
   */
  private collect(path: string, config: Record<string, unknown>, members: Set<string>, visiting: Set<string>, depth: number, unit: Unit, roots: string[], via?: { field: string; index: number }): void {
    if (depth > MAX_KUSTOMIZATION_DEPTH) return;
    const dir = dirname(path);
    for (const field of ['resources', 'bases', 'components']) {
      const entries = config[field];
      if (!Array.isArray(entries)) continue;
      for (const [index, entry] of entries.entries()) {
        if (typeof entry !== 'string') continue;
        if (isRemote(entry)) {
          unit.incomplete = true;
          continue;
        }
        const target = resolve(dir, entry);
        const fileUri = pathToFileURL(target).href;
        if (this.workspace.get(fileUri)) {
          members.add(fileUri);
          if (depth === 0) unit.direct!.add(fileUri);
          continue;
        }
        const nested = this.kustomizationIn(target);
        if (!nested) unit.incomplete = true;
        if (!nested) continue;
        // A folder that is, or holds, one already on the way (an overlay below its base, `.`, a loop):
        // kustomize refuses it (api/internal/loader/fileloader.go errIfArgEqualOrHigher).
        const visited = roots.find((r) => r === target || r.startsWith(target + sep));
        if (visited !== undefined) {
          unit.incomplete = true;
          (unit.cycles ??= []).push({ ...(via ?? { field, index }), message: `cycle detected: candidate root '${target}' contains visited root '${visited}'` });
          continue;
        }
        if (visiting.has(nested.path)) continue;
        visiting.add(nested.path);
        unit.nested!.add(pathToFileURL(nested.path).href);
        if (depth === 0 && field === 'components') unit.components!.push(pathToFileURL(nested.path).href);
        this.collect(nested.path, nested.config, members, visiting, depth + 1, unit, [...roots, target], via ?? { field, index });
      }
    }
  }

  private kustomizationIn(dir: string): { path: string; config: Record<string, unknown> } | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const path = join(dir, name);
      const config = this.workspace.get(pathToFileURL(path).href)?.documents[0]?.value;
      if (isRecord(config)) return { path, config };
    }
    return undefined;
  }
}

/** Remote bases (`github.com/org/repo//path?ref=v1`, `https://...`) are not in the workspace. */
function isRemote(entry: string): boolean {
  return entry.includes('://') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');
}

function depthBelow(dir: string): number {
  return dir.split(/[\\/]/).length;
}

/**
 * `configMapGenerator` / `secretGenerator` entries: kustomize names the object `name` plus a content
 * hash and rewrites every reference to `name` in the same build, so a reference to `name` resolves.
 * Keys: `literals` give `key=value`, `files` give `key=path` or the file's base name.
 */
function generatedObjects(config: Record<string, unknown>): GeneratedObject[] {
  const out: GeneratedObject[] = [];
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    const entries = config[field];
    if (!Array.isArray(entries)) continue;
    for (const [index, entry] of entries.entries()) {
      if (!isRecord(entry) || typeof entry.name !== 'string') continue;
      const keys = new Set<string>();
      for (const literal of list(entry.literals)) if (typeof literal === 'string' && literal.includes('=')) keys.add(literal.slice(0, literal.indexOf('=')).trim());
      for (const file of list(entry.files)) {
        if (typeof file !== 'string') continue;
        const eq = file.indexOf('=');
        keys.add(eq >= 0 ? file.slice(0, eq).trim() : file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1).trim());
      }
      // api/types/generationbehavior.go NewGenerationBehavior: anything but merge and replace acts as create.
      const behavior = entry.behavior === 'merge' || entry.behavior === 'replace' ? entry.behavior : 'create';
      out.push({ kind, name: entry.name, behavior, field, index, keys: list(entry.envs).length > 0 || typeof entry.env === 'string' ? undefined : keys });
    }
  }
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
