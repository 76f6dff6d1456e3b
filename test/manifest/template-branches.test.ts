// Chart templates that choose their apiVersion or kind by `.Capabilities`: the branch the target
// release takes is the one checked (server/src/manifest/template-branches.ts, check.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, notCheckedParts } from '../../server/src/check';
import type { Finding } from '../../server/src/findings';
import { parseManifest } from '../../server/src/manifest';
import { decideVersionBranches, type TemplateCapabilities } from '../../server/src/manifest/template-branches';
import { DEFAULT_SETTINGS, type KdrySettings } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';

// Jenkins' StatefulSet (jenkinsci/helm-charts, charts/jenkins/templates/jenkins-controller-statefulset.yaml), a typo added.
const JENKINS = `{{- if .Capabilities.APIVersions.Has "apps/v1" }}
apiVersion: apps/v1
{{- else }}
apiVersion: apps/v1beta1
{{- end }}
kind: StatefulSet
metadata:
  name: {{ template "jenkins.fullname" . }}
spec:
  serviceName: {{ template "jenkins.fullname" . }}
  replicas: 1
  podManagmentPolicy: OrderedReady
`;

// \`helm create\`'s Ingress before Helm 3.10 (helm/helm, pkg/chartutil/create.go defaultIngress), a typo added.
const INGRESS = `{{- if semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion -}}
apiVersion: networking.k8s.io/v1
{{- else if semverCompare ">=1.14-0" .Capabilities.KubeVersion.GitVersion -}}
apiVersion: networking.k8s.io/v1beta1
{{- else -}}
apiVersion: extensions/v1beta1
{{- end }}
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - http:
      paths:
      - path: /
        pathTyp: Prefix
`;

function check(text: string, settings: Partial<KdrySettings> = {}): Finding[] {
  const file = parseManifest(text, 'file:///chart/templates/x.yaml');
  const ws = new WorkspaceIndex();
  ws.set(file);
  return checkFile(file, ws, { ...DEFAULT_SETTINGS, ...settings });
}

const lineOf = (text: string, f: Finding) => text.slice(0, f.range[0]).split('\n').length;
const summary = (text: string, findings: Finding[]) => findings.map((f) => [lineOf(text, f), f.ruleId, f.severity]);

test('Jenkins: the apps/v1 branch is taken (the release serves apps/v1) and checked; the note on the {{ if }} says why', () => {
  const findings = check(JENKINS);
  assert.deepEqual(summary(JENKINS, findings), [
    [1, 'template-version-branch', 'info'],
    [12, 'schema', 'error'],
  ]);
  assert.match(findings[0].message, /^On Kubernetes 1\.35 \(from the kdry\.kubernetesVersion setting\) `\.Capabilities\.APIVersions\.Has "apps\/v1"` holds, so it takes that branch; kdry checked the document as it renders there\.$/);
  assert.match(findings[1].message, /podManagmentPolicy/);
});

test('the Ingress of helm create: networking.k8s.io/v1 from 1.19 on; an older cluster takes the v1beta1 branch; the branch taken is judged as the target sees it', () => {
  const current = check(INGRESS, { kubernetesVersion: '1.31' });
  assert.deepEqual(summary(INGRESS, current), [
    [1, 'template-version-branch', 'info'],
    [16, 'schema', 'error'],
  ]);
  assert.match(current[0].message, /`semverCompare ">=1\.19-0" \.Capabilities\.KubeVersion\.GitVersion` holds/);
  const old = check(INGRESS, { kubernetesVersion: '1.18' });
  assert.match(old[0].message, /^On Kubernetes 1\.18 .*`semverCompare ">=1\.14-0" \.Capabilities\.KubeVersion\.GitVersion` holds/);
  // 1.18 still served networking.k8s.io/v1beta1 (removed in 1.22): no removed-api-version error, and the
  // v1 typo below is not judged against a schema that release did not have.
  assert.deepEqual(summary(INGRESS, old), [[1, 'template-version-branch', 'info']]);
  const newer = check(INGRESS.replace('>=1.19-0', '>=1.40-0'), { kubernetesVersion: '1.35' });
  assert.deepEqual(summary(INGRESS, newer).map(([line, id]) => [line, id]), [[1, 'template-version-branch'], [4, 'removed-api-version']], 'a branch the target takes is judged as that release sees it');
});

