// The one check pipeline the language server, the CLI, the tests and the benchmarks share: YAML
// problems, schema findings and every rule's findings for each Kubernetes document, then the
// user's settings and in-file suppression comments. Never throws: a failing check becomes one
// internal-error finding. The language server only adds its per-document cache (check-cache.ts).
import { isKubernetesObject, isRecord, keyRange, textIncludes, textLength, valueRange, versionedTemplateView, type BranchChoice, type ManifestDocument, type ManifestFile, type ManifestProblem, type Offsets, type TemplateCapabilities, type TemplateView } from './manifest';
import { TEMPLATE_PLACEHOLDER, touchesSpan } from './manifest/template-mask';
import { looksLikeKubernetes } from './manifest/large-document';
import { ALL_RULES } from './rules';
import { guarded, runRules } from './rules/run';
import { kubernetesTarget, validateDocument, type KubernetesTarget } from './schema';
import { servesApi } from './schema/api-availability';
import { halfTyped, missingTypeFinding } from './schema/missing-type';
import type { Rule, RuleContext } from './rules/types';
import { FILE_TOO_LARGE, INTERNAL_ERROR, KUSTOMIZE_BUILD, NOT_TEXT, SCHEMA, TEMPLATE_NOT_CHECKED, TEMPLATE_REFERENCE_UNRESOLVED, TEMPLATE_VERSION_BRANCH, YAML_SYNTAX } from './builtin-checks';
import { RENDERED, templatedReferences } from './scope/template-references';
import type { CheckCache, FindingScope } from './check-cache';
import { mapFixes, type Finding } from './findings';
import { atTheirPlaces, joined, keptWhere, unmoved, type PlacedFindings } from './placed-findings';
import { DEFAULT_SETTINGS, type KdrySettings } from './settings';
import { uriToPath, type WorkspaceIndex } from './workspace';
import { isKustomization } from './workspace/kustomize';
import { kustomizationProblems, problemPath } from './scope/kustomize-problems';
import type { KustomizationProblem } from './scope/kustomize-problem';
import { NEWEST_BUNDLED } from './release-in-force';
import { inSourcesPass } from './scope/kustomize-sources';
import { fluxSubstituted, hasFluxSubstitution } from './scope/flux-substitution';

import { MAX_CHECKED_FILE_BYTES } from './checked-file-size';
export { MAX_CHECKED_FILE_BYTES };
/** Documents after this many in one file are not checked (one informative finding says so). */
export const MAX_CHECKED_DOCUMENTS = 2000;

/**
 * `# kdry-disable-next-line [ids]` above a line, or `# kdry-disable-line [ids]` at its end; ids
 * separated by commas, and an optional reason after ` -- ` (as in ESLint).
 */
const SUPPRESSION = /(?:^|[ \t])#[ \t]*kdry-disable-(next-)?line\b([^\n]*)/gm;

/**
 * Findings of a whole file, settings and suppression comments applied. With a cache (the language
 * server keeps one per open document), documents unchanged since the last check are not checked
 * again; the findings are the same either way.
 */
export function checkFile(file: ManifestFile, workspace: WorkspaceIndex, settings: KdrySettings = DEFAULT_SETTINGS, cache?: CheckCache): Finding[] {
  return atTheirPlaces(checkFilePlaced(file, workspace, settings, cache));
}

/**
 * checkFile's findings as the cache holds them: a document's where they were made, with how far
 * the document has moved since (placed-findings.ts). The language server converts them so.
 */
export function checkFilePlaced(file: ManifestFile, workspace: WorkspaceIndex, settings: KdrySettings = DEFAULT_SETTINGS, cache?: CheckCache): PlacedFindings {
  // One pass: the kustomize memos its rules share stat their generator files once (scope/kustomize-sources.ts).
  return inSourcesPass(() => checkFileInPass(file, workspace, settings, cache));
}

