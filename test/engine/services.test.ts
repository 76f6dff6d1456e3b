import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceRegistry, serviceEndpoints, servicesFromObjects, trafficShare } from '../../server/src/engine/services';
import type { SimPod, SimService } from '../../server/src/engine/types';

function pod(name: string, revision: string, extra: Partial<SimPod> = {}): SimPod {
  return {
    uid: name,
    name,
    namespace: 'default',
    labels: { app: 'web' },
    annotations: {},
    revision,
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    phase: 'Running',
    ready: true,
    readySince: 0,
    createdAt: 0,
    restartCount: 0,
    ...extra,
  };
}

const svc: SimService = { name: 'web', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], headless: false };

describe('Service endpoints', () => {
  it('reads Services from the file: selector, ports, headless', () => {
    const services = servicesFromObjects([
      { kind: 'Deployment', metadata: { name: 'd' } },
      { kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', name: 'h' }] } },
      { kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' } } },
      'garbage',
    ]);
    assert.deepEqual(services, [
      { name: 'web', selector: { app: 'web' }, ports: [{ name: 'h', port: 80, targetPort: 'http' }], headless: false },
      { name: 'db', selector: { app: 'db' }, ports: [], headless: true },
    ]);
  });

  it('leave out Services of another namespace', () => {
    const objects = [
      { kind: 'Service', metadata: { name: 'here', namespace: 'shop' }, spec: { selector: { app: 'web' } } },
      { kind: 'Service', metadata: { name: 'there', namespace: 'other' }, spec: { selector: { app: 'web' } } },
      { kind: 'Service', metadata: { name: 'unset' }, spec: { selector: { app: 'web' } } },
    ];
    assert.deepEqual(servicesFromObjects(objects, 'shop').map((s) => s.name), ['here', 'unset']);
    assert.deepEqual(servicesFromObjects(objects).map((s) => s.name), ['here', 'there', 'unset']);
  });

  it('are the ready, not terminating, selected pods', () => {
    const pods = [pod('a', 'v1'), pod('b', 'v1', { ready: false }), pod('c', 'v1', { deletionTimestamp: 3, ready: false }), pod('d', 'v2', { labels: { app: 'other' } })];
    assert.deepEqual(serviceEndpoints(svc, pods).map((p) => p.name), ['a']);
    assert.deepEqual(serviceEndpoints({ ...svc, selector: {} }, pods), []);
  });

  it('resolve a named targetPort only on pods that declare it', () => {
    const named: SimService = { ...svc, ports: [{ port: 80, targetPort: 'http' }] };
    const pods = [pod('a', 'v1'), pod('b', 'v2', { spec: { containers: [{ name: 'c' }] } })];
    assert.deepEqual(serviceEndpoints(named, pods).map((p) => p.name), ['a']);
    const share = trafficShare({ ...svc, ports: [{ port: 80, targetPort: 'web' }] }, pods, undefined);
    assert.equal(share.endpoints, 0);
    assert.match(share.note ?? '', /targetPort "web" names no container port/);
    // No selected pods at all (e.g. mid-Recreate): only the missing endpoints are worth saying.
    assert.equal(trafficShare({ ...svc, ports: [{ port: 80, targetPort: 'web' }] }, [], undefined).note, 'no ready endpoints: requests fail');
  });
});

describe('traffic share', () => {
  const pods = [pod('a', 'v1'), pod('b', 'v1'), pod('c', 'v1'), pod('d', 'v2')];

  it('follows the endpoints per revision', () => {
    assert.deepEqual(trafficShare(svc, pods, undefined), { service: 'web', byRevision: { v1: 0.75, v2: 0.25 }, endpoints: 4 });
    assert.deepEqual(trafficShare(svc, [], undefined), { service: 'web', byRevision: {}, endpoints: 0, note: 'no ready endpoints: requests fail' });
  });

  it('follows weights, a header match and mirroring, stating the rule', () => {
    const weighted = trafficShare(svc, pods, { weights: { v1: 90, v2: 10 } });
    assert.deepEqual(weighted.byRevision, { v1: 0.9, v2: 0.1 });
    assert.equal(weighted.note, 'weights v1=90%, v2=10%');
    const missing = trafficShare(svc, pods, { weights: { v1: 50, v3: 50 } });
    assert.match(missing.note ?? '', /50% of requests go to revision v3, which has no ready endpoints/);

    const ab = trafficShare(svc, pods, { match: { rule: 'header X-Group: beta', revision: 'v2', share: 20 } });
    assert.deepEqual(ab.byRevision, { v1: 0.8, v2: 0.2 });
    assert.equal(ab.note, 'requests matching header X-Group: beta (20%) go to revision v2');

    const shadow = trafficShare(svc, [pod('a', 'v1'), pod('d', 'v2', { labels: { app: 'shadow' } })], { mirrorTo: { revision: 'v2', percent: 100 } });
    assert.deepEqual(shadow.byRevision, { v1: 1 });
    assert.equal(shadow.note, '100% of requests mirrored to revision v2; its responses are discarded');
  });

  it('the registry applies selector switches and rules', () => {
    const registry = new ServiceRegistry([svc]);
    registry.setSelector('web', { app: 'web', track: 'green' });
    const green = pod('g', 'v2', { labels: { app: 'web', track: 'green' } });
    assert.deepEqual(registry.traffic([...pods, green]), [{ service: 'web', byRevision: { v2: 1 }, endpoints: 1 }]);
    registry.setRule('web', { weights: { v2: 100 } });
    assert.equal(registry.traffic([green])[0].note, 'weights v2=100%');
    registry.setRule('web', undefined);
    registry.setSelector('preview', { app: 'web' });
    assert.deepEqual(registry.list().map((s) => s.name), ['web', 'preview']);
    // The input Service is not mutated.
    assert.deepEqual(svc.selector, { app: 'web' });
  });
});
