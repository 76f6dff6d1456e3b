// A built-in object as the API server holds it after decoding a manifest, before admission: the
// release's SetDefaults_ functions of the kinds kdry models (pkg/apis/<group>/<version>/defaults.go),
// then the OpenAPI defaults and serialised zero values (zero-values.ts), serialised as CEL reads it
// (serialised.ts). Never mutates its input.
import { kubernetesTarget } from '../schema/target';
import { defaultNamespace, defaultPersistentVolumeClaim, defaultPod, defaultReplicationController, defaultSecret, defaultService } from './core-objects';
import { defaultHorizontalPodAutoscaler } from './horizontal-pod-autoscaler';
import { defaultNetworkPolicy } from './network-policy';
import { objects, type Obj } from './shapes';
import { defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet } from './workloads';
import { serialiseForCel } from './serialised';
import { fillSchemaDefaults } from '../k8s/schema-defaulting';
import { isRecord } from '../manifest';
import { CONTAINER_LISTS, defaultContainer, defaultPodSpec } from './pod-spec';
import { openApiNode, type OpenApiNode } from './zero-values';

export { defaultNamespace } from './core-objects';

/** apiVersion/kind -> its SetDefaults_ functions. */
const DEFAULTERS: Record<string, (obj: Obj, release: string) => void> = {
  'apps/v1/Deployment': defaultDeployment,
  'apps/v1/StatefulSet': defaultStatefulSet,
  'apps/v1/DaemonSet': defaultDaemonSet,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'batch/v1/Job': defaultJob,
  'batch/v1/CronJob': defaultCronJob,
  'v1/Pod': defaultPod,
  'v1/Namespace': defaultNamespace,
  'v1/ReplicationController': defaultReplicationController,
  'v1/Service': defaultService,
  'v1/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  'v1/Secret': defaultSecret,
  'networking.k8s.io/v1/NetworkPolicy': defaultNetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
};

/**
 * Where a kind's pod template spec is: defaulted on its own (SetDefaults_PodSpec and what it
 * reaches) and shared. (A Pod's spec is not: SetDefaults_Pod changes its containers afterwards.)
 */
const POD_TEMPLATE_SPEC: Record<string, readonly string[]> = {
  'apps/v1/Deployment': ['spec', 'template', 'spec'],
  'apps/v1/StatefulSet': ['spec', 'template', 'spec'],
  'apps/v1/DaemonSet': ['spec', 'template', 'spec'],
  'apps/v1/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/v1/Job': ['spec', 'template', 'spec'],
  'batch/v1/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  'v1/ReplicationController': ['spec', 'template', 'spec'],
};

/**
 * Kinds whose defaults are only their OpenAPI ones (no SetDefaults_ function in their group's
 * defaults.go; a ConfigMap's SetDefaults_ConfigMap only makes `data` an empty map, which omitempty leaves out).
 */
const SCHEMA_DEFAULTS_ONLY = new Set(['policy/v1/PodDisruptionBudget', 'networking.k8s.io/v1/Ingress', 'v1/ServiceAccount', 'v1/ConfigMap']);

/**
 * The defaulted copy of `value`, a built-in `apiVersion`/`kind` of `release`; undefined when kdry
 * does not model that kind's defaults (the caller then cannot tell a missing field from one the
 * API server would fill). The copy is the caller's, but its pod template spec and containers are
 * shared with the copies of other values that hold the same objects (a keystroke patched into the
 * document, manifest/incremental.ts, keeps every subtree it did not touch), and frozen.
 */
export function withApiServerDefaults(value: Obj, apiVersion: string, kind: string, release: string): Obj | undefined {
  const key = `${apiVersion}/${kind}`;
  const defaulter = DEFAULTERS[key];
  if (!defaulter && !SCHEMA_DEFAULTS_ONLY.has(key)) return undefined;
  // The schemas of the bundled release that stands for `release` (1.36 is read with the newest
  // bundled one); the feature gates the defaulters read stay those of `release` itself.
  const catalog = kubernetesTarget(release)?.catalog;
  const schema = catalog?.kindSchema(key);
  if (!catalog || !schema) return undefined;
  const root = openApiNode(schema, catalog);
  calls++;
  const podSpecPath = POD_TEMPLATE_SPEC[key];
  const podSpec = podSpecPath && at(value, podSpecPath);
  const podSpecNode = podSpecPath && nodeAt(root, podSpecPath);
  typingCall = false;
  const shared = podSpec && podSpecNode ? new Map([[podSpec, defaultedPodSpec(podSpec, podSpecNode, release)]]) : undefined;
  // A call that found a remembered copy defaulted a document being edited: its copies are kept
  // until the next such call, past any number of calls for other documents (a multi-document paste).
  if (typingCall) for (const memo of memosOfCall) memo.kept = memo.current;
  memosOfCall.length = 0;
  return defaultedCopy(value, root, release, defaulter, shared, false);
}

