// The checks that are not rule files: YAML syntax, schema validation, the guards for files kdry
// does not read, and its own failures. One table feeds SARIF (`kdry check --format sarif`),
// docs/rules.md and `kdry rules`, so an id, a title or a severity is written once. The severity
// is the one the pipeline emits (yaml-syntax also reports YAML warnings as warnings).
import type { Finding, Severity } from './findings';

export interface BuiltinCheck {
  id: string;
  title: string;
  severity: Severity;
  /** What Kubernetes (or kdry) does with such a file, and why it matters (Markdown). */
  description: string;
  /** How to fix it (Markdown). */
  remediation: string;
  /** A document that produces this finding, for the docs; none for checks a small text cannot show. */
  example?: string;
}

export const YAML_SYNTAX: BuiltinCheck = {
  id: 'yaml-syntax',
  title: 'The file is not valid YAML; kubectl cannot read it.',
  severity: 'error',
  description:
    'kubectl and the API server parse manifests as YAML before anything else: a syntax error stops `kubectl apply` for the whole file. A key written twice in one mapping is reported too: only one of the two values can reach the cluster. A tab used as indentation is named as such (kubectl says "found character that cannot start any token"). In a document over 256 KiB a syntax error is found by kdry\'s quick YAML reader, which stops at the first one (reading such a document in full costs about a second per MiB, on every keystroke), and the message says so.',
  remediation: 'Fix the YAML at the position shown: indent with spaces only, close quotes and brackets, and keep each key once per mapping.',
  example: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  name: settings-v2\ndata:\n  mode: fast\n',
};

export const SCHEMA: BuiltinCheck = {
  id: 'schema',
  title: 'The document does not match the Kubernetes API schema of its kind; the API server rejects it.',
  severity: 'error',
  description:
    'Every document of a known kind is validated against the OpenAPI schema of the target Kubernetes release (`kdry.kubernetesVersion`, `kubernetesVersion:` in `.kdry/config.yaml` or `--kubernetes-version`; the newest bundled release by default): unknown fields (which `kubectl apply` rejects under strict field validation), missing required fields, wrong types and values outside an enum. Files a `kustomization.yaml` lists as patches are partial objects: missing required fields, null (delete) values and `$patch` directives are accepted there. A rule that explains the same key replaces the generic schema finding.',
  remediation: 'Change the field as the message says; where the field belongs elsewhere or its name is a near miss, the quick-fix moves or renames it. `kdry.schemaValidation: false` turns the check off.',
  example: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "three"\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
};

export const FILE_TOO_LARGE: BuiltinCheck = {
  id: 'file-too-large',
  title: 'The file is too large to check in full.',
  severity: 'info',
  description:
    'kdry checks files up to 2 MB and up to 2000 YAML documents a file, so that one generated file cannot stall the editor. A larger file is not validated at all; in a file with more documents, the documents after the 2000th are not validated. Kubernetes itself still reads them.',
  remediation: 'Split the file into smaller manifests to get diagnostics for all of it.',
};

export const NOT_TEXT: BuiltinCheck = {
  id: 'not-text',
  title: 'The file contains binary data and is not checked as YAML.',
  severity: 'info',
  description: 'A file with NUL bytes is binary data, not YAML text; kubectl cannot apply it, and kdry does not try to read it.',
  remediation: 'Make sure the file is the manifest you meant (not an archive or an image with a `.yaml` name), saved as UTF-8 text.',
};

export const INTERNAL_ERROR: BuiltinCheck = {
  id: 'kdry-internal',
  title: "One of kdry's checks failed on this document.",
  severity: 'warning',
  description: "A check (a rule, the schema validation) threw an error on this document, so its findings are missing; the other checks still ran. This is a bug in kdry, not in the manifest. One finding per failing check and file names the check and the error.",
  remediation: 'Please report it with the document that triggers it.',
};

