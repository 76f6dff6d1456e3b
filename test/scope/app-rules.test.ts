// The rules that judge an application as a whole: Ingress -> Service ports, autoscaler targets
// and requests, disruption budgets, network policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { findingsIn, uri, workspaceOf } from './helpers';

const deployment = (opts: { replicas?: number; resources?: string; init?: string; podResources?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${opts.replicas !== undefined ? `  replicas: ${opts.replicas}\n` : ''}  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
${opts.podResources ? `      resources: ${opts.podResources}\n` : ''}${opts.init ? `      initContainers:\n${opts.init}` : ''}      containers:
      - name: web
        image: "nginx:1.27"
${opts.resources ? `        resources: ${opts.resources}\n` : ''}      - name: log-shipper
        image: "fluent/fluent-bit:3.0"
${opts.resources ? `        resources: ${opts.resources}\n` : ''}`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;

const ingress = (port: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port: ${port}
`;

test('Ingress backends: an unknown port name is an error with a did-you-mean; a targetPort number is a warning with the fix', () => {
  const named = workspaceOf({ 'app/ingress.yaml': ingress('{name: htp}'), 'app/service.yaml': service });
  const [f] = findingsIn(named, 'app/ingress.yaml', 'ingress-backend-port');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'htp');
  assert.match(f.message, /Service "web" has no port named "htp" \(it serves 80 \(http\)\)/);

  const byTarget = workspaceOf({ 'app/ingress.yaml': ingress('{number: 8080}'), 'app/service.yaml': service });
  const [g] = findingsIn(byTarget, 'app/ingress.yaml', 'ingress-backend-port');
  assert.equal(g.severity, 'warning');
  assert.equal(g.message, '8080 is the targetPort of Service "web" port 80, not a port it serves (80 (http)): only some ingress controllers accept the targetPort; use 80.');

  assert.deepEqual(findingsIn(workspaceOf({ 'app/ingress.yaml': ingress('{number: 80}'), 'app/service.yaml': service }), 'app/ingress.yaml', 'ingress-backend-port'), []);
  const missing = findingsIn(workspaceOf({ 'app/ingress.yaml': ingress('{number: 80}') }), 'app/ingress.yaml', 'missing-reference');
  assert.equal(missing.length, 1);
  assert.match(missing[0].message, /Service "web" is not in scope .*answers with an error \(typically 503\)/);
});

test("Ingress backends: the AWS Load Balancer Controller's use-annotation names an action, not a Service port (enhanced_backend_builder.go)", () => {
  const alb = (annotations: string) => ingress('{name: use-annotation}').replace('  name: web\n', `  name: web\n  annotations:\n${annotations}`);
  for (const annotations of ['    kubernetes.io/ingress.class: alb\n', '    alb.ingress.kubernetes.io/actions.web: \'{"type":"fixed-response","fixedResponseConfig":{"statusCode":"404"}}\'\n']) {
    const withService = workspaceOf({ 'app/ingress.yaml': alb(annotations), 'app/service.yaml': service });
    assert.deepEqual(findingsIn(withService, 'app/ingress.yaml', 'ingress-backend-port'), []);
    // `ssl-redirect`-style actions name no Service at all
    assert.deepEqual(findingsIn(workspaceOf({ 'app/ingress.yaml': alb(annotations) }), 'app/ingress.yaml', 'missing-reference'), []);
  }
  // another controller reads use-annotation as a port name the Service lacks
  const nginx = workspaceOf({ 'app/ingress.yaml': alb('    kubernetes.io/ingress.class: nginx\n'), 'app/service.yaml': service });
  assert.match(findingsIn(nginx, 'app/ingress.yaml', 'ingress-backend-port')[0].message, /has no port named "use-annotation"/);
});

const hpa = (metric: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
${metric}`;

const cpuUtilization = `  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
`;

test('HPA utilization needs a cpu request on every container (calculatePodRequests); limits, LimitRange defaults and ContainerResource metrics are honoured', () => {
  const bare = workspaceOf({ 'app/hpa.yaml': hpa(cpuUtilization), 'app/deploy.yaml': deployment() });
  const [f] = findingsIn(bare, 'app/hpa.yaml', 'hpa-resource-requests');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'cpu');
  assert.match(f.message, /containers "web", "log-shipper" request no cpu.*FailedGetResourceMetric: `missing request for cpu in container web of Pod web-\.\.\.`/);

  assert.deepEqual(findingsIn(workspaceOf({ 'app/hpa.yaml': hpa(cpuUtilization), 'app/deploy.yaml': deployment({ resources: '{limits: {cpu: 500m}}' }) }), 'app/hpa.yaml', 'hpa-resource-requests'), [], 'a request defaults to the limit');

  const limitRange = 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 100m}\n';
  assert.deepEqual(findingsIn(workspaceOf({ 'app/hpa.yaml': hpa(cpuUtilization), 'app/deploy.yaml': deployment(), 'app/limits.yaml': limitRange }), 'app/hpa.yaml', 'hpa-resource-requests'), []);

  const containerMetric = `  - type: ContainerResource
    containerResource:
      name: memory
      container: web
      target: {type: Utilization, averageUtilization: 60}
`;
  const one = findingsIn(workspaceOf({ 'app/hpa.yaml': hpa(containerMetric), 'app/deploy.yaml': deployment() }), 'app/hpa.yaml', 'hpa-resource-requests');
  assert.equal(one.length, 1);
  assert.match(one[0].message, /container "web" requests no memory/);

  const sidecar = '      - name: proxy\n        image: "envoyproxy/envoy:v1.31"\n        restartPolicy: Always\n';
  const withSidecar = findingsIn(workspaceOf({ 'app/hpa.yaml': hpa(cpuUtilization), 'app/deploy.yaml': deployment({ resources: '{requests: {cpu: 100m}}', init: sidecar }) }), 'app/hpa.yaml', 'hpa-resource-requests');
  assert.match(withSidecar[0]?.message ?? '', /container "proxy" requests no cpu/, 'a sidecar init container counts');

  // pod-level requests (PodLevelResources, 1.34+): a Resource metric reads the pod's request (replica_calculator.go calculateRequests)
  const podLevel = (podResources: string, metric = cpuUtilization, kubernetesVersion?: string) =>
    findingsIn(workspaceOf({ 'app/hpa.yaml': hpa(metric), 'app/deploy.yaml': deployment({ podResources }) }), 'app/hpa.yaml', 'hpa-resource-requests', kubernetesVersion ? { kubernetesVersion } : undefined);
  assert.deepEqual(podLevel('{requests: {cpu: "1"}}'), [], 'the pod asks for cpu: no container needs to');
  assert.deepEqual(podLevel('{limits: {cpu: "1"}}'), [], 'a pod-level limit defaults the pod-level request');
  const memoryOnly = podLevel('{requests: {memory: 1Gi}}');
  assert.equal(memoryOnly.length, 1);
  assert.match(memoryOnly[0].message, /pod-level resources and its containers request no cpu.*`missing pod-level request for cpu in Pod web-\.\.\.`/);
  assert.match(podLevel('{requests: {cpu: "1"}}', containerMetric)[0]?.message ?? '', /container "web" requests no memory/, 'a ContainerResource metric still reads its container');
  assert.match(podLevel('{requests: {cpu: "1"}}', cpuUtilization, '1.33')[0]?.message ?? '', /containers "web", "log-shipper" request no cpu/, 'before 1.34 the API server drops pod-level resources');
});

test('a workload that sets replicas while an HPA scales it is warned; the PDB is judged against minReplicas', () => {
  const workspace = workspaceOf({ 'app/hpa.yaml': hpa(cpuUtilization), 'app/deploy.yaml': deployment({ replicas: 3, resources: '{requests: {cpu: 100m}}' }) });
  const [f] = findingsIn(workspace, 'app/deploy.yaml', 'hpa-managed-replicas');
  assert.equal(f.text, 'replicas');
  assert.match(f.message, /HorizontalPodAutoscaler "web" scales this Deployment \(2-10 replicas\): every `kubectl apply` of this file resets it to 3/);

  const pdb = (spec: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n${spec}  selector:\n    matchLabels: {app: web}\n`;
  workspace.set(parseManifest(pdb('  minAvailable: 2\n'), uri('app/pdb.yaml')));
  const [p] = findingsIn(workspace, 'app/pdb.yaml', 'pdb-blocks-eviction');
  assert.match(p.message, /minAvailable 2 keeps 2 of 2 expected pods \(Deployment "web": 2 \(minReplicas of HorizontalPodAutoscaler "web"\)\) and allows no disruption/);
  assert.match(p.message, /Cannot evict pod as it would violate the pod's disruption budget\./);
});

test('PDB arithmetic as the disruption controller: percentages round up, maxUnavailable 0 blocks', () => {
  const pdb = (spec: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n${spec}  selector:\n    matchLabels: {app: web}\n`;
  const judge = (spec: string, replicas: number) => findingsIn(workspaceOf({ 'app/pdb.yaml': pdb(spec), 'app/deploy.yaml': deployment({ replicas }) }), 'app/pdb.yaml', 'pdb-blocks-eviction');
  assert.deepEqual(judge('  minAvailable: "50%"\n', 3), [], '3 replicas, 50%: ceil(1.5) = 2 stay, 1 may go');
  assert.equal(judge('  minAvailable: "67%"\n', 3).length, 1, 'ceil(2.01) = 3 stay: none may go');
  assert.equal(judge('  maxUnavailable: 0\n', 5).length, 1);
  assert.deepEqual(judge('  maxUnavailable: "10%"\n', 3), [], 'ceil(0.3) = 1 may go');
  assert.equal(judge('  minAvailable: 1\n', 1).length, 1, 'a single replica with minAvailable 1 can never be evicted');
});

test('a NetworkPolicy or PDB whose selector matches no pod template in scope is a warning; podSelector {} selects every pod', () => {
  const policy = (selector: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: ${selector}\n  policyTypes: [Ingress]\n`;
  const [f] = findingsIn(workspaceOf({ 'app/np.yaml': policy('{matchLabels: {app: wbe}}'), 'app/deploy.yaml': deployment() }), 'app/np.yaml', 'selector-selects-nothing');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /NetworkPolicy "web" selects app=wbe, which no pod template in scope carries, so it isolates no pods/);
  assert.deepEqual(findingsIn(workspaceOf({ 'app/np.yaml': policy('{}'), 'app/deploy.yaml': deployment() }), 'app/np.yaml', 'selector-selects-nothing'), []);
  assert.deepEqual(findingsIn(workspaceOf({ 'app/np.yaml': policy('{matchExpressions: [{key: app, operator: In, values: [web]}]}'), 'app/deploy.yaml': deployment() }), 'app/np.yaml', 'selector-selects-nothing'), []);
});

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - {name: https, protocol: HTTPS, port: 443}
`;

const route = (parent: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - ${parent}
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    backendRefs:
    - ${backend}
`;

test('HTTPRoute backends: the Service in scope, its port number (not the targetPort); kind and group default to a core Service', () => {
  const byTarget = workspaceOf({ 'app/route.yaml': route('{name: public, namespace: infra}', '{name: web, port: 8080}'), 'app/service.yaml': service, 'infra/gateway.yaml': gateway });
  const [f] = findingsIn(byTarget, 'app/route.yaml', 'httproute-port');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, '8080');
  assert.match(f.message, /Service "web" serves no port 8080 \(it serves 80 \(http\)\)\. 8080 is the targetPort of its port 80: a backendRef names the Service port, not the target port\. .*answers 500/);
  assert.deepEqual(findingsIn(workspaceOf({ 'app/route.yaml': route('{name: public, namespace: infra}', '{name: web, port: 80}'), 'app/service.yaml': service, 'infra/gateway.yaml': gateway }), 'app/route.yaml'), []);

  const missing = findingsIn(workspaceOf({ 'app/route.yaml': route('{name: public, namespace: infra}', '{name: api, port: 80}'), 'app/service.yaml': service, 'infra/gateway.yaml': gateway }), 'app/route.yaml', 'missing-reference');
  assert.deepEqual(missing.map((m) => m.text), ['api']);
  assert.match(missing[0].message, /^Service "api" is not in scope .*ResolvedRefs=False \(BackendNotFound\) and the Gateway answers 500/);
  // Another kind or group is implementation-specific: not judged.
  assert.deepEqual(findingsIn(workspaceOf({ 'app/route.yaml': route('{name: public, namespace: infra}', '{group: example.com, kind: Bucket, name: assets}'), 'infra/gateway.yaml': gateway }), 'app/route.yaml'), []);
});