function checkFileInPass(file: ManifestFile, workspace: WorkspaceIndex, settings: KdrySettings, cache?: CheckCache): PlacedFindings {
  if (!settings.enable) return NONE;
  const guard = fileGuard(file);
  if (guard) return unmoved([guard]);
  const kustomize = kustomizeBuildFindings(file, workspace);
  if (!isKubernetesFile(file)) return kustomize.length ? finishFindings(file, unmoved(kustomize), settings) : NONE;
  const limit = checkedLengthOf(file);
  const documents = file.documents.filter((doc) => doc.offset < limit);
  const compute = (doc: ManifestDocument, scope: FindingScope) => checkDocument(file, doc, workspace, settings, scope);
  const raw = cache
    ? cache.findings(documents, { patch: workspace.isPatch(file.uri), settings }, compute)
    : unmoved(documents.flatMap((doc) => [...compute(doc, 'local'), ...compute(doc, 'crossDocument')]));
  const flux = fluxFindings(file, documents, workspace, settings, raw);
  const skipped = skippedDocumentsFinding(file, limit);
  return finishFindings(file, skipped || kustomize.length ? joined(unmoved([...(skipped ? [skipped] : []), ...kustomize]), flux) : flux, settings);
}

/**
 * The findings of the documents a Flux Kustomization substitutes variables in
 * (scope/flux-substitution.ts), on the values as substituted: a finding on a value with a variable
 * is the substituted object's, and none where kdry cannot know the variable. Not cached with the
 * documents: the values depend on the Flux Kustomization and its sources (another file), and the
 * other threads of `kdry check` check a document without the workspace.
 */
function fluxFindings(file: ManifestFile, documents: readonly ManifestDocument[], workspace: WorkspaceIndex, settings: KdrySettings, raw: PlacedFindings): PlacedFindings {
  // Before looking at each document: `$(VAR)` in env values and scripts is common, a Flux postBuild rare.
  if (!textIncludes(file, '$') || !hasFluxSubstitution(workspace)) return raw;
  const substitutions = documents.flatMap((doc) => {
    const flux = !doc.templated && isKubernetesObject(doc) ? fluxSubstituted(workspace, file.uri, doc) : undefined;
    return flux ? [{ doc, flux }] : [];
  });
  if (substitutions.length === 0) return raw;
  let out = atTheirPlaces(raw);
  for (const { doc, flux } of substitutions) {
    const spans = [...flux.substituted, ...flux.unknown];
    const within = (f: Finding) => f.range[0] >= doc.range[0] && f.range[1] <= doc.range[1];
    const options = { rules: ALL_RULES, partial: workspace.isPatch(file.uri) };
    const substituted = (['local', 'crossDocument'] as const).flatMap((scope) => objectFindings(file, flux.doc, workspace, settings, { ...options, scope }));
    out = [...out.filter((f) => !within(f) || !touchesSpan(spans, f.range[0], f.range[1])), ...substituted.filter((f) => touchesSpan(flux.substituted, f.range[0], f.range[1]))];
  }
  return unmoved(out);
}

const NONE: PlacedFindings = unmoved([]);

/**
 * A kustomization's patches that make `kustomize build` fail or change nothing
 * (scope/kustomize-problems.ts), on the entry; and on a patch file, its own entry's (on the
 * first key of each document). Not cached with the documents: they depend on the whole build
 * (kustomizationProblems builds it once per workspace revision).
 */
function kustomizeBuildFindings(file: ManifestFile, workspace: WorkspaceIndex): Finding[] {
  // A patch target or a resource the scan has not read yet would be "selects nothing" or missing.
  if (workspace.scanning) return [];
  const path = uriToPath(file.uri);
  const patchOf = workspace.isPatch(file.uri) ? workspace.patchedBy(file.uri) : undefined;
  const kustomization = path !== undefined && isKustomization(path) ? file.uri : patchOf;
  if (kustomization === undefined || !file.documents[0]) return [];
  return guarded(KUSTOMIZE_BUILD.id, file.documents[0], () => kustomizeBuildProblems(file, workspace, kustomization, path));
}

