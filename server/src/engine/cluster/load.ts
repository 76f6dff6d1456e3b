// A user cluster: Node manifests (one per YAML document), or the List that `kubectl get nodes
// -o yaml|json` prints. schemas/cluster.schema.json describes the format; the loader checks the
// fields it reads and names the file and the field path of anything wrong.
import { basename } from 'node:path';
import { readYamlDocuments } from '../../manifest/read-yaml';
import { resourceAmount } from '../../k8s/quantity';
import type { SimNode, Taint } from '../types';
import { type Obj, isObj } from '../objects';
import { readPlainDocuments } from './plain-yaml';

export interface ClusterLoadResult {
  nodes: SimNode[];
  /** `file: field.path: what is wrong`; empty when the file is usable. */
  errors: string[];
  source: string;
}

const TAINT_EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
/** More documents or items than this is not a cluster file (and would make the engine crawl). */
const MAX_NODES = 20000;

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Every document's value; undefined for a document that is not YAML (its error is reported). Plain
 * data is read line by line (plain-yaml.ts); any other text as a manifest is, within the guards
 * against hostile YAML (manifest/read-yaml.ts: nesting, alias bombs, collection keys).
 */
function documentValues(text: string, file: string, errors: string[]): unknown[] {
  const plain = readPlainDocuments(text);
  if (plain) return plain;
  return readYamlDocuments(text).map(({ value, problem }) => {
    if (problem) errors.push(`${file}: line ${problem.line}: ${problem.message}`);
    return value;
  });
}

/** Read the Node objects from the text: a List/NodeList's items, or every document that is a Node. */
function nodeObjects(text: string, file: string, errors: string[]): { value: unknown; path: string }[] {
  const list = documentValues(text, file, errors);
  const found: { value: unknown; path: string }[] = [];
  list.forEach((value, i) => {
    if (value === null || value === undefined) return;
    const docPath = list.length > 1 ? `documents[${i}]` : '';
    const at = (p: string) => (docPath ? `${docPath}.${p}` : p);
    if (!isObj(value)) {
      errors.push(`${file}: ${docPath || '(document)'}: expected a Node or a List of Nodes`);
      return;
    }
    if (Array.isArray(value.items) || value.kind === 'List' || value.kind === 'NodeList') {
      if (!Array.isArray(value.items)) {
        errors.push(`${file}: ${at('items')}: expected a list of Nodes`);
        return;
      }
      value.items.forEach((item, j) => found.push({ value: item, path: at(`items[${j}]`) }));
    } else if (value.kind === 'Node') {
      found.push({ value, path: docPath });
    } else {
      errors.push(`${file}: ${at('kind')}: ${show(value.kind)} is not a Node (expected kind Node, List or NodeList)`);
    }
  });
  if (found.length > MAX_NODES) {
    errors.push(`${file}: ${found.length} nodes is more than the ${MAX_NODES} the simulator accepts`);
    return [];
  }
  return found;
}