test('HTTPRoute backends in another namespace need a ReferenceGrant there that trusts HTTPRoutes of the route\'s namespace with that Service', () => {
  const inShop = route('{name: public, namespace: infra}', '{name: payments, namespace: billing, port: 80}').replace('name: web\nspec', 'name: web\n  namespace: shop\nspec');
  const grant = (from: string, to: string, apiVersion = 'v1beta1') => `apiVersion: gateway.networking.k8s.io/${apiVersion}\nkind: ReferenceGrant\nmetadata: {name: routes, namespace: billing}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${from}}]\n  to: [${to}]\n`;
  const judged = (files: Record<string, string>) => findingsIn(workspaceOf({ 'app/route.yaml': inShop, ...files }), 'app/route.yaml', 'httproute-reference-grant');
  const [none] = judged({});
  assert.equal(none.text, 'billing');
  assert.equal(none.severity, 'warning');
  assert.match(none.message, /^Service "payments" is in namespace `billing`, not the route's `shop`: .*no ReferenceGrant in namespace `billing` is in the workspace\. .*ResolvedRefs=False \(RefNotPermitted\) and answers 500/);
  assert.deepEqual(judged({ 'billing/grant.yaml': grant('shop', '{group: "", kind: Service}') }), [], 'every Service of billing');
  assert.deepEqual(judged({ 'billing/grant.yaml': grant('shop', '{group: "", kind: Service, name: payments}', 'v1') }), [], 'that Service, v1');
  const [otherName] = judged({ 'billing/grant.yaml': grant('shop', '{group: "", kind: Service, name: ledger}') });
  assert.match(otherName.message, /the ReferenceGrant "routes" in namespace `billing` does not allow it/);
  assert.equal(judged({ 'billing/grant.yaml': grant('checkout', '{group: "", kind: Service}') }).length, 1, 'trusts another namespace');
  assert.equal(judged({ 'billing/grant.yaml': grant('shop', '{group: "", kind: Service}').replace('namespace: billing}', 'namespace: other}') }).length, 1, 'a grant in another namespace');
  // The grant's namespace from its kustomization.
  assert.deepEqual(judged({ 'billing/kustomization.yaml': 'namespace: billing\nresources: [grant.yaml]\n', 'billing/grant.yaml': grant('shop', '{group: "", kind: Service}').replace(', namespace: billing}', '}') }), []);
  // The same namespace, or a route whose namespace kubectl apply -n decides: nothing to judge.
  assert.deepEqual(judged({ 'app/route.yaml': inShop.replace('namespace: billing', 'namespace: shop') }), []);
  assert.deepEqual(findingsIn(workspaceOf({ 'app/route.yaml': route('{name: public, namespace: infra}', '{name: payments, namespace: billing, port: 80}') }), 'app/route.yaml', 'httproute-reference-grant'), []);
});

test('HTTPRoute parents: a Gateway in the namespace the parentRef names, a listener by sectionName and port', () => {
  const withParent = (parent: string) => workspaceOf({ 'app/route.yaml': route(parent, '{name: web, port: 80}'), 'app/service.yaml': service, 'infra/gateway.yaml': gateway });
  assert.deepEqual(findingsIn(withParent('{name: public, namespace: infra, sectionName: https}'), 'app/route.yaml'), []);
  // No namespace: the route's own, and the Gateway lives in `infra`: not found there.
  const other = findingsIn(withParent('{name: public}'), 'app/route.yaml', 'missing-reference');
  // The route has no namespace (kubectl apply -n decides), so the Gateway of any namespace is seen.
  assert.deepEqual(other, []);
  const inShop = workspaceOf({ 'app/route.yaml': route('{name: public}', '{name: web, port: 80}').replace('name: web\nspec', 'name: web\n  namespace: shop\nspec'), 'infra/gateway.yaml': gateway });
  const [notThere] = findingsIn(inShop, 'app/route.yaml', 'missing-reference');
  assert.match(notThere.message, /^Gateway "public" is not in scope \(kdry looked in the workspace, namespace `shop`\).*no Gateway attaches the route/);
  const [named] = findingsIn(workspaceOf({ 'app/route.yaml': route('{name: public, namespace: other}', '{name: web, port: 80}'), 'infra/gateway.yaml': gateway }), 'app/route.yaml', 'missing-reference');
  assert.match(named.message, /namespace `other`/);

  const [section] = findingsIn(withParent('{name: public, namespace: infra, sectionName: htps}'), 'app/route.yaml', 'httproute-port');
  assert.equal(section.text, 'htps');
  assert.equal(section.severity, 'warning', 'the Gateway is only in another folder');
  assert.match(section.message, /Gateway "public" in `infra\/`, a different folder has no listener named "htps" \(it has http \(80\), https \(443\)\): the route is not accepted by it \(Accepted=False, NoMatchingParent\)/);
  const [port] = findingsIn(withParent('{name: public, namespace: infra, sectionName: http, port: 443}'), 'app/route.yaml', 'httproute-port');
  assert.equal(port.text, '443');
  assert.match(port.message, /no listener on port 443 named "http"/);
});

// Gateway API apis/v1/gateway_types.go Listener.AllowedRoutes (default {namespaces: {from: Same}}) and
// shared_types.go RouteReasonNotAllowedByListeners: the trial's T10, a route of `shop` on a Gateway of `infra`.
test('HTTPRoute parents: a listener whose allowedRoutes does not admit the route (namespace, selector, kinds) does not accept it', () => {
  const inShop = route('{name: public, namespace: infra, sectionName: http}', '{name: web, port: 80}').replace('name: web\nspec', 'name: web\n  namespace: shop\nspec');
  const judged = (gatewayText: string, files: Record<string, string> = {}, routeText = inShop) =>
    findingsIn(workspaceOf({ 'app/route.yaml': routeText, 'infra/gateway.yaml': gatewayText, ...files }), 'app/route.yaml', 'httproute-port');
  const [same] = judged(gateway);
  assert.equal(same.text, 'public');
  assert.equal(same.severity, 'warning', 'the Gateway is only in another folder');
  assert.match(same.message, /Gateway "public" in `infra\/`, a different folder does not admit this route: listener "http" admits routes of its own namespace `infra` only \(allowedRoutes.namespaces.from: Same, the default\), not of `shop`\. .*Accepted=False, NotAllowedByListeners/);
  const listeners = (allowed: string) => gateway.replace('{name: http, protocol: HTTP, port: 80}', `{name: http, protocol: HTTP, port: 80, allowedRoutes: ${allowed}}`);
  assert.deepEqual(judged(listeners('{namespaces: {from: All}}')), []);
  assert.deepEqual(judged(gateway, {}, inShop.replace('namespace: shop', 'namespace: infra')), [], 'the Gateway\'s own namespace');
  assert.deepEqual(judged(gateway, {}, inShop.replace('\n  namespace: shop', '')), [], 'a route whose namespace kubectl apply -n decides');
  // No sectionName: attached to every listener; refused only when none admits it.
  const anyListener = inShop.replace(', sectionName: http', '');
  assert.equal(judged(gateway, {}, anyListener).length, 1);
  assert.deepEqual(judged(listeners('{namespaces: {from: All}}'), {}, anyListener), []);
  // Selector: matched against the labels of the route's Namespace (with kubernetes.io/metadata.name), when the workspace has it.
  const selector = listeners('{namespaces: {from: Selector, selector: {matchLabels: {gateway: public}}}}');
  const namespace = (labels: string) => ({ 'app/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: ${labels}\n` });
  assert.deepEqual(judged(selector), [], 'no Namespace object: cannot tell');
  assert.deepEqual(judged(selector, namespace('{gateway: public}')), []);
  assert.match(judged(selector, namespace('{team: shop}'))[0]?.message ?? '', /the Namespace `shop` does not carry those labels/);
  assert.deepEqual(judged(listeners('{namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}}'), namespace('{team: shop}')), []);
  // Kinds: listed without HTTPRoute, or a TCP listener's default kinds.
  assert.match(judged(listeners('{namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}'))[0]?.message ?? '', /admits only GRPCRoute \(allowedRoutes.kinds\), not HTTPRoute/);
  assert.deepEqual(judged(listeners('{namespaces: {from: All}, kinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]}')), []);
  assert.match(judged(gateway.replace('protocol: HTTP,', 'protocol: TCP,').replace('port: 80}', 'port: 80, allowedRoutes: {namespaces: {from: All}}}'))[0]?.message ?? '', /protocol TCP/);
});

test('a PDB whose selector matches no pod template protects nothing; an HPA whose target is not in scope never scales (FailedGetScale), with a did-you-mean', () => {
  const pdb = `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: wbe}\n`;
  const hpa = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: webb}\n  minReplicas: 2\n  maxReplicas: 5\n`;
  const workspace = workspaceOf({ 'app/pdb.yaml': pdb, 'app/hpa.yaml': hpa, 'app/deploy.yaml': deployment() });
  const [unprotected] = findingsIn(workspace, 'app/pdb.yaml', 'selector-selects-nothing');
  assert.equal(unprotected.severity, 'warning');
  assert.match(unprotected.message, /PodDisruptionBudget "web" selects app=wbe, which no pod template in scope carries, so it protects no pods/);
  assert.match(unprotected.message, /Deployment "web" \(app=web\)/, 'names the templates that are there');
  const [target] = findingsIn(workspace, 'app/hpa.yaml', 'missing-reference');
  assert.equal(target.text, 'webb');
  assert.match(target.message, /FailedGetScale: `deployments "webb" not found`/);
  assert.match(target.message, /Did you mean "web"\?/);
  // Pointed at the Deployment that is there, the autoscaler has nothing to report.
  const fixed = workspaceOf({ 'app/hpa.yaml': hpa.replace('name: webb', 'name: web'), 'app/deploy.yaml': deployment() });
  assert.deepEqual(findingsIn(fixed, 'app/hpa.yaml', 'missing-reference'), []);
});

test('a ReplicationController is a pod-template owner like the others: its PDB, NetworkPolicy and HPA are judged against it', () => {
  const rc = `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: "nginx:1.27"\n        resources: {requests: {cpu: 100m}}\n`;
  const pdb = `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels: {app: web}\n`;
  const policy = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n`;
  const autoscaler = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: v1, kind: ReplicationController, name: web}\n  minReplicas: 2\n  maxReplicas: 4\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}\n`;
  const workspace = workspaceOf({ 'app/rc.yaml': rc, 'app/pdb.yaml': pdb, 'app/np.yaml': policy, 'app/hpa.yaml': autoscaler });
  assert.deepEqual(findingsIn(workspace, 'app/np.yaml', 'selector-selects-nothing'), []);
  assert.deepEqual(findingsIn(workspace, 'app/pdb.yaml', 'selector-selects-nothing'), []);
  assert.deepEqual(findingsIn(workspace, 'app/hpa.yaml', 'missing-reference'), []);
  assert.deepEqual(findingsIn(workspace, 'app/hpa.yaml', 'hpa-resource-requests'), []);
  const [blocks] = findingsIn(workspace, 'app/pdb.yaml', 'pdb-blocks-eviction');
  assert.match(blocks?.message ?? '', /ReplicationController "web"/);
  const [managed] = findingsIn(workspace, 'app/rc.yaml', 'hpa-managed-replicas');
  assert.match(managed?.message ?? '', /HorizontalPodAutoscaler "web" scales this ReplicationController \(2-4 replicas\)/);
});