function kustomizeBuildProblems(file: ManifestFile, workspace: WorkspaceIndex, kustomization: string, path: string | undefined): Finding[] {
  const problems = kustomizationProblems(workspace, kustomization);
  const finding = (range: Offsets | undefined, p: KustomizationProblem): Finding[] => (range ? [{ ruleId: KUSTOMIZE_BUILD.id, severity: p.severity, range, message: p.message }] : []);
  if (kustomization === file.uri) {
    const doc = file.documents[0];
    return doc ? problems.flatMap((p) => finding(valueRange(doc, problemPath(doc.value, p)) ?? keyRange(doc, [p.source.field]), p)) : [];
  }
  return problems.filter((p) => p.source.path === path).flatMap((p) => file.documents.flatMap((doc) => finding(firstKey(doc), p)));
}

/** The first key of an object, the first operation of a JSON patch. */
function firstKey(doc: ManifestDocument): Offsets | undefined {
  const value = doc.value;
  if (Array.isArray(value)) return value.length ? valueRange(doc, [0]) : undefined;
  const key = isRecord(value) ? Object.keys(value)[0] : undefined;
  return key === undefined ? undefined : keyRange(doc, [key]);
}

/**
 * How much of the text is checked: everything, or up to the start of the document after
 * MAX_CHECKED_DOCUMENTS (found by a scan for `---` lines, far cheaper than parsing).
 * `documentsAtMost`: a bound the caller already knows (the editor's incremental split), which
 * spares the scan of the whole text when it is within the limit.
 */
export function checkedLength(text: string, documentsAtMost = Infinity): number {
  // The editor asks twice per check (FileStore.update, then checkFile) for the same string.
  if (lastMeasured?.text === text) return lastMeasured.length;
  let length = text.length;
  let documents = 1;
  for (let at = documentsAtMost <= MAX_CHECKED_DOCUMENTS ? -1 : text.indexOf('\n---'); at >= 0; at = text.indexOf('\n---', at + 4)) {
    const next = text[at + 4];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '\r') continue;
    if (++documents > MAX_CHECKED_DOCUMENTS) {
      length = at + 1;
      break;
    }
  }
  lastMeasured = { text, length };
  return length;
}

let lastMeasured: { text: string; length: number } | undefined;

/** checkedLength of a file's text; one kept in pieces (an editor's buffer) within the limit is neither scanned nor joined. */
function checkedLengthOf(file: ManifestFile): number {
  const pieces = file.pieces;
  return pieces && pieces.chunks.length + 1 <= MAX_CHECKED_DOCUMENTS ? pieces.length : checkedLength(file.text);
}

/** The informative finding for a file cut at `limit` (undefined when nothing was cut). */
function skippedDocumentsFinding(file: ManifestFile, limit: number): Finding | undefined {
  if (limit >= textLength(file)) return undefined;
  const text = file.text;
  return {
    ruleId: FILE_TOO_LARGE.id,
    severity: FILE_TOO_LARGE.severity,
    range: [0, Math.max(0, lineEnd(text, 0))],
    message: `This file has more than ${MAX_CHECKED_DOCUMENTS} YAML documents; kdry checked the first ${MAX_CHECKED_DOCUMENTS} (up to line ${lineCount(text, limit)}) and did not validate the rest. Split it to check everything.`,
  };
}

/** Settings, suppression comments, and one internal-error finding per failing check and file. */
function finishFindings(file: ManifestFile, raw: PlacedFindings, settings: KdrySettings): PlacedFindings {
  const failed = new Set<string>();
  const once = !raw.findings.some((f) => f.ruleId === INTERNAL_ERROR.id) ? raw : keptWhere(raw, (f) => {
    if (f.ruleId !== INTERNAL_ERROR.id) return true;
    const key = f.message.slice(0, f.message.indexOf(' check failed'));
    if (failed.has(key)) return false;
    failed.add(key);
    return true;
  });
  return applySuppressions(file, dropSchemaDuplicates(placedSettings(once, settings)));
}

