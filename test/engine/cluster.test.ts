import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_CLUSTER, parseClusterText } from '../../server/src/engine/cluster';
import { readClusterFile } from '../../server/src/workspace/cluster-file';

const root = join(__dirname, '..', '..');

describe('DEFAULT_CLUSTER', () => {
  it('has a tainted control-plane node and three workers in three zones', () => {
    assert.equal(DEFAULT_CLUSTER.length, 4);
    const [cp, ...workers] = DEFAULT_CLUSTER;
    assert.deepEqual(cp.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.equal(workers.length, 3);
    assert.deepEqual(new Set(workers.map((w) => w.labels['topology.kubernetes.io/zone'])).size, 3);
    for (const w of workers) {
      assert.equal(w.labels['kubernetes.io/hostname'], w.name);
      assert.equal(w.taints.length, 0);
      assert.equal(w.allocatable.cpu, 4000);
      assert.equal(w.allocatable.memory, 16 * 1024 ** 3);
      assert.equal(w.allocatable.pods, 110);
      assert.equal(w.ready, true);
    }
  });
});

describe('parseClusterText', () => {
  it('reads a List of Nodes (the kind example) with labels, taints and quantities', async () => {
    const { nodes, errors } = await readClusterFile(join(root, 'examples', 'cluster-kind.yaml'));
    assert.deepEqual(errors, []);
    assert.deepEqual(nodes.map((n) => n.name), ['kind-control-plane', 'kind-worker', 'kind-worker2']);
    assert.deepEqual(nodes[0].taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.equal(nodes[2].labels.gpu, 'cuda');
    assert.deepEqual(nodes[1].allocatable, { cpu: 4000, memory: 8 * 1024 ** 3, pods: 110 });
  });

  it('reads kubectl -o json output and Node documents; Ready False is NotReady and tainted', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a', labels: { 'topology.kubernetes.io/zone': 'z1' } }, spec: {}, status: { allocatable: { cpu: '3500m', memory: '7901Mi', pods: '58', 'nvidia.com/gpu': '2' }, conditions: [{ type: 'Ready', status: 'False' }] } },
      ],
    });
    const fromJson = parseClusterText(json, '/x/nodes.json');
    assert.deepEqual(fromJson.errors, []);
    const a = fromJson.nodes[0];
    assert.equal(a.ready, false);
    assert.deepEqual(a.allocatable, { cpu: 3500, memory: 7901 * 1024 ** 2, pods: 58, 'nvidia.com/gpu': 2 });
    assert.equal(a.labels['kubernetes.io/hostname'], 'a');
    assert.ok(a.taints.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute'));

    const docs = 'kind: Node\nmetadata: {name: one}\nstatus: {capacity: {cpu: 2, memory: 4Gi}}\n---\nkind: Node\nmetadata: {name: two}\nspec: {unschedulable: true}\nstatus: {allocatable: {cpu: "1", memory: 1G}}\n';
    const multi = parseClusterText(docs, 'nodes.yaml');
    assert.deepEqual(multi.errors, []);
    assert.deepEqual(multi.nodes.map((n) => [n.name, n.allocatable.cpu, n.allocatable.pods, n.unschedulable]), [['one', 2000, 110, false], ['two', 1000, 110, true]]);
  });

  it('names the file and field path of what is wrong', () => {
    const items = [0, 1, 2].map((i) => ({ kind: 'Node', metadata: { name: `n${i}` }, status: { allocatable: { cpu: i === 2 ? 'four' : '4', memory: '8Gi' } } }));
    const bad = parseClusterText(JSON.stringify({ kind: 'List', items }), '/work/.kdry/cluster.yaml');
    assert.deepEqual(bad.errors, ['cluster.yaml: items[2].status.allocatable.cpu: "four" is not a quantity']);
    assert.deepEqual(bad.nodes, []);

    assert.deepEqual(parseClusterText('kind: Node\nmetadata: {}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}', 'c.yaml').errors, ['c.yaml: metadata.name: a Node needs a name']);
    assert.deepEqual(parseClusterText('kind: Deployment\nmetadata: {name: x}', 'c.yaml').errors, ['c.yaml: kind: "Deployment" is not a Node (expected kind Node, List or NodeList)']);
    assert.deepEqual(
      parseClusterText('kind: Node\nmetadata: {name: x}\nspec: {taints: [{key: k, effect: Sometimes}]}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}', 'c.yaml').errors,
      ['c.yaml: spec.taints[0].effect: "Sometimes" is not one of NoSchedule, PreferNoSchedule, NoExecute'],
    );
    assert.deepEqual(parseClusterText('kind: Node\nmetadata: {name: x}\nstatus: {}', 'c.yaml').errors, ['c.yaml: status.allocatable: a Node needs allocatable (or capacity) resources: cpu, memory, pods']);
    assert.match(parseClusterText('items: [\n', 'c.yaml').errors[0], /^c\.yaml: /);
    assert.deepEqual(parseClusterText('', 'empty.yaml').errors, ['empty.yaml: no Node objects found']);
    assert.deepEqual(parseClusterText('kind: Node\nmetadata: {name: x}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}\n---\nkind: Node\nmetadata: {name: x}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}', 'd.yaml').errors, [
      'd.yaml: documents[1].metadata.name: node "x" appears twice',
    ]);
  });

  it('counts the items of a List before converting any: 20,001 is refused as such', () => {
    const items = Array.from({ length: 20_001 }, () => '{}').join(',');
    assert.deepEqual(parseClusterText(`kind: List\nitems: [${items}]\n`, 'big.yaml').errors, ['big.yaml: 20001 nodes is more than the 20000 the simulator accepts']);
    assert.deepEqual(parseClusterText(Array.from({ length: 20_001 }, () => 'kind: Node').join('\n---\n'), 'docs.yaml').errors, ['docs.yaml: 20001 nodes is more than the 20000 the simulator accepts']);
  });

  it('reports an unreadable file instead of throwing', async () => {
    const missing = await readClusterFile('/nonexistent/dir/cluster.yaml');
    assert.deepEqual(missing.errors, ['cluster.yaml: no such file or directory']);
    const dir = mkdtempSync(join(tmpdir(), 'kdry-cluster-'));
    assert.deepEqual((await readClusterFile(dir)).errors, [`${dir.split('/').pop()}: not a regular file (a directory); not read`]);
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'kind: Node\nmetadata: {name: solo}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}\n');
    assert.deepEqual((await readClusterFile(file)).nodes.map((n) => n.name), ['solo']);
  });
});

