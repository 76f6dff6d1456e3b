// Hover: the field's schema documentation, plus what kdry can work out about the value:
// resolved rollout numbers, what a selector matches, a CronJob's next runs.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getScaledValueFromIntOrPercent, labelSelectorMatches, serviceSelectorMatches, type LabelSelector } from '../engine';
import { isRecord, type ManifestDocument, type ManifestFile, type ObjectPath } from '../manifest';
import { basename, dirname } from 'node:path';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { toRange } from './convert';
import { tooLargeForEditorFeatures } from './large-documents';
import { describe, documentAt, kindKeyOf, podTemplateOf, readableDocument } from './documents';
import { valueAt } from '../manifest/pod-template';
import { formatInZone, nextRuns } from './engine-adapter';
import { kubernetesTarget, schemaAt, type KubernetesTarget, type SchemaInfo } from '../schema';
import { customSchemaAt } from '../crd/field-info';
import { keyRange, pathAtOffset, valueRange, type PathAtOffset } from '../manifest';
import { referencesOf, type ObjectReference } from '../scope/references';
import { RENDERED, templatedReferenceNote, templatedReferences } from '../scope/template-references';
import { profilesDeclaring, samePath } from '../scope/links';
import { DEFAULT_SCHEDULER, NO_SCHEDULER_CONSEQUENCE, schedulerNameAt } from '../scope/schedulers';
import { resolveReference } from '../scope/resolve';
import { templatedNamesNote } from '../scope/chart-templates';
import { placementOf, Ring } from '../scope/scope';
import { generatedNameIn } from '../scope/kustomize-build';
import { consequence } from '../rules/missing-reference';
import { templatesSelectedBy } from '../scope/workspace-lookup';
import { podSecurityLabelNote } from './pod-security-hover';
import { NEWEST_BUNDLED } from '../release-in-force';

/** `why`: where the release in force comes from (lsp/kubernetes-version.ts), shown on `apiVersion` and `kind`. */
export function hover(text: TextDocument, file: ManifestFile, offset: number, workspace: WorkspaceIndex, now = new Date(), target: KubernetesTarget = kubernetesTarget()!, why = NEWEST_BUNDLED.reason): Hover | null {
  const written = documentAt(file, offset);
  if (tooLargeForEditorFeatures(written)) return null;
  const doc = readableDocument(written);
  const at = doc && pathAtOffset(doc, offset);
  if (!doc || !at || at.path.length === 0) return null;
  const kindKey = kindKeyOf(doc);
  if (!kindKey) return null;
  const sections: string[] = [];
  const field = at.path[at.path.length - 1];
  const schema = safe(() => schemaAt(kindKey, at.path, target.catalog)) ?? safe(() => customFieldDoc(workspace, kindKey, at.path));
  if (schema?.description) sections.push(fieldDoc(String(field), schema));
  // In a template, values may be rendered later: the field's documentation holds, and what a reference's name is (scope/template-references.ts).
  if (written?.templated) {
    const shown = [...sections, templateReferenceNote(file, doc, at.path, workspace)].filter(Boolean);
    return shown.length ? hoverOf(text, doc, at, shown) : null;
  }
  if (field === 'maxSurge' || field === 'maxUnavailable') sections.push(rolloutNumbers(doc, at.path, field));
  const selectorDepth = at.path.indexOf('selector');
  if (selectorDepth === 1 && at.path[0] === 'spec') sections.push(selectorMatches(file, doc, workspace));
  if (doc.kind === 'CronJob' && at.path.length === 2 && at.path[0] === 'spec' && at.path[1] === 'schedule') sections.push(scheduleRuns(doc, now));
  if (at.path.length === 1 && at.path[0] === 'kind') sections.push(patchNote(file, workspace));
  sections.push(referenceNote(file, doc, at.path, workspace), schedulerNote(doc, at.path, workspace), podSecurityLabelNote(doc, at.path));
  if (at.path.length === 1 && (at.path[0] === 'kind' || at.path[0] === 'apiVersion')) sections.push(releaseNote(kindKey, target, why));
  const shown = sections.filter(Boolean);
  return shown.length === 0 ? null : hoverOf(text, doc, at, shown);
}