/** applySettings on placed findings: a finding whose severity the settings change is a copy at the same place. */
function placedSettings(placed: PlacedFindings, settings: KdrySettings): PlacedFindings {
  if (settings.schemaValidation && !hasRuleSettings(settings)) return placed;
  const kept = keptWhere(placed, (f) => (f.ruleId !== SCHEMA.id || settings.schemaValidation) && settings.rules[f.ruleId] !== 'off');
  if (!kept.findings.some((f) => settings.rules[f.ruleId] === 'warning' || settings.rules[f.ruleId] === 'error')) return kept;
  return { findings: applySettings([...kept.findings], settings), shifts: kept.shifts };
}

/**
 * A rule that explains a key (where it belongs, what the API server does) replaces the generic
 * schema finding on the same range, so one mistake gives one diagnostic. Runs after the settings:
 * turning the rule off brings the schema finding back.
 */
function dropSchemaDuplicates(placed: PlacedFindings): PlacedFindings {
  const { findings, shifts } = placed;
  if (!findings.some((f) => f.ruleId === SCHEMA.id)) return placed;
  // One number per range (offsets stay far below 2^26 in a checked file), kept sorted in a typed
  // array: a Set of them boxed each number, some 80 KB per keystroke of a 1,000-document file.
  const at = (f: Finding, shift: number) => (f.range[0] + shift) * 2 ** 26 + f.range[1] + shift;
  const explained = new Float64Array(findings.length);
  let count = 0;
  for (let i = 0; i < findings.length; i++) if (findings[i].ruleId !== SCHEMA.id && findings[i].ruleId !== YAML_SYNTAX.id) explained[count++] = at(findings[i], shifts[i]);
  if (!count) return placed;
  const sorted = explained.subarray(0, count).sort();
  return keptWhere(placed, (f, shift) => f.ruleId !== SCHEMA.id || !holds(sorted, at(f, shift)));
}

/** Whether the ascending `sorted` holds `value`. */
function holds(sorted: Float64Array, value: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && sorted[low] === value;
}

/**
 * Raw findings of one document (settings for schema validation applied, severities not yet):
 * its single-document checks, or its cross-document rules (the cache keeps them apart).
 */
function checkDocument(file: ManifestFile, doc: ManifestDocument, workspace: WorkspaceIndex, settings: KdrySettings, scope: FindingScope): Finding[] {
  return guarded('check', doc, () => {
    const findings: Finding[] = [];
    if (scope === 'local') findings.push(...yamlFindings(doc));
    if (doc.templated) {
      const kubernetes = targetOf(settings);
      const { view, choices } = templateFor(doc, kubernetes);
      const notChecked = templateNotChecked(doc, view);
      if (scope !== 'local') return notChecked || !view ? findings : templateFindings(file, view, workspace, settings, scope);
      if (notChecked) findings.push(templateNotCheckedFinding(doc, notChecked));
      else if (view) findings.push(...choices.map((c) => versionBranchFinding(c, kubernetes, settings)), ...templateFindings(file, view, workspace, settings, scope));
    } else if (isRecord(doc.value) && isKubernetesObject(doc)) {
      findings.push(...objectFindings(file, doc, workspace, settings, { scope, rules: ALL_RULES, partial: workspace.isPatch(file.uri) }));
    } else if (scope === 'local' && settings.schemaValidation && !isKustomization(file.uri) && !workspace.isPatch(file.uri)) {
      const missingType = missingTypeFinding(file, doc);
      if (missingType) findings.push(missingType);
    }
    return findings;
  });
}

/** Schema and rule findings of a Kubernetes object; a partial one (a patch, a template) skips what needs it whole. */
function objectFindings(file: ManifestFile, doc: ManifestDocument, workspace: WorkspaceIndex, settings: KdrySettings, options: { scope: FindingScope; rules: readonly Rule[]; partial: boolean }): Finding[] {
  const { scope, rules, partial } = options;
  const findings: Finding[] = [];
  const kubernetes = targetOf(settings);
  if (scope === 'local' && settings.schemaValidation) findings.push(...guarded(SCHEMA.id, doc, () => validateDocument(doc, { partial, target: kubernetes })));
  findings.push(...runRules({ file, doc, workspace, kubernetes, settings }, scope === 'crossDocument' ? judgingNow(rules, workspace) : rules, { only: scope, partial }));
  return findings;
}

