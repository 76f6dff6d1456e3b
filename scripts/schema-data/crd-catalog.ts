// Writes schemas/crd-catalog/: the bundled custom resource schemas kdry falls back to when a
// workspace has no CRD for a resource. Source: ../shared/crds-catalog (datreeio/CRDs-catalog, MIT,
// see its SOURCE.md), one JSON Schema per kind and version, converted from each CRD's openAPIV3Schema.
// Output: index.json (kinds, versions, projects, licence) and one minified file per API group,
// read only when a document of that group is checked.
//   node --import tsx scripts/schema-data/crd-catalog.ts [source folder]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2] ?? join(__dirname, '..', '..', '..', 'shared', 'crds-catalog');
const out = join(__dirname, '..', '..', 'schemas', 'crd-catalog');

/** The catalog names files by lowercase kind; Kubernetes kinds are case-sensitive. */
const KINDS: Record<string, [kind: string, project: string][]> = {
  'argoproj.io': [['Rollout', 'Argo Rollouts'], ['AnalysisTemplate', 'Argo Rollouts'], ['ClusterAnalysisTemplate', 'Argo Rollouts'], ['AnalysisRun', 'Argo Rollouts'], ['Experiment', 'Argo Rollouts'], ['Application', 'Argo CD']],
  'autoscaling.k8s.io': [['VerticalPodAutoscaler', 'Vertical Pod Autoscaler'], ['VerticalPodAutoscalerCheckpoint', 'Vertical Pod Autoscaler']],
  'cert-manager.io': [['Certificate', 'cert-manager'], ['CertificateRequest', 'cert-manager'], ['ClusterIssuer', 'cert-manager'], ['Issuer', 'cert-manager']],
  'external-secrets.io': [['ClusterExternalSecret', 'External Secrets'], ['ClusterPushSecret', 'External Secrets'], ['ClusterSecretStore', 'External Secrets'], ['ExternalSecret', 'External Secrets'], ['PushSecret', 'External Secrets'], ['SecretStore', 'External Secrets']],
  'gateway.networking.k8s.io': ['BackendLBPolicy', 'BackendTLSPolicy', 'Gateway', 'GatewayClass', 'GRPCRoute', 'HTTPRoute', 'ListenerSet', 'ReferenceGrant', 'TCPRoute', 'TLSRoute', 'UDPRoute'].map((k) => [k, 'Gateway API']),
  'helm.toolkit.fluxcd.io': [['HelmRelease', 'Flux']],
  'kustomize.toolkit.fluxcd.io': [['Kustomization', 'Flux']],
  'keda.sh': ['CloudEventSource', 'ClusterTriggerAuthentication', 'ScaledJob', 'ScaledObject', 'TriggerAuthentication'].map((k) => [k, 'KEDA']),
  'monitoring.coreos.com': ['PodMonitor', 'PrometheusRule', 'ServiceMonitor'].map((k) => [k, 'Prometheus Operator']),
  'networking.istio.io': ['DestinationRule', 'EnvoyFilter', 'Gateway', 'ProxyConfig', 'ServiceEntry', 'Sidecar', 'VirtualService', 'WorkloadEntry', 'WorkloadGroup'].map((k) => [k, 'Istio']),
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'].map((k) => [k, 'Istio']),
  'snapshot.storage.k8s.io': ['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent'].map((k) => [k, 'volume snapshots']),
};

interface IndexEntry {
  project: string;
  versions: string[];
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index: Record<string, Record<string, IndexEntry>> = {};
for (const group of readdirSync(source, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const kinds = new Map((KINDS[group] ?? []).map(([kind, project]) => [kind.toLowerCase(), { kind, project }]));
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const name of readdirSync(join(source, group)).sort()) {
    const m = /^(.+)_(v[0-9a-z]+)\.json$/.exec(name);
    const known = m && kinds.get(m[1]);
    if (!m || !known) throw new Error(`${group}/${name}: add its kind to KINDS in scripts/schema-data/crd-catalog.ts`);
    (schemas[known.kind] ??= {})[m[2]] = JSON.parse(readFileSync(join(source, group, name), 'utf8'));
    ((index[group] ??= {})[known.kind] ??= { project: known.project, versions: [] }).versions.push(m[2]);
  }
  writeFileSync(join(out, `${group}.json`), JSON.stringify(schemas));
}
const license = readFileSync(join(source, 'LICENSE'), 'utf8');
const origin = 'datreeio/CRDs-catalog at 7b1e26ef9deea49293714d204c1a2270aab1178f (MIT)';
writeFileSync(join(out, 'index.json'), JSON.stringify({ source: origin, license, groups: index }, null, 1) + '\n');
console.log(`crd-catalog: ${Object.keys(index).length} groups written to ${out}`);