function readNode(value: unknown, path: string, file: string, errors: string[]): SimNode | undefined {
  const at = (field: string) => `${file}: ${path ? `${path}.` : ''}${field}`;
  if (!isObj(value)) {
    errors.push(`${file}: ${path || '(document)'}: expected a Node object`);
    return undefined;
  }
  if (value.kind !== undefined && value.kind !== 'Node') {
    errors.push(`${at('kind')}: ${show(value.kind)} is not a Node`);
    return undefined;
  }
  const metadata = isObj(value.metadata) ? value.metadata : undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    errors.push(`${at('metadata.name')}: a Node needs a name`);
    return undefined;
  }
  const labels: Record<string, string> = {};
  if (metadata?.labels !== undefined) {
    if (!isObj(metadata.labels)) errors.push(`${at('metadata.labels')}: expected a map of strings`);
    else for (const [k, v] of Object.entries(metadata.labels)) labels[k] = v === null ? '' : String(v);
  }
  // Every node carries its hostname label; kubelet sets it.
  labels['kubernetes.io/hostname'] ??= name;

  const spec = isObj(value.spec) ? value.spec : {};
  const taints: Taint[] = [];
  if (spec.taints !== undefined && spec.taints !== null) {
    if (!Array.isArray(spec.taints)) errors.push(`${at('spec.taints')}: expected a list`);
    else
      spec.taints.forEach((t, i) => {
        if (!isObj(t) || typeof t.key !== 'string' || t.key === '') return errors.push(`${at(`spec.taints[${i}].key`)}: a taint needs a key`);
        if (typeof t.effect !== 'string' || !TAINT_EFFECTS.has(t.effect)) {
          return errors.push(`${at(`spec.taints[${i}].effect`)}: ${show(t.effect)} is not one of NoSchedule, PreferNoSchedule, NoExecute`);
        }
        taints.push({ key: t.key, ...(t.value !== undefined && t.value !== null ? { value: String(t.value) } : {}), effect: t.effect as Taint['effect'] });
      });
  }

  const status = isObj(value.status) ? value.status : {};
  const allocatableSource = isObj(status.allocatable) ? status.allocatable : isObj(status.capacity) ? status.capacity : undefined;
  const allocatableField = isObj(status.allocatable) ? 'status.allocatable' : 'status.capacity';
  if (!allocatableSource) {
    errors.push(`${at('status.allocatable')}: a Node needs allocatable (or capacity) resources: cpu, memory, pods`);
    return undefined;
  }
  const allocatable: Record<string, number> = {};
  for (const [resource, quantity] of Object.entries(allocatableSource)) {
    // nodes of one pool repeat the same allocatable (`cpu: "64"`, `memory: 256Gi`): k8s/quantity.ts reads each text once
    const amount = resourceAmount(resource, quantity);
    if (!Number.isFinite(amount) || amount < 0) errors.push(`${at(`${allocatableField}.${resource}`)}: ${show(quantity)} is not a quantity`);
    else allocatable[resource] = amount;
  }
  for (const required of ['cpu', 'memory']) {
    if (allocatableSource[required] === undefined) errors.push(`${at(`${allocatableField}.${required}`)}: missing`);
  }
  // kubelet's default maxPods.
  allocatable.pods ??= 110;

  let ready = true;
  if (status.conditions !== undefined) {
    if (!Array.isArray(status.conditions)) errors.push(`${at('status.conditions')}: expected a list`);
    else {
      const readyCondition = status.conditions.find((c) => isObj(c) && c.type === 'Ready') as Obj | undefined;
      if (readyCondition) ready = readyCondition.status === 'True' || readyCondition.status === true;
    }
  }
  if (!ready && !taints.some((t) => t.key === 'node.kubernetes.io/not-ready')) {
    // The node lifecycle controller taints a NotReady node.
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' });
  }
  const nodeInfo = isObj(status.nodeInfo) ? status.nodeInfo : undefined;
  const kubeletVersion = typeof nodeInfo?.kubeletVersion === 'string' && nodeInfo.kubeletVersion !== '' ? nodeInfo.kubeletVersion : undefined;
  return { name, labels, taints, unschedulable: spec.unschedulable === true, ready, allocatable, ...(kubeletVersion ? { kubeletVersion } : {}) };
}

/** Parse a cluster file's text. `source` names the file in error messages. Never throws. */
export function parseClusterText(text: string, source: string): ClusterLoadResult {
  const file = basename(source) || source;
  const errors: string[] = [];
  const nodes: SimNode[] = [];
  try {
    const names = new Set<string>();
    for (const { value, path } of nodeObjects(text, file, errors)) {
      const node = readNode(value, path, file, errors);
      if (!node) continue;
      if (names.has(node.name)) {
        errors.push(`${file}: ${path ? `${path}.` : ''}metadata.name: node "${node.name}" appears twice`);
        continue;
      }
      names.add(node.name);
      nodes.push(node);
    }
    if (nodes.length === 0 && errors.length === 0) errors.push(`${file}: no Node objects found`);
  } catch (e) {
    errors.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { nodes: errors.length > 0 ? [] : nodes, errors, source };
}