/**
 * The cross-document rules that judge now: while the editor's workspace scan is still reading
 * files, only those that leave out by themselves what a file not read yet could change
 * (Rule.judgesWhileScanning). The others would say a reference is "not in scope" or a selector
 * "selects nothing" because of a file the scan has not read yet, and the first publication after
 * an open showed such findings and withdrew them (a user trial). The scan's end moves the workspace
 * generation (lsp/files.ts), so the check cache computes the held findings then.
 */
function judgingNow(rules: readonly Rule[], workspace: WorkspaceIndex): readonly Rule[] {
  return workspace.scanning ? rules.filter((r) => r.judgesWhileScanning) : rules;
}

/**
 * A Go/Helm template is checked on what it writes literally: as a partial object (the template may
 * add any field), by the single-document rules that hold for partial objects, and by the
 * cross-document rules' template checks (a custom resource against the chart's CRD). A finding or a
 * fix that touches a template action depends on what the template renders, so it is left out.
 */
function templateFindings(file: ManifestFile, template: TemplateView, workspace: WorkspaceIndex, settings: KdrySettings, scope: FindingScope): Finding[] {
  const doc = template.document;
  if (!isRecord(doc.value) || !literal(doc.apiVersion) || !literal(doc.kind) || kindChosenInBlock(template)) return [];
  const clear = (range: Offsets) => !touchesSpan(template.actions, range[0], range[1]);
  // Rules read the file's text around a finding for their fixes: give them the masked text.
  const masked: ManifestFile = { ...file, text: withView(maskedText(file), template) };
  const found = scope === 'local' ? objectFindings(masked, doc, workspace, settings, { scope, rules: TEMPLATE_RULES, partial: true }) : crossDocumentTemplateFindings({ file: masked, doc, workspace, kubernetes: targetOf(settings), settings });
  const kept: Finding[] = [];
  for (const f of found) {
    if (!clear(f.range) || !literal(f.message)) continue;
    kept.push(mapFixes(f, (fix) => (fix.edits.every((e) => clear(e.range) && literal(e.newText)) ? fix : undefined)));
  }
  return kept;
}

const TEMPLATE_RULES = ALL_RULES.filter((r) => r.templates);
const CROSS_DOCUMENT_TEMPLATE_RULES = ALL_RULES.filter((r) => r.crossDocument && r.checkTemplate);

function crossDocumentTemplateFindings(ctx: RuleContext): Finding[] {
  return judgingNow(CROSS_DOCUMENT_TEMPLATE_RULES, ctx.workspace).flatMap((rule) => guarded(rule.id, ctx.doc, () => rule.checkTemplate!(ctx).map((f) => (f.severity ? f : { ...f, severity: rule.severity }))));
}

const literal = (text: string | undefined) => text !== undefined && !text.includes(TEMPLATE_PLACEHOLDER);

/**
 * `kind` or `apiVersion` chosen in an `{{ if }}` (a StatefulSet or a Deployment): no one kind to
 * check against. A block around the whole document (metadata too) only decides whether it renders.
 */
function kindChosenInBlock(template: TemplateView): boolean {
  const doc = template.document;
  const body = keyRange(doc, ['metadata']) ?? keyRange(doc, ['spec']);
  const within = (range: Offsets | undefined, [start, end]: Offsets) => !!range && range[0] >= start && range[1] <= end;
  const chosen = (key: string) => template.blocks.some((block) => within(keyRange(doc, [key]), block) && !within(body, block));
  return chosen('kind') || chosen('apiVersion');
}

/** The Kubernetes release the settings ask for (normalized settings hold only versions that parse). */
function targetOf(settings: KdrySettings): KubernetesTarget {
  return kubernetesTarget(settings.kubernetesVersion) ?? kubernetesTarget()!;
}

/**
 * The view a template document is checked in: its version branches (`.Capabilities` tests that
 * choose the apiVersion or kind) decided as Helm would for the target release, else as written.
 */
