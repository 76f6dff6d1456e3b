// Most edits of a file leave what the engine simulates as it was (a comment, spacing, a key's
// quoting, an edit undone): the Dry-run answers them from its last run instead of running the engine
// again, and the simulation checks keep a workload's verdict. A run is keyed on everything the engine
// reads (SimulateOptions: the file's objects as built, the objects acting on the workload, the
// cluster, the release, faults, strategy, window) and the view's pod window; simulate() is
// deterministic (engine/simulate.ts: same input, same output).
//
// A key is built per object and remembered by the object's identity: the incremental parse
// (manifest/incremental.ts) gives an edited document a new object only on the path to the edit and
// keeps every other subtree's object, so keying the edited workload again reads only that path, not
// the whole object. This relies on parsed values (and the cluster's node lists) never being changed
// in place, which the engine also relies on: running from source, it simulates the server's own objects.
import * as crypto from 'node:crypto';
import { serialize } from 'node:v8';
import type { SimulateOptions } from '../engine';
import { ownBuffer } from './simulation-worker';

/** A simulate job as the runner posts it: the engine's inputs and the view's pod window. */
export interface SimulationJobInput {
  simulate: SimulateOptions;
  podWindow?: number;
}

/**
 * The job as the simulation thread receives it: structured clone's bytes, written once here rather
 * than again by postMessage, in a buffer of their own to transfer. Throws, as postMessage would,
 * for a value structured clone cannot write (none comes from a parsed manifest).
 */
export function packedSimulation(job: SimulationJobInput): ArrayBuffer {
  return ownBuffer(serialize(job));
}

/** The key of a simulate job's inputs (inputKey): equal jobs share it, any difference the engine could read gives another. */
export function simulationKey(job: SimulationJobInput): string {
  return inputKey(job);
}

/**
 * Descriptions longer than this are hashed, and remembered by the object: a parent lists its
 * children's keys, which stay short. A shorter one (a container's port, an env entry) is cheaper
 * to describe again than to remember, and its parent is remembered.
 */
const HASHED_OVER = 256;
/** Nesting at most: deeper (or a cycle, which never ends) is keyed by its bytes, as a worker receives it. */
const MAX_DEPTH = 2000;
/** Keys of objects already keyed, by identity. */
const keys = new WeakMap<object, string>();

/** Why the whole value is keyed by its bytes instead (a cycle or nesting past MAX_DEPTH; a function or a symbol, which structured clone then refuses): thrown up to inputKey. */
class NotPlain extends Error {}

/**
 * The key of a value the engine reads: equal for two texts the engine reads alike (one has a
 * comment more, other spacing or quoting), different for any difference it could read: a string
 * and a number (`"1"` and 1), null and `.inf`, -0 and 0, a Date, an array and a map, and key order
 * (the engine reads some maps by their first key: engine/patterns/argo-rollouts.ts
 * parseCanarySteps names an unknown canary step after it, so moving a key is a re-run). Values that
 * are not plain data (a Map, a class instance, a cycle) are keyed by their structured clone's
 * bytes, as a worker thread receives them; one that cannot be cloned (a function) throws, as
 * postMessage would.
 */
export function inputKey(value: unknown): string {
  try {
    const key = keyOfValue(value, 0);
    // a short description stands for itself inside a parent's; given out, every key is a hash
    return key.startsWith('#') || key.startsWith('v') ? key : `#${hash(key)}`;
  } catch (err) {
    // a cycle, or deeper nesting than MAX_DEPTH: keyed as a whole by its bytes (or refused as postMessage would)
    if (err instanceof NotPlain) return bytesKey(value);
    throw err;
  }
}

function keyOfValue(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'number':
      return Object.is(value, -0) ? 'n-0' : `n${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `b${value}`;
    case 'object':
      return value === null ? 'z' : keyOfObject(value, depth + 1);
    default:
      // a function or a symbol: structured clone refuses it
      throw new NotPlain();
  }
}

function keyOfObject(value: object, depth: number): string {
  const known = keys.get(value);
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) throw new NotPlain();
  let description: string;
  if (Array.isArray(value)) {
    description = '[';
    for (let i = 0; i < value.length; i++) description += `${i in value ? keyOfValue(value[i], depth) : 'h'},`;
    description += ']';
  } else if (value instanceof Date) {
    return `d${value.getTime()}`;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return remember(value, bytesKey(value));
    description = '{';
    for (const key in value) if (Object.hasOwn(value, key)) description += `${JSON.stringify(key)}:${keyOfValue((value as Record<string, unknown>)[key], depth)},`;
    description += '}';
  }
  return description.length > HASHED_OVER ? remember(value, `#${hash(description)}`) : description;
}

function remember(value: object, key: string): string {
  keys.set(value, key);
  return key;
}

/** A value keyed by its structured clone's bytes (`v` keys never equal a description or a hashed one). */
function bytesKey(value: unknown): string {
  return `v${sha256(serialize(value))}`;
}

function hash(description: string): string {
  return sha256(description);
}

type OneShotHash = (algorithm: string, data: string | Buffer, encoding: 'base64') => string;
/** crypto.hash (Node 20.12 and later; VS Code's own Node may be older) is several times cheaper than a Hash object for short inputs. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

function sha256(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'base64') : crypto.createHash('sha256').update(data).digest('base64');
}
