// Where a kustomization's own generators make `kustomize build` fail, or make kdry's copy of the
// build incomplete:
// - a generator that creates (`behavior: create`, the default) a ConfigMap or Secret the build
//   already has (from a base, a component, a resource file, or an earlier generator of the same
//   namespace): "id ... exists; can not use behavior: 'unspecified', behavior must be merge or
//   replace" ('create' when the entry says so: resmap/reswrangler.go appendReplaceOrMerge,
//   types/genargs.go GenerationBehavior.String);
// - `behavior: merge` or `replace` with no such object in the build: "id ... does not exist;
//   cannot merge or replace" (said only when kdry holds the whole build);
// - a file a generator reads that kdry cannot read (missing, outside the kustomization's folder,
//   larger than kdry reads, not a regular file): its pairs are missing, so the name is shown
//   without its hash and the keys are not judged (a warning, with the reason).
import { relative } from 'node:path';
import { isRecord } from '../manifest';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { placementOf, unitIndex } from './scope';
import type { GeneratedObject, Unit } from './units';
import { generate } from './kustomize-generators';
import type { KustomizationProblem } from './kustomize-problem';

export function generatorProblems(workspace: WorkspaceIndex, unit: Unit): KustomizationProblem[] {
  const out: KustomizationProblem[] = [];
  const index = unitIndex(workspace);
  const nested = [...(unit.nested ?? [])].map((u) => index.kustomization(u)).filter((u): u is Unit => u !== undefined);
  for (const g of unit.generated) {
    const source = { field: g.field, index: g.index };
    const what = `${g.kind} "${g.name}"`;
    const existing = alreadyInBuild(workspace, unit, nested, g);
    if (g.behavior === 'create' && existing) {
      const written = entryOf(unit, g).behavior === 'create' ? 'create' : 'unspecified';
      out.push({ source, at: ['name'], severity: 'error', message: `kustomize build fails: ${what} is already in the build (${existing}): a generator without \`behavior: merge\` or \`replace\` cannot make it again ("id exists; can not use behavior: '${written}', behavior must be merge or replace").` });
    } else if (g.behavior !== 'create' && !existing && !unit.incomplete) {
      out.push({ source, at: ['behavior'], severity: 'error', message: `kustomize build fails: there is no ${what} in the build for \`behavior: ${g.behavior}\` to change ("id does not exist; cannot merge or replace").` });
    }
    for (const u of generate(workspace, unit, g)?.unread ?? []) {
      out.push({ source, at: u.at, severity: 'warning', message: `kdry cannot read the generator's file "${u.path}": ${u.reason}. ${what} is shown without the pairs of that file, its name without kustomize's content hash, and its keys are not judged.` });
    }
  }
  return out;
}

/** What already holds the generator's kind and name when its kustomization's generators run (its resources, bases, components, and its generators before it); undefined when nothing does. */
function alreadyInBuild(workspace: WorkspaceIndex, unit: Unit, nested: readonly Unit[], g: GeneratedObject): string | undefined {
  const earlier = unit.generated.find((o) => o.kind === g.kind && o.name === g.name && o.index < g.index && o.field === g.field && sameNamespace(unit, o, g));
  if (earlier) return `made by ${earlier.field}[${earlier.index}]`;
  const base = nested.find((u) => u.generated.some((o) => o.kind === g.kind && o.name === g.name));
  if (base) return `made by the generator of ${relative(unit.dir, base.dir) || '.'}`;
  const file = workspace.named(g.kind, g.name).find((c) => placementOf(workspace, c.uri, c.doc).units.includes(unit));
  return file ? `listed in ${relative(unit.dir, uriToPath(file.uri) ?? file.uri)}` : undefined;
}

/** Two generators of one kustomization make the same id when their namespaces are the same, none being `default` (resid EffectiveNamespace). */
function sameNamespace(unit: Unit, a: GeneratedObject, b: GeneratedObject): boolean {
  const namespace = (g: GeneratedObject) => {
    const entry = entryOf(unit, g);
    return typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : 'default';
  };
  return namespace(a) === namespace(b);
}

/** The generator's entry in its kustomization, as written. */
function entryOf(unit: Unit, g: GeneratedObject): Record<string, unknown> {
  const entries = unit.config?.[g.field];
  const entry = Array.isArray(entries) ? entries[g.index] : undefined;
  return isRecord(entry) ? entry : {};
}