describe('schemas/cluster.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'cluster.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('accepts the example cluster and rejects a bad quantity and a missing name', () => {
    const example = parseAllDocuments(readFileSync(join(root, 'examples', 'cluster-kind.yaml'), 'utf8')).map((d) => d.toJS());
    assert.equal(validate(example[0]), true, JSON.stringify(validate.errors));
    const bad = structuredClone(example[0]);
    bad.items[2].status.allocatable.cpu = 'four';
    assert.equal(validate(bad), false);
    const noName = structuredClone(example[0]);
    delete noName.items[0].metadata.name;
    assert.equal(validate(noName), false);
  });
});

describe('status.nodeInfo.kubeletVersion', () => {
  it('is kept as the node reports it, and absent when the node does not say', () => {
    const text = `apiVersion: v1
kind: List
items:
- kind: Node
  metadata: {name: a}
  status: {allocatable: {cpu: "2", memory: 4Gi}, nodeInfo: {kubeletVersion: v1.31.4-eks-1234, osImage: Bottlerocket}}
- kind: Node
  metadata: {name: b}
  status: {allocatable: {cpu: "2", memory: 4Gi}, nodeInfo: {kubeletVersion: 131}}
`;
    const { nodes, errors } = parseClusterText(text, 'cluster.yaml');
    assert.deepEqual(errors, []);
    assert.equal(nodes[0].kubeletVersion, 'v1.31.4-eks-1234');
    assert.equal('kubeletVersion' in nodes[1], false, 'a number is no version string');
  });
});