export const INVALID_UTF8: BuiltinCheck = {
  id: 'invalid-utf8',
  title: 'The file is not valid UTF-8; kubectl cannot read it.',
  severity: 'error',
  description:
    'kubectl reads manifests with go-yaml, which refuses a file that is not UTF-8 ("invalid leading UTF-8 octet"). kdry reads such bytes as replacement characters (U+FFFD) and points at where they start. Reported by `kdry check`, and in the editor for an open file whose bytes on disk are not UTF-8 (the editor decoded them as replacement characters), until it is saved as UTF-8.',
  remediation: 'Save the file as UTF-8.',
};

/**
 * kubectl reads manifests with go-yaml, which refuses a file that is not UTF-8 ("invalid leading
 * UTF-8 octet", yaml.v2 readerc.go yaml_parser_update_buffer); kdry read it with U+FFFD in place.
 * `at`: the text offset of the first replacement character.
 */
export function invalidUtf8Finding(at: number): Finding {
  return {
    ruleId: INVALID_UTF8.id,
    severity: INVALID_UTF8.severity,
    range: [at, at + 1],
    message: 'This file is not valid UTF-8 from here on: kubectl refuses it ("invalid leading UTF-8 octet"), and kdry read the bytes as replacement characters (U+FFFD). Save the file as UTF-8.',
  };
}

export const TEMPLATE_NOT_CHECKED: BuiltinCheck = {
  id: 'template-not-checked',
  title: 'A chart template document kdry could not check; check the rendered chart instead.',
  severity: 'info',
  description:
    'Helm templates are checked on what they write literally. A template document whose kind or apiVersion comes from a template action, is chosen in an `{{ if }}` block, or does not read as YAML once its actions are masked cannot be checked at all; `kdry check` then reports the file as partly checked, never as clean.',
  remediation: 'Check what the chart renders: `helm template . | kdry check -`.',
};

export const TEMPLATE_REFERENCE_UNRESOLVED: BuiltinCheck = {
  id: 'template-reference-unresolved',
  title: 'A chart template names an object with template actions; kdry cannot resolve it without rendering the chart.',
  severity: 'info',
  description:
    'A reference in a Helm template whose name is made by template actions (`serviceAccountName: {{ include "web.serviceAccountName" . }}`, `configMapRef.name: {{ .Release.Name }}-config`) is known only once the chart renders. kdry does not render charts and does not guess, so the rules that judge references across documents (`missing-reference`, `missing-config-key`, ...) did not judge it. `kdry check` says so on each such name; in the editor a CodeLens above the template counts them and the hover explains each. The file still counts as checked (a template is checked on what it writes literally, and nothing a template action decides is judged: docs/cli.md), so a chart made by `helm create` passes the gate.',
  remediation: 'Check what the chart renders: `helm template . | kdry check -`. Turn the note off with `template-reference-unresolved: "off"` in `.kdry/config.yaml`.',
};

export const TEMPLATE_VERSION_BRANCH: BuiltinCheck = {
  id: 'template-version-branch',
  title: 'A chart template chooses its apiVersion or kind by the cluster version; kdry checked the branch the target release takes.',
  severity: 'info',
  description:
    'Charts choose an apiVersion or kind with `.Capabilities.APIVersions.Has "apps/v1"` or `semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion`, and Helm decides at render time from the cluster. kdry decides the same way for the target Kubernetes release (`kdry.kubernetesVersion`, `kubernetesVersion:` in `.kdry/config.yaml`, `--kubernetes-version`, else the kubelets of the cluster file in force, else the newest bundled release): the branch that release takes is checked, the others are not, and this note on the `{{ if }}` says which branch, why, and where the release came from. Only built-in APIs count for `Has`; a chain with any other condition is left as written (and the document is not checked).',
  remediation: 'Nothing to fix: set the Kubernetes version your cluster runs to check the branch it takes.',
};

export const DOCUMENT_TOO_LARGE: BuiltinCheck = {
  id: 'document-too-large',
  title: 'Hover and completion are off in this large YAML document.',
  severity: 'info',
  description:
    'In the editor, hover and completion read a document through its full YAML tree, which costs about a second per MiB; in a document over 256 KiB they stay off so that typing stays responsive. Diagnostics still cover the whole document. `kdry check` does not report this.',
  remediation: 'Split the document, or turn the finding off with `"kdry.rules": { "document-too-large": "off" }`.',
};

