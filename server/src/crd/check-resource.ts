// The findings of one custom resource: version served and not deprecated, structural schema
// (defaults applied first), then the CEL validation rules unless a blocking error already
// rejects the object, exactly in the API server's order (customresource/strategy.go Validate).
import { closestRange, isRecord, valueRange, type ManifestDocument } from '../manifest';
import type { Finding } from '../findings';
import type { WorkspaceIndex } from '../workspace';
import { withDefaults } from './defaults';
import { BLOCKING, type ErrorType, type Violation } from './field-error';
import { CUSTOM_RESOURCE_RULE_ID, violationFinding, type FindingContext } from './findings';
import { describeSource, resolveCustomResource, type Resolution } from './registry';
import { evaluateRules, type SkippedRule } from './validation-rules';
import type { StructuralSchema } from '../k8s/structural-schema';
import { validateResource } from './validate';
import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';
import { yamlScalar } from '../text-edits';

/** `release`: the Kubernetes release in force (what the API server's feature gates default to); the newest when absent. */
export function checkCustomResource(doc: ManifestDocument, workspace: WorkspaceIndex, release?: string): Finding[] {
  const resolution = resolvedNow(workspace, doc);
  if (!resolution) return [];
  const ctx: FindingContext = { doc, kind: resolution.crdKind, source: describeSource(resolution.source), bundled: resolution.source.kind === 'bundled' };
  if (resolution.kind === 'not-served') return [notServed(doc, resolution, ctx)];
  const findings: Finding[] = [];
  const { version, schema } = resolution;
  if (version.deprecated) {
    const group = doc.apiVersion!.split('/')[0];
    const warning = version.deprecationWarning ?? `${group}/${version.name} ${resolution.crdKind} is deprecated`;
    findings.push(note(doc, 'warning', `kubectl prints "Warning: ${warning}" when this is applied: the CRD marks ${doc.apiVersion} deprecated. (${ctx.source})`, true));
  }
  const judged = judgeCustomResource(doc.value, schema, release, version.statusSubresource);
  findings.push(...judged.violations.map((v) => violationFinding(v, ctx)));
  if (judged.rulesBlocked) {
    findings.push(note(doc, 'info', `Some validation rules were not checked because the object was invalid; correct the existing errors to complete validation (the API server says the same and skips every x-kubernetes-validations rule). (${ctx.source})`));
    return findings;
  }
  const noted = new Set<string>();
  for (const skipped of judged.skipped) {
    if (noted.has(skipped.rule)) continue;
    noted.add(skipped.rule);
    findings.push({
      ruleId: CUSTOM_RESOURCE_RULE_ID,
      severity: 'info',
      range: closestRange(doc, skipped.path),
      message: `kdry did not evaluate the validation rule \`${skipped.rule}\`: ${skipped.reason}. (${ctx.source})`,
    });
  }
  return findings;
}

/**
 * What a Go/Helm template (`doc`: its masked view) writes literally, judged by the structural
 * schema field by field: unknown fields (strict decoding), types, enums, formats of the values
 * written. Not the required fields (the template may render them), duplicates and item counts
 * (alternative `{{ if }}` branches may each write an item), nor the CEL rules (one may read a
 * value the template renders): the caller drops what touches a template action.
 */
export function checkTemplatedCustomResource(doc: ManifestDocument, workspace: WorkspaceIndex): Finding[] {
  const resolution = resolvedNow(workspace, doc);
  if (!resolution) return [];
  const ctx: FindingContext = { doc, kind: resolution.crdKind, source: describeSource(resolution.source), bundled: resolution.source.kind === 'bundled' };
  if (resolution.kind === 'not-served') return [notServed(doc, resolution, ctx)];
  const { violations } = validateResource(withDefaults(doc.value, resolution.schema), resolution.schema);
  return violations.filter((v) => !WHOLE_OBJECT.has(v.type)).map((v) => violationFinding(v, ctx));
}