function templateFor(doc: ManifestDocument, kubernetes: KubernetesTarget): DecidedTemplate {
  // Asked again for the same document by notCheckedParts (the CLI's gate) after the check: the
  // decision parses the masked document, so it is made once per document and release.
  let byRelease = decidedTemplates.get(doc);
  if (!byRelease) decidedTemplates.set(doc, (byRelease = new Map()));
  let decided = byRelease.get(kubernetes.version);
  if (!decided) byRelease.set(kubernetes.version, (decided = versionedTemplateView(doc, templateCapabilities(kubernetes)) ?? { view: doc.template, choices: [] }));
  return decided;
}

type DecidedTemplate = { view: TemplateView | undefined; choices: BranchChoice[] };

const decidedTemplates = new WeakMap<ManifestDocument, Map<string, DecidedTemplate>>();

/** `.Capabilities` of a cluster of the target release: its KubeVersion and the built-in APIs it serves. */
function templateCapabilities(kubernetes: KubernetesTarget): TemplateCapabilities {
  return {
    kubeVersion: `${kubernetes.version}.0`,
    hasApi: (api) => servesApi(api, kubernetes),
  };
}

function versionBranchFinding(choice: BranchChoice, kubernetes: KubernetesTarget, settings: KdrySettings): Finding {
  const held = choice.taken === 'else' ? 'no condition before `else` holds, so it takes the `else` branch' : choice.taken === 'none' ? 'no condition holds, so the chain renders nothing' : `\`${choice.taken}\` holds, so it takes that branch`;
  return {
    ruleId: TEMPLATE_VERSION_BRANCH.id,
    severity: TEMPLATE_VERSION_BRANCH.severity,
    range: choice.range,
    message: `On Kubernetes ${kubernetes.version} (${releaseReason(settings)}) ${held}; kdry checked the document as it renders there.`,
  };
}

/** Why the settings' release is in force: said where it was resolved, else the setting or kdry's default. */
function releaseReason(settings: KdrySettings): string {
  return settings.kubernetesVersionReason ?? (settings.kubernetesVersion ? 'from the kdry.kubernetesVersion setting' : NEWEST_BUNDLED.reason);
}

/** The file's masked text with this document replaced by its view (a decided template differs from its plain masking). */
function withView(maskedFileText: string, template: TemplateView): string {
  const doc = template.document;
  return maskedFileText.slice(0, doc.offset) + doc.source + maskedFileText.slice(doc.offset + doc.source.length);
}

/**
 * Why a template document that looks like a Kubernetes object was not checked at all, or
 * undefined when it was checked (or holds nothing literal to check, such as a lone `include`).
 * `template` is the view it is checked in (templateFor).
 */
export function templateNotChecked(doc: ManifestDocument, template = doc.template): string | undefined {
  if (!doc.templated) return undefined;
  const rendered = 'Check what the chart renders instead: `helm template . | kdry check -`.';
  const view = template?.document;
  if (!view) return looksLikeKubernetes(doc.source) ? `kdry could not read this template as YAML once its {{ }} actions were masked, so nothing in this document was checked. ${rendered}` : undefined;
  if (!isRecord(view.value) || !isKubernetesObject(view)) return undefined;
  if (!literal(view.apiVersion) || !literal(view.kind)) return `This template's kind or apiVersion comes from a template action, so kdry cannot tell which schema applies and did not check this document. ${rendered}`;
  if (kindChosenInBlock(template!)) return `This template chooses its kind or apiVersion in an {{ if }} block, so kdry did not check this document against either. ${rendered}`;
  return undefined;
}

/**
 * The parts of a file the check leaves out, each as an informative finding: documents past
 * MAX_CHECKED_DOCUMENTS and template documents that could not be checked. Independent of settings
 * and suppression comments, so a gate (the CLI) can never call such a file wholly checked.
 */