function hoverOf(text: TextDocument, doc: ManifestDocument, at: PathAtOffset, sections: string[]): Hover {
  const range = (at.onKey ? keyRange(doc, at.path) : valueRange(doc, at.path)) ?? keyRange(doc, at.path);
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: range ? toRange(text, range) : undefined };
}

const RING_WORDS: Record<Ring, string> = { [Ring.File]: 'this file', [Ring.Unit]: 'the same kustomization or chart', [Ring.Folder]: 'the same folder', [Ring.Workspace]: 'a different folder' };

/** The reference whose name (or key) is written at `path`. */
function referenceAt(doc: ManifestDocument, path: ObjectPath): ObjectReference | undefined {
  return referencesOf(doc).find((r) => samePath(path, r.path) || (r.key !== undefined && samePath(path, r.key.path)));
}

/** On a reference (a ConfigMap, Secret, claim, account, class, backend or target name): what it resolves to, or what happens without it. */
function referenceNote(file: ManifestFile, doc: ManifestDocument, path: ObjectPath, workspace: WorkspaceIndex): string {
  const ref = referenceAt(doc, path);
  if (!ref) return '';
  const title = `${ref.kind} \`${ref.name}\``;
  return resolvedNote(file, doc, ref, workspace) || `**${title} is not in scope.**${templatedNamesNote(workspace, { uri: file.uri, doc }, ref.kind)} Unless it is created outside the repository, ${consequence(ref, placementOf(workspace, file.uri, doc))}`;
}

/**
 * On a reference of a template (`doc`: its masked view): a name made by template actions cannot be
 * resolved, and the hover says so; a literal one says what it resolves to when that is in scope,
 * else that a template's objects exist only once the chart renders (nothing is reported missing).
 */
function templateReferenceNote(file: ManifestFile, doc: ManifestDocument, path: ObjectPath, workspace: WorkspaceIndex): string {
  const ref = referenceAt(doc, path);
  if (!ref) return '';
  const templated = templatedReferences(file, doc).find((t) => t.ref === ref);
  if (templated) return templatedReferenceNote(templated);
  return (
    resolvedNote(file, doc, ref, workspace) ||
    `**${ref.kind} \`${ref.name}\`** is written literally, but no object of that name is in scope outside the chart's templates, and kdry does not report it missing: a template's objects exist only once the chart renders.${templatedNamesNote(workspace, { uri: file.uri, doc }, ref.kind)} ${RENDERED}`
  );
}