/** A pod template spec's defaulted copy, with its containers', each shared while its input is the same object. */
function defaultedPodSpec(spec: Obj, node: OpenApiNode, release: string): Obj {
  return rememberedCopy(spec, node, release, () => {
    const shared = new Map<object, Obj>();
    for (const list of CONTAINER_LISTS) {
      const items = node.property(list)?.items;
      if (items) for (const container of objects(spec[list])) shared.set(container, rememberedCopy(container, items, release, () => defaultedCopy(container, items, release, defaultContainer)));
    }
    return defaultedCopy(spec, node, release, defaultPodSpec, shared);
  });
}

/**
 * Defaulted copies per release (its feature gates), schema node and input object, of the latest call that used
 * the node and the one before: they serve the document being edited, whose previous version the
 * last call defaulted (admission/admitted-object.ts keeps the other documents' per document value).
 * Neither a WeakMap nor a longer-lived map: kept longer, the copies outlive the young generation,
 * and collecting them cost more than defaulting them again. The exception is `kept`: the copies of
 * the latest call that found one remembered (a keystroke's), one document's worth, so that
 * defaulting many other documents in between (a paste) does not lose them.
 */
interface Remembered {
  call: number;
  current: Map<object, Obj>;
  previous: Map<object, Obj>;
  kept: Map<object, Obj>;
}
const remembered = new Map<string, WeakMap<OpenApiNode, Remembered>>();
const MAX_RELEASES_REMEMBERED = 8;
/** Calls of withApiServerDefaults so far. */
let calls = 0;
/** Whether the call under way found a remembered copy, and the memos it used. */
let typingCall = false;
const memosOfCall: Remembered[] = [];

function rememberedCopy(input: Obj, node: OpenApiNode, release: string, compute: () => Obj): Obj {
  let byNode = remembered.get(release);
  if (!byNode) {
    // The release comes from settings (any major.minor): the copies of at most a few are kept.
    if (remembered.size >= MAX_RELEASES_REMEMBERED) remembered.clear();
    remembered.set(release, (byNode = new WeakMap()));
  }
  let memo = byNode.get(node);
  if (!memo) byNode.set(node, (memo = { call: -1, current: new Map(), previous: new Map(), kept: new Map() }));
  if (memo.call !== calls) {
    memo.previous = memo.current;
    memo.current = new Map();
    memo.call = calls;
    memosOfCall.push(memo);
  }
  let copy = memo.current.get(input) ?? memo.previous.get(input) ?? memo.kept.get(input);
  if (copy) typingCall = true;
  else copy = compute();
  memo.current.set(input, copy);
  return copy;
}

/**
 * `input` copied (the objects in `shared` replaced by their defaulted copies), given its
 * SetDefaults_ functions, then its OpenAPI defaults, serialised as CEL reads it, and frozen unless
 * `freeze` is false. The defaulters and the walks leave a frozen subtree alone: it is defaulted and
 * serialised already.
 */
function defaultedCopy(input: Obj, node: OpenApiNode, release: string, defaulter: ((obj: Obj, release: string) => void) | undefined, shared?: Map<object, Obj>, freeze = true): Obj {
  const substitution = shared && { shared, met: 0 };
  let copy = deepCopy(input, substitution) as Obj;
  // A YAML alias puts one object in several places: its defaulted copy belongs in one of them only.
  if (substitution && substitution.met !== shared.size) copy = deepCopy(input) as Obj;
  defaulter?.(copy, release);
  fillSchemaDefaults(copy, node);
  serialiseForCel(copy, node.schema, node.catalog);
  return freeze ? deepFreeze(copy) : copy;
}

function at(value: Obj, path: readonly string[]): Obj | undefined {
  let node: unknown = value;
  for (const key of path) node = isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return isRecord(node) ? node : undefined;
}

function nodeAt(root: OpenApiNode, path: readonly string[]): OpenApiNode | undefined {
  let node: OpenApiNode | undefined = root;
  for (const key of path) node = node?.property(key);
  return node;
}

/** The objects to put in a copy in place of copying them, and how many times the copy met one. */
interface Substitution {
  shared: Map<object, Obj>;
  met: number;
}

/** A manifest value's copy (plain objects, arrays and scalars), the objects in `shared` replaced: cheaper than structuredClone on parsed YAML. */
function deepCopy(value: unknown, substitution?: Substitution): unknown {
  if (value === null || typeof value !== 'object') return value;
  const replacement = substitution?.shared.get(value);
  if (replacement) {
    substitution!.met++;
    return replacement;
  }
  if (Array.isArray(value)) return value.map((item) => deepCopy(item, substitution));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = deepCopy((value as Record<string, unknown>)[key], substitution);
    // A `__proto__` key written in YAML is data: assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}

/** Freezes `value` and what it holds, down to the subtrees frozen already (shared ones). */
function deepFreeze<T>(value: T): T {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeChild(value[i]);
  } else {
    for (const key in value) freezeChild(value[key]);
  }
  return value;
}

function freezeChild(child: unknown): void {
  if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
}