test('a decided template counts as checked for the CI gate; a chain on a value still does not', () => {
  const parts = (text: string) => notCheckedParts(parseManifest(text, 'file:///chart/templates/x.yaml'), DEFAULT_SETTINGS).map((f) => f.ruleId);
  assert.deepEqual(parts(JENKINS), []);
  assert.deepEqual(parts(JENKINS.replace('.Capabilities.APIVersions.Has "apps/v1"', '.Values.legacy')), ['template-not-checked']);
});

const CAPS: TemplateCapabilities = { kubeVersion: '1.19.0', hasApi: (api) => api === 'apps/v1' || api === 'policy/v1/PodDisruptionBudget' };
const taken = (source: string, caps = CAPS) => decideVersionBranches(source, caps)?.choices.map((c) => c.taken);

test('conditions: Has, not, parentheses, $.Capabilities, semverCompare with Masterminds commas and -0 pre-releases', () => {
  const chain = (cond: string) => `{{- if ${cond} }}\napiVersion: a/v1\n{{- else }}\napiVersion: b/v1\n{{- end }}\nkind: X\n`;
  assert.deepEqual(taken(chain('.Capabilities.APIVersions.Has "apps/v1"')), ['.Capabilities.APIVersions.Has "apps/v1"']);
  assert.deepEqual(taken(chain('$.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"')), ['$.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"']);
  assert.deepEqual(taken(chain('not (.Capabilities.APIVersions.Has "apps/v1")')), ['else']);
  assert.deepEqual(taken(chain('semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion')), ['semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion']);
  assert.deepEqual(taken(chain('semverCompare ">=1.16, <1.19" .Capabilities.KubeVersion.Version')), ['else']);
  assert.deepEqual(taken(chain('semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion'), { ...CAPS, kubeVersion: '1.18.20' }), ['else']);
});

test('chains kdry cannot decide, or that do not choose the type, are left as written', () => {
  assert.equal(decideVersionBranches('{{- if and .Values.x (.Capabilities.APIVersions.Has "apps/v1") }}\napiVersion: a/v1\n{{- else }}\napiVersion: b/v1\n{{- end }}\n', CAPS), undefined);
  assert.equal(decideVersionBranches('{{- if semverCompare "not a range" .Capabilities.KubeVersion.GitVersion }}\napiVersion: a/v1\n{{- else }}\napiVersion: b/v1\n{{- end }}\n', CAPS), undefined);
  // Around the whole document without `else`: it only decides whether the document renders.
  assert.equal(decideVersionBranches('{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n{{- end }}\n', CAPS), undefined);
  // A nested `kind:` (an HPA's scaleTargetRef) is not the document's type.
  assert.equal(decideVersionBranches('spec:\n  scaleTargetRef:\n{{- if .Capabilities.APIVersions.Has "apps/v1" }}\n    kind: Deployment\n{{- else }}\n    kind: StatefulSet\n{{- end }}\n', CAPS), undefined);
});

test('the decided source keeps every offset and line: only the chain and the branches not taken become spaces', () => {
  const source = 'apiVersion: {{ if .Capabilities.APIVersions.Has "apps/v1" }}apps/v1{{ else }}apps/v1beta1{{ end }}\nkind: Deployment\n';
  const decided = decideVersionBranches(source, CAPS)!;
  assert.equal(decided.source.length, source.length);
  assert.equal(decided.source.split('\n').length, source.split('\n').length);
  assert.equal(decided.source.replace(/ +/g, ' '), 'apiVersion: apps/v1 \nkind: Deployment\n');
  assert.deepEqual(decided.choices[0].range, [12, source.indexOf('}}') + 2]);
});