/** Violations that judge more than the one field written (see checkTemplatedCustomResource). */
const WHOLE_OBJECT: ReadonlySet<ErrorType> = new Set(['Required', 'Duplicate', 'TooMany']);

/**
 * The schema that judges `doc`; none from kdry's bundled snapshot while the editor's workspace scan
 * still reads files (a CRD of the workspace, read later, would judge it: no transient false error).
 */
function resolvedNow(workspace: WorkspaceIndex, doc: ManifestDocument): Resolution | undefined {
  const resolution = resolveCustomResource(workspace, doc.apiVersion, doc.kind);
  return resolution?.source.kind === 'bundled' && workspace.scanning ? undefined : resolution;
}

export interface Judgement {
  /** What the API server rejects: schema errors, then the failed validation rules. */
  violations: Violation[];
  /** Rules kdry did not evaluate, and why. */
  skipped: SkippedRule[];
  /** A blocking schema error kept every validation rule from running. */
  rulesBlocked: boolean;
}

/**
 * The API server's verdict on a custom resource's value under `schema` (defaults applied first).
 * `statusSubresource`: the version has the status subresource, so a written status is dropped on
 * create before validation (customresource/strategy.go PrepareForCreate); its unknown fields were
 * already a strict decoding error (the decoder prunes before the strategy runs).
 */
export function judgeCustomResource(value: unknown, schema: StructuralSchema, release?: string, statusSubresource = false): Judgement {
  const status = statusSubresource && isRecord(value) ? value.status : undefined;
  if (status !== undefined) {
    const { status: _dropped, ...created } = value as Record<string, unknown>;
    const judged = judgeCustomResource(created, schema, release);
    const undecodable = validateResource({ status }, schema).violations.filter((v) => v.type === 'UnknownField' && v.path[0] === 'status');
    return { ...judged, violations: [...undecodable, ...judged.violations] };
  }
  const result = validateResource(withDefaults(value, schema), schema);
  if (result.sites.length === 0) return { violations: result.violations, skipped: [], rulesBlocked: false };
  if (result.violations.some((v) => BLOCKING.has(v.type))) return { violations: result.violations, skipped: [], rulesBlocked: true };
  const rules = evaluateRules(result.sites, { ratcheting: release === undefined || gateOnByDefault(FEATURE_GATES.CRDValidationRatcheting, release), release });
  return { violations: [...result.violations, ...rules.violations], skipped: rules.skipped, rulesBlocked: false };
}

function notServed(doc: ManifestDocument, resolution: Extract<Resolution, { kind: 'not-served' }>, ctx: FindingContext): Finding {
  const range = valueRange(doc, ['apiVersion']) ?? closestRange(doc, ['apiVersion']);
  const group = doc.apiVersion!.split('/')[0];
  const served = resolution.served.map((v) => `${group}/${v}`);
  const bundled = resolution.source.kind === 'bundled';
  const message = bundled
    ? `kdry's bundled schema of ${resolution.crdKind} knows ${served.join(', ') || 'no version'}, not ${doc.apiVersion}; unless the cluster's CRD serves it, kubectl fails with: no matches for kind "${resolution.crdKind}" in version "${doc.apiVersion}". (${ctx.source})`
    : `kubectl fails with: no matches for kind "${resolution.crdKind}" in version "${doc.apiVersion}": the CRD serves ${served.join(', ') || 'no version'}. Nothing would be created. (${ctx.source})`;
  const fixes = served.length === 1 ? () => [{ title: `Change apiVersion to ${served[0]}`, edits: [{ range, newText: yamlScalar(served[0]) }], preferred: true }] : undefined;
  return { ruleId: CUSTOM_RESOURCE_RULE_ID, severity: bundled ? 'warning' : 'error', range, message, ...(fixes ? { fixes } : {}) };
}

function note(doc: ManifestDocument, severity: 'info' | 'warning', message: string, onApiVersion = false): Finding {
  const range = (onApiVersion && valueRange(doc, ['apiVersion'])) || closestRange(doc, ['kind']);
  return { ruleId: CUSTOM_RESOURCE_RULE_ID, severity, range, message };
}
