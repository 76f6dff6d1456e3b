// The cluster file's line reader (engine/cluster/plain-yaml.ts) against js-yaml's loadAll with the
// core schema, which reads every text it leaves: where it answers, it must give the same values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { readPlainDocuments } from '../../server/src/engine/cluster/plain-yaml';
import { corpus, mutate, random } from '../manifest/yaml-corpus';

const KIND_CLUSTER = readFileSync(join(__dirname, '..', '..', 'examples', 'cluster-kind.yaml'), 'utf8');

/** Two Nodes as `kubectl get nodes -o yaml` prints them (trimmed), with comments and a flow map added. */
const KUBECTL_NODES = `apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    annotations:
      kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock
      node.alpha.kubernetes.io/ttl: "0"
    creationTimestamp: "2024-05-01T10:00:00Z"
    labels:
      beta.kubernetes.io/arch: amd64
      kubernetes.io/hostname: worker-1
      node-role.kubernetes.io/worker: ""
      topology.kubernetes.io/zone: eu-west-1a
    name: worker-1
    resourceVersion: "1234"
  spec:
    podCIDR: 10.244.1.0/24
    taints:
    - effect: NoSchedule
      key: dedicated
      value: gpu
  status:
    addresses:
    - address: 172.18.0.3
      type: InternalIP
    allocatable:
      cpu: "8"
      ephemeral-storage: 100Gi
      memory: 32Gi
      pods: "110"
    conditions:
    - lastHeartbeatTime: "2024-05-01T10:05:00Z"
      status: "True"
      type: Ready
    images:
    - names:
      - registry.k8s.io/pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097
      - registry.k8s.io/pause:3.9
      sizeBytes: 321520
    nodeInfo:
      kubeletVersion: v1.30.2 # the release
- apiVersion: v1
  kind: Node
  metadata: { name: worker-2, labels: { kubernetes.io/hostname: worker-2 } }
  status:
    allocatable: { cpu: 4, memory: 16Gi, pods: 110 }
    conditions: [{ type: Ready, status: "False" }, { type: 'MemoryPressure', status: 'False' }]
kind: List
metadata:
  resourceVersion: ""
`;

/** Node manifests one per document, as the bench writes them. */
const NODE_DOCUMENTS = `---
apiVersion: v1
kind: Node
metadata:
  name: node-00000
  labels:
    topology.kubernetes.io/zone: zone-0
status:
  allocatable: { cpu: "64", memory: 256Gi, pods: "250" }
  conditions:
    - type: Ready
      status: "True"
---
# a second node
apiVersion: v1
kind: Node
metadata:
  name: node-00001
status:
  allocatable: { cpu: "64", memory: 256Gi, pods: "250" }
`;

/** Scalars whose type js-yaml's core schema decides: each replaces a value of the samples. */
const SCALARS = ['1e3', '0x1F', '0o17', '012', '1_000', '+5', '-1', '1.5', '.5', '.inf', '-.Inf', '.nan', '~', 'null', 'Null', 'NULL', 'True', 'FALSE', 'yes', 'on', '256Gi', '1Ei', '100m', '0.5', '10.0.0.1', '2024-05-01', '"a: b"', "'it''s'", '""', "''", '{ a: 1 }', '[1, 2]', '[]', '{}', '[a, ]', '&a x', '*a', '!!str 1', '|', '>', 'a #b', 'a#b', ':x', '-', '? x', '@x', 'a: b', 'x:'];

function agrees(text: string): boolean {
  const plain = readPlainDocuments(text);
  if (plain === undefined) return false;
  let expected: unknown[];
  try {
    expected = loadAll(text, { schema: CORE_SCHEMA });
  } catch (e) {
    assert.fail(`js-yaml refuses what the line reader read (${e instanceof Error ? e.message : String(e)}):\n${text}`);
  }
  assert.deepStrictEqual(plain, expected, text);
  return true;
}

describe('readPlainDocuments', () => {
  it('reads the cluster files as js-yaml does', () => {
    for (const text of [KIND_CLUSTER, KUBECTL_NODES, NODE_DOCUMENTS, KUBECTL_NODES.replace(/\n/g, '\r\n')]) assert.ok(agrees(text), text);
  });

  it('counts documents as js-yaml does: none before the first ---, an empty one after it is null', () => {
    for (const text of ['', '# only a comment\n', '---\n', '---\n---\n', 'a: 1\n---', 'a: 1\n---\n# x\n', '\n\n---\na: 1', 'a: 1\n---\n\n---\nb: 2']) assert.ok(agrees(text), JSON.stringify(text));
  });

  it('types each plain scalar as js-yaml does, and leaves what it does not read to js-yaml', () => {
    let answered = 0;
    for (const sample of [KUBECTL_NODES, NODE_DOCUMENTS])
      for (const scalar of SCALARS) for (const value of ['amd64', '"8"', 'v1.30.2 # the release', 'eu-west-1a', 'Ready', '"0"']) if (agrees(sample.replace(value, scalar))) answered++;
    // Most of them are read (so the comparison is not empty); the anchors, tags, block scalars and broken ones are not.
    assert.ok(answered > SCALARS.length * 6, `${answered} answered`);
    assert.equal(readPlainDocuments(KUBECTL_NODES.replace('amd64', '&a amd64')), undefined);
    assert.equal(readPlainDocuments(KUBECTL_NODES.replace('amd64', '|')), undefined);
    assert.equal(readPlainDocuments(`${NODE_DOCUMENTS}kind: Node\n`), undefined, 'a duplicate key');
  });

  it('agrees with js-yaml on the YAML corpus and thousands of mutations of it and of the cluster files', () => {
    const next = random(7);
    let answered = 0;
    let tried = 0;
    for (const text of [...corpus, KIND_CLUSTER, KUBECTL_NODES, NODE_DOCUMENTS]) {
      if (agrees(text)) answered++;
      for (let i = 0; i < 300; i++) {
        // One mutation or two: more and the reader leaves almost every text to js-yaml.
        const once = mutate(text, next);
        const mutant = i % 2 === 0 ? once : mutate(once, next);
        tried++;
        if (agrees(mutant)) answered++;
      }
    }
    assert.ok(answered > tried / 5, `${answered} of ${tried} answered`);
  });
});