/** What a reference resolves to in scope ('' when nothing does). */
function resolvedNote(file: ManifestFile, doc: ManifestDocument, ref: ObjectReference, workspace: WorkspaceIndex): string {
  const r = resolveReference(workspace, { uri: file.uri, doc }, ref);
  const title = `${ref.kind} \`${ref.name}\``;
  if (r.builtIn) return `**${title}** exists in every cluster.`;
  if (r.generated) {
    const built = generatedNameIn(workspace, placementOf(workspace, file.uri, doc).units, r.generated.kind, ref.name);
    return built && built !== ref.name
      ? `**${title}** is generated by the kustomization as \`${built}\` (kustomize rewrites this reference to that name).`
      : `**${title}** is generated by the kustomization.`;
  }
  if (r.matches.length) return `**${title}**: ${r.matches.map((m) => `\`${fileName(m.uri)}\``).join(', ')} (${RING_WORDS[r.ring]}). F12 goes there.`;
  return '';
}

/** On a pod template's `schedulerName`: the profile that declares it, or what happens to the pods without one (the `unknown-scheduler` rule). */
function schedulerNote(doc: ManifestDocument, path: ObjectPath, workspace: WorkspaceIndex): string {
  const name = schedulerNameAt(doc, path);
  if (name === undefined) return '';
  const title = `Scheduler \`${name}\``;
  const profiles = profilesDeclaring(workspace, name);
  if (profiles.length) {
    const where = profiles.map((p) => `\`${fileName(p.entry.uri)}\`${p.dataKey === undefined ? '' : ` (${p.generator ? 'configMapGenerator ' : ''}ConfigMap \`${p.generator?.name ?? p.entry.doc.name ?? ''}\`, key \`${p.dataKey}\`)`}`);
    return `**${title}**: a KubeSchedulerConfiguration profile declares it in ${where.join(', ')}. F12 goes there.`;
  }
  // A pod bound to a node by name never goes through a scheduler (the rule says nothing either).
  const nodeName = valueAt(doc.value, [...path.slice(0, -1), 'nodeName']);
  if (typeof nodeName === 'string' && nodeName !== '') return `**${title}**: \`nodeName\` is set, so the pod is bound to that node and no scheduler takes it.`;
  if (name === DEFAULT_SCHEDULER) return `**${title}** is the cluster's own kube-scheduler.`;
  return `**${title}: no KubeSchedulerConfiguration profile in the workspace declares it.** ${NO_SCHEDULER_CONSEQUENCE}`;
}

/** On `apiVersion` and `kind`: the release kdry checks for, and whether it serves the kind. */
function releaseNote(kindKey: string, target: KubernetesTarget, why: string): string {
  const data = target.newerThanData ? ` (kdry's newest data is ${target.catalog.version}: fields newer than that are warnings)` : target.olderThanData ? ` (kdry's oldest data is ${target.catalog.version})` : '';
  const served = target.catalog.servedKind(kindKey);
  const kind = kindKey.slice(kindKey.lastIndexOf('/') + 1);
  const apiVersion = kindKey.slice(0, kindKey.lastIndexOf('/'));
  const serves = served ? `It serves ${kind} at \`${apiVersion}\`${served.namespaced ? ' (namespaced)' : ' (cluster-scoped)'}.` : '';
  return `Checked for Kubernetes ${target.version}${data}: ${why} (\`kubernetesVersion\` in .kdry/config.yaml for the CLI). ${serves}`.trim();
}

/** On `kind` of a kustomize patch: why it is checked as a partial object. */
function patchNote(file: ManifestFile, workspace: WorkspaceIndex): string {
  const kustomization = uriToPath(workspace.patchedBy(file.uri) ?? '');
  if (!kustomization) return '';
  const name = `${basename(dirname(kustomization))}/${basename(kustomization)}`;
  return `A kustomize patch (listed by \`${name}\`): kdry checks only the fields it sets, and does not simulate it on its own.`;
}

/**
 * intstr scaling as the controllers apply it: Deployment surge rounds up and unavailability down;
 * a DaemonSet rounds both up (of the nodes that should run the pod); a StatefulSet rounds
 * maxUnavailable down but never below 1 (getStatefulSetMaxUnavailable). Unset: Deployment 25%,
 * DaemonSet maxUnavailable 1 and maxSurge 0, StatefulSet 1.
 */
export function rolloutNumbers(doc: ManifestDocument, path: ObjectPath, field: 'maxSurge' | 'maxUnavailable'): string {
  const fallback = doc.kind === 'Deployment' ? '25%' : field === 'maxSurge' ? 0 : 1;
  const value = valueAt(doc.value, path) ?? fallback;
  if (typeof value !== 'number' && typeof value !== 'string') return '';
  const misplaced = path[path.length - 2] === 'rollingUpdate' ? '' : `\n\nNot under \`rollingUpdate\`: the controller does not read it here (see the diagnostic for where it belongs).`;
  if (doc.kind === 'DaemonSet') {
    const example = scaled(value, 10, true);
    return `${String(value)} of the nodes that should run the pod, rounded up${example === undefined ? '' : ` (e.g. ${example} of 10 nodes)`}${misplaced}`;
  }
  const rawReplicas = valueAt(doc.value, ['spec', 'replicas']);
  const replicas = typeof rawReplicas === 'number' ? rawReplicas : 1;
  let resolved: number;
  try {
    resolved = getScaledValueFromIntOrPercent(value, replicas, field === 'maxSurge');
  } catch (err) {
    return `\`${String(value)}\` is not a valid ${field}: ${(err as Error).message}`;
  }
  const replicasNote = typeof rawReplicas === 'number' ? '' : ' (spec.replicas unset: 1)';
  if (field === 'maxSurge') {
    const pods = `${resolved} extra pod${resolved === 1 ? '' : 's'}`;
    return (typeof value === 'string' ? `${value} of ${replicas} replicas -> ${pods} (rounded up)` : `up to ${pods} above ${replicas} replicas during a rollout`) + replicasNote + misplaced;
  }
  const atLeastOne = doc.kind === 'StatefulSet' && resolved < 1;
  if (atLeastOne) resolved = 1;
  const rounding = atLeastOne ? 'rounded down, but the StatefulSet controller allows at least 1' : 'rounded down';
  return (typeof value === 'string' ? `${value} of ${replicas} -> ${resolved} unavailable (${rounding})` : `up to ${resolved} of ${replicas} pods unavailable during a rollout`) + replicasNote + misplaced;
}

function scaled(value: number | string, total: number, roundUp: boolean): number | undefined {
  try {
    return getScaledValueFromIntOrPercent(value, total, roundUp);
  } catch {
    return undefined;
  }
}

function selectorMatches(file: ManifestFile, doc: ManifestDocument, workspace: WorkspaceIndex): string {
  const lines: string[] = [];
  if (doc.kind === 'Service') {
    // The same scope as the Service rules (docs/scope.md): the nearest ring with a match.
    const { templates, ring } = templatesSelectedBy(workspace, { uri: file.uri, doc });
    for (const t of templates) lines.push(`- selects pods of ${describe(t.entry.doc)} (${fileName(t.entry.uri)})`);
    return lines.length ? `**This selector matches** (${RING_WORDS[ring]})\n\n${lines.join('\n')}` : '**This selector matches no pod template in scope.**';
  }
  const selector = valueAt(doc.value, ['spec', 'selector']) as LabelSelector | undefined;
  const own = podTemplateOf(doc);
  for (const other of workspace.documents()) {
    const t = podTemplateOf(other.doc);
    if (t && labelSelectorMatches(selector, t.labels)) lines.push(`- pod template of ${describe(other.doc)} (${fileName(other.uri)})${other.doc === doc || sameDoc(other.doc, doc) ? ' (its own)' : ''}`);
  }
  for (const svc of workspace.documents('Service')) {
    const sel = valueAt(svc.doc.value, ['spec', 'selector']);
    if (own && isRecord(sel) && serviceSelectorMatches(sel as Record<string, string>, own.labels)) lines.push(`- Service ${svc.doc.name ?? '(unnamed)'} selects this workload's pods (${fileName(svc.uri)})`);
  }
  return lines.length ? `**This selector matches**\n\n${lines.join('\n')}` : '**This selector matches no pod template in the workspace, not even its own.**';
}

function scheduleRuns(doc: ManifestDocument, now: Date): string {
  const spec = valueAt(doc.value, ['spec', 'schedule']);
  const tz = valueAt(doc.value, ['spec', 'timeZone']);
  if (typeof spec !== 'string') return '';
  const timeZone = typeof tz === 'string' ? tz : undefined;
  const r = nextRuns(spec, timeZone, now, 3);
  if (!r.ok) return `Schedule \`${spec}\` cannot be parsed: ${r.error}`;
  const zone = timeZone ? r.timeZone : 'UTC, as spec.timeZone is unset';
  return `**Next runs** (${zone})\n\n${r.runs.map((d) => `- ${formatInZone(d, timeZone)}`).join('\n')}`;
}

function fieldDoc(field: string, schema: SchemaInfo): string {
  const facts = [schema.type && `\`${schema.type}\``, schema.format && `format \`${schema.format}\``, schema.enum && `one of ${schema.enum.map((e) => `\`${e}\``).join(', ')}`, schema.default !== undefined && `default \`${JSON.stringify(schema.default)}\``].filter(Boolean);
  return `**${field}**${facts.length ? ` (${facts.join('; ')})` : ''}\n\n${schema.description}`;
}

/** A custom resource's field, its description followed by the schema that documents it. */
function customFieldDoc(workspace: WorkspaceIndex, kindKey: string, path: ObjectPath): SchemaInfo | undefined {
  const info = customSchemaAt(workspace, kindKey, path);
  if (!info) return undefined;
  const source = `_${info.source[0].toUpperCase()}${info.source.slice(1)}._`;
  return { ...info, description: info.description ? `${info.description}\n\n${source}` : source };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function sameDoc(a: ManifestDocument, b: ManifestDocument): boolean {
  return a.source === b.source && a.offset === b.offset;
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