export function notCheckedParts(file: ManifestFile, settings: KdrySettings = DEFAULT_SETTINGS): Finding[] {
  const parts: Finding[] = [];
  const limit = checkedLengthOf(file);
  const skipped = skippedDocumentsFinding(file, limit);
  if (skipped) parts.push(skipped);
  for (const doc of file.documents) {
    if (doc.offset >= limit) break;
    const why = doc.templated ? templateNotChecked(doc, templateFor(doc, targetOf(settings)).view) : undefined;
    if (why) parts.push(templateNotCheckedFinding(doc, why));
  }
  return parts;
}

/**
 * For `kdry check`, which has no CodeLens: each reference of a checked template whose name is made
 * by template actions, as an informative finding (the editor's lens and hover say the same,
 * scope/template-references.ts). It leaves the file checked: a template is checked on what it
 * writes literally, and a name an action makes is, like any value an action makes, not judged.
 */
export function unresolvedTemplateReferences(file: ManifestFile, settings: KdrySettings = DEFAULT_SETTINGS): Finding[] {
  const found: Finding[] = [];
  const limit = checkedLengthOf(file);
  for (const doc of file.documents) {
    if (doc.offset >= limit) break;
    if (!doc.templated) continue;
    const view = templateFor(doc, targetOf(settings)).view;
    if (!view || templateNotChecked(doc, view)) continue;
    for (const t of templatedReferences(file, view.document)) {
      const range = valueRange(view.document, t.ref.path);
      if (!range) continue;
      found.push({
        ruleId: TEMPLATE_REFERENCE_UNRESOLVED.id,
        severity: TEMPLATE_REFERENCE_UNRESOLVED.severity,
        range,
        message: `${t.ref.kind} \`${t.written}\` (${t.ref.via}): its name is made by template actions, so kdry cannot resolve it without rendering the chart; it does not guess, and did not check this reference against the objects in scope. ${RENDERED}`,
      });
    }
  }
  return found;
}

function templateNotCheckedFinding(doc: ManifestDocument, message: string): Finding {
  return { ruleId: TEMPLATE_NOT_CHECKED.id, severity: TEMPLATE_NOT_CHECKED.severity, range: [doc.offset, doc.offset + lineEnd(doc.source, 0)], message };
}

const maskedTexts = new WeakMap<ManifestFile, string>();

/** The file's text with every template document masked (same offsets); built once per file. */
function maskedText(file: ManifestFile): string {
  let text = maskedTexts.get(file);
  if (text !== undefined) return text;
  text = '';
  let at = 0;
  for (const doc of file.documents) {
    const view = doc.template?.document;
    if (!view) continue;
    text += file.text.slice(at, doc.offset) + view.source;
    at = doc.offset + doc.source.length;
  }
  text += file.text.slice(at);
  maskedTexts.set(file, text);
  return text;
}

/** The file is Kubernetes when any document declares apiVersion and kind (even a broken one, or in a template). */
function isKubernetesFile(file: ManifestFile): boolean {
  return file.documents.some((d) => isKubernetesObject(d.template?.document ?? d) || halfTyped(d) || (d.problems.length > 0 && looksLikeKubernetes(d.source)));
}

/** One finding that replaces the check for a file that is too large or not text; undefined otherwise. */
export function fileGuard(file: ManifestFile): Finding | undefined {
  const firstLine = (): Offsets => [0, Math.max(0, lineEnd(file.text, 0))];
  const length = textLength(file);
  if (length > MAX_CHECKED_FILE_BYTES) {
    const mb = (length / 1024 / 1024).toFixed(1);
    return {
      ruleId: FILE_TOO_LARGE.id,
      severity: FILE_TOO_LARGE.severity,
      range: firstLine(),
      message: `This file is ${mb} MB; kdry checks files up to ${MAX_CHECKED_FILE_BYTES / 1024 / 1024} MB, so it was not validated. Split it into smaller manifests to get diagnostics.`,
    };
  }
  if (textIncludes(file, '\u0000')) {
    return { ruleId: NOT_TEXT.id, severity: NOT_TEXT.severity, range: firstLine(), message: 'This file contains NUL bytes (binary data), so kdry did not validate it as YAML.' };
  }
  return undefined;
}