export const KUSTOMIZE_BUILD: BuiltinCheck = {
  id: 'kustomize-build',
  title: 'A patch, generator, replacement or var of a kustomization cannot apply: `kustomize build` fails (or the patch changes nothing, or kdry cannot read a generator\'s file).',
  severity: 'error',
  description:
    'kdry builds each kustomization as `kustomize build` does (its resources, bases, components and generated objects) and watches its patches. `kustomize build` fails on a strategic merge patch without a `target` that names no object of the build ("no resource matches strategic merge patch"), on a JSON 6902 operation that cannot apply (a `test` that does not hold, a path the object does not have), on a JSON patch without a target, on several strategic merge patches in one `patches` entry with a target, and on a patch file that does not exist: an error on the entry of the kustomization and on the patch file. A `target` that selects nothing is not an error for kustomize, but the patch then changes nothing: a warning. It also fails on a generator that creates a ConfigMap or Secret the build already has ("behavior must be merge or replace") or merges into or replaces one it has not ("cannot merge or replace"), on a replacement whose source selects nothing or several objects or lacks its `fieldPath`, or whose target lacks the field without `options.create`, and on a var whose object is not in the build or lacks the field: an error on the entry. A generator\'s file kdry cannot read (missing, outside the kustomization\'s folder, too large, not a regular file) is a warning on that file\'s entry, with why: the object\'s name is then shown without its hash. "Selects nothing" and "not in the build" are said only when kdry holds the whole build (no remote base, every resource in the workspace).',
  remediation: "Make the patch name an object of the build as kustomize names it at that step (a base's object by the name the base gives it, before this kustomization's prefix), fix the JSON patch's path, give a generator the `behavior` the build needs, point replacements and vars at objects and fields of the build, or remove the entry.",
};

/** In the order the docs and `kdry rules` list them. */
export const CHANGED_BEHAVIOUR: BuiltinCheck = {
  id: 'changed-behaviour',
  title: 'Upgrade report: a default or a controller behaviour that changes for this document in the target release.',
  severity: 'warning',
  description:
    'Only in the upgrade report (`kdry check --upgrade-to`, **kdry: Upgrade report…**). The OpenAPI data carries no defaults, so kdry keeps a cited table of the changes that matter to workloads (server/src/schema/changed-defaults.ts): from 1.29 a Job with a podFailurePolicy defaults to `podReplacementPolicy: Failed`; from 1.31 a Job gets `FailureTarget`/`SuccessCriteriaMet` before `Failed`/`Complete`, which waits for its pods to terminate (information); from 1.32 a Job `managedBy` another controller is left to it; from 1.35 a StatefulSet\'s `maxUnavailable` above 1 takes effect. A change is reported when the current release is before it and the target at or after it.',
  remediation: 'Read what changes; where the message names a field that keeps the earlier behaviour, set it.',
};

export const EXCLUDED_FILE: BuiltinCheck = {
  id: 'excluded-file',
  title: "The open file is left out by an `exclude:` glob of `.kdry/config.yaml`; it is checked on its own.",
  severity: 'info',
  description:
    "Only in the editor. `kdry check` never reads a file an `exclude:` glob of `.kdry/config.yaml` names, and neither does the language server's workspace scan: no other file's cross-document checks, references or renames see it. When you open such a file it is still checked, on its own (as if it were the only file of the workspace), and this note at its top names the glob. Changing `.kdry/config.yaml` scans the workspace again.",
  remediation: 'Nothing to fix if the file is meant to be left out (vendored manifests, fixtures, generated output); otherwise remove or narrow the glob in `.kdry/config.yaml`.',
};

export const BUILTIN_CHECKS: readonly BuiltinCheck[] = [YAML_SYNTAX, SCHEMA, FILE_TOO_LARGE, NOT_TEXT, INVALID_UTF8, TEMPLATE_NOT_CHECKED, TEMPLATE_REFERENCE_UNRESOLVED, TEMPLATE_VERSION_BRANCH, KUSTOMIZE_BUILD, CHANGED_BEHAVIOUR, DOCUMENT_TOO_LARGE, EXCLUDED_FILE, INTERNAL_ERROR];