/**
 * Findings made beside the pipeline (the simulation-backed rules, which run the engine elsewhere):
 * the user's settings and suppression comments, as checkFile applies them to its own.
 */
export function withUserChoices(file: ManifestFile, findings: Finding[], settings: KdrySettings): Finding[] {
  return findings.length === 0 ? findings : atTheirPlaces(applySuppressions(file, unmoved(applySettings(findings, settings))));
}

/** kdry.rules severities and `off`; kdry.schemaValidation. */
function applySettings(findings: Finding[], settings: KdrySettings): Finding[] {
  if (settings.schemaValidation && !hasRuleSettings(settings)) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === SCHEMA.id && !settings.schemaValidation) continue;
    const setting = settings.rules[f.ruleId];
    if (setting === 'off') continue;
    out.push(setting === 'warning' || setting === 'error' ? { ...f, severity: setting } : f);
  }
  return out;
}

/** Whether kdry.rules sets any rule's severity (else applySettings changes nothing). */
function hasRuleSettings(settings: KdrySettings): boolean {
  for (const _ in settings.rules) return true;
  return false;
}

/** Drops findings that start on a line a suppression comment names (see SUPPRESSION). */
function applySuppressions(file: ManifestFile, findings: PlacedFindings): PlacedFindings {
  // Whether the text has a suppression comment at all, before reading it line by line.
  if (!textIncludes(file, 'kdry-disable-')) return findings;
  const text = file.text;
  const suppressed = new Map<number, Set<string> | 'all'>(); // start offset of the suppressed line -> ids
  for (const m of text.matchAll(SUPPRESSION)) {
    const line = m[1] ? lineEnd(text, m.index) + 1 : lineStart(text, m.index + m[0].indexOf('#'));
    if (line > text.length) continue;
    const ids = m[2].split(' -- ')[0].split(',').map((s) => s.trim()).filter(Boolean);
    const previous = suppressed.get(line);
    if (previous === 'all' || ids.length === 0) suppressed.set(line, 'all');
    else suppressed.set(line, new Set([...(previous ?? []), ...ids]));
  }
  if (suppressed.size === 0) return findings;
  return keptWhere(findings, (f, shift) => {
    const ids = suppressed.get(lineStart(text, f.range[0] + shift));
    return !(ids === 'all' || ids?.has(f.ruleId));
  });
}

/** Syntax errors at their position; a duplicate key's range is the whole key (duplicate-keys.ts). */
function yamlFindings(doc: ManifestDocument): Finding[] {
  return withoutCascades(doc.problems).map((p) => ({
    ruleId: YAML_SYNTAX.id,
    message: YAML_EXPLANATIONS[p.code] ? `${p.message}: ${YAML_EXPLANATIONS[p.code]}` : p.message,
    range: p.range,
    severity: p.severity,
  }));
}

const YAML_EXPLANATIONS: Record<string, string> = {
  DUPLICATE_KEY: 'Kubernetes keeps only one value per key and silently loses the rest.',
  TAB_AS_INDENT: 'YAML indents with spaces only; kubectl fails with "found character that cannot start any token". Replace the tab with spaces.',
};

/**
 * One syntax error per position, and after a tab used as indentation only further tab (and
 * duplicate-key) errors: the parser misreads everything below a tab, so the rest are its echoes.
 */
function withoutCascades(problems: ManifestProblem[]): ManifestProblem[] {
  const firstTab = problems.find((p) => p.code === 'TAB_AS_INDENT');
  const kept: ManifestProblem[] = [];
  let lastStart = -1;
  for (const p of problems) {
    if (firstTab && p.range[0] > firstTab.range[0] && p.code !== 'TAB_AS_INDENT' && p.code !== 'DUPLICATE_KEY') continue;
    if (p.code === 'RESOURCE_EXHAUSTION' && kept.some((k) => k.code === p.code)) continue; // one "too deep" is enough
    if (kept.length > 0 && p.range[0] === lastStart) continue;
    kept.push(p);
    lastStart = p.range[0];
  }
  return kept;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Lines that end before `offset`. */
function lineCount(text: string, offset: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
