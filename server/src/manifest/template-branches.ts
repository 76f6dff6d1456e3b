// Chart templates that choose a document's apiVersion or kind by what the cluster serves:
//
//   {{- if .Capabilities.APIVersions.Has "apps/v1" }}           (Jenkins' StatefulSet)
//   apiVersion: apps/v1
//   {{- else }}
//   apiVersion: apps/v1beta1
//   {{- end }}
//
//   {{- if semverCompare ">=1.19-0" $.Capabilities.KubeVersion.GitVersion -}}   (`helm create`'s Ingress)
//   apiVersion: networking.k8s.io/v1
//   {{- else if semverCompare ">=1.14-0" $.Capabilities.KubeVersion.GitVersion -}}
//   ...
//
// Helm decides such a chain at render time from the cluster's discovery (`.Capabilities`). Given
// the target release, kdry takes the same branch: the other branches and the chain's own actions
// become spaces (offsets and lines unchanged), so the chosen apiVersion and kind read as literal
// text. Only chains whose every condition is a capability test are decided, and only those that
// choose what the document is (an `apiVersion:` or `kind:` line, or on such a line): a chain
// around the whole document with no `else` only decides whether it renders, and stays as it was.
// Only the two functions used: semver's index loads its every module at start (the CLI, the server and each worker pay for it).
import satisfies from 'semver/functions/satisfies';
import validRange from 'semver/ranges/valid';
import { templateActions } from './template-mask';
import type { Offsets } from './types';

/** What `.Capabilities` holds for the target cluster. */
export interface TemplateCapabilities {
  /** `.Capabilities.KubeVersion.Version` without the `v`, e.g. `1.35.0`. */
  kubeVersion: string;
  /** `.Capabilities.APIVersions.Has`: `group/version` or `group/version/Kind`, served by the cluster. */
  hasApi(apiVersion: string): boolean;
}

/** One decided chain: where its `if` is (source offsets), and what was taken. */
export interface BranchChoice {
  /** The `{{ if ... }}` action that opens the chain. */
  range: Offsets;
  /** The condition that held, as written (`.Capabilities.APIVersions.Has "apps/v1"`); `else` when none did. */
  taken: string;
}

export interface DecidedTemplate {
  /** The source with each decided chain reduced to its taken branch (same length, same lines). */
  source: string;
  choices: BranchChoice[];
}

interface Clause {
  /** The condition's text; undefined for `else`. */
  condition?: string;
  action: [number, number];
}

interface Chain {
  clauses: Clause[];
  end: [number, number];
}

/** The source as the target cluster's Helm would choose its version branches; undefined when no chain was decided. */
export function decideVersionBranches(source: string, capabilities: TemplateCapabilities): DecidedTemplate | undefined {
  const chains = ifChains(source).filter((chain) => choosesWhatTheDocumentIs(source, chain));
  const chars = source.split('');
  const choices: BranchChoice[] = [];
  for (const chain of chains) {
    const results = chain.clauses.map((c) => (c.condition === undefined ? true : evaluate(c.condition, capabilities)));
    if (results.some((r) => r === undefined)) continue; // a condition kdry cannot decide: leave the chain alone
    const taken = results.indexOf(true);
    const bounds = [...chain.clauses.map((c) => c.action), chain.end];
    for (let i = 0; i < chain.clauses.length; i++) {
      blank(chars, ...chain.clauses[i].action);
      if (i !== taken) blank(chars, chain.clauses[i].action[1], bounds[i + 1][0]);
    }
    blank(chars, ...chain.end);
    choices.push({ range: chain.clauses[0].action, taken: taken < 0 ? 'none' : (chain.clauses[taken].condition ?? 'else') });
  }
  return choices.length ? { source: chars.join(''), choices } : undefined;
}

const CONTROL = /^\{\{-?\s*(if|else if|else|end|with|range|define|block)\b\s*(.*?)\s*-?\}\}$/s;

/** The if / else if / else chains of the source with their `end`, nested ones included. */
function ifChains(source: string): Chain[] {
  const chains: Chain[] = [];
  const open: (Chain | undefined)[] = []; // undefined: a with/range/define/block
  for (const [start, end] of templateActions(source)) {
    const m = CONTROL.exec(source.slice(start, end));
    if (!m) continue;
    const [, keyword, rest] = m;
    const top = open[open.length - 1];
    if (keyword === 'if') open.push({ clauses: [{ condition: rest, action: [start, end] }], end: [end, end] });
    else if (keyword === 'else if' && top) top.clauses.push({ condition: rest, action: [start, end] });
    else if (keyword === 'else' && top) top.clauses.push({ action: [start, end] });
    else if (keyword === 'end') {
      const closed = open.pop();
      if (closed) chains.push({ ...closed, end: [start, end] });
    } else if (keyword !== 'else if' && keyword !== 'else') open.push(undefined);
  }
  return chains;
}

/** A top-level `apiVersion:` or `kind:` line (a nested `kind:`, as in `scaleTargetRef`, does not count). */
const TYPE_LINE = /(^|\n)(apiVersion|kind):/;

function choosesWhatTheDocumentIs(source: string, chain: Chain): boolean {
  if (chain.clauses.length < 2) return false;
  const lineStart = source.lastIndexOf('\n', chain.clauses[0].action[0] - 1) + 1;
  return TYPE_LINE.test(source.slice(lineStart, chain.end[0]));
}

const CAPABILITIES = String.raw`\$?\.Capabilities`;
const HAS = new RegExp(String.raw`^${CAPABILITIES}\.APIVersions\.Has\s+"([^"]+)"$`);
const SEMVER_COMPARE = new RegExp(String.raw`^semverCompare\s+"([^"]+)"\s+\(?\s*${CAPABILITIES}\.KubeVersion\.(?:GitVersion|Version)\s*\)?$`);

/** A capability test's value; undefined for any other condition (values, `and`, `or`, helpers). */
function evaluate(condition: string, capabilities: TemplateCapabilities): boolean | undefined {
  let text = condition.trim();
  let negate = false;
  const not = /^not\s+(.*)$/s.exec(text);
  if (not) {
    negate = true;
    text = not[1].trim();
  }
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  const has = HAS.exec(text);
  if (has) return capabilities.hasApi(has[1]) !== negate;
  const compare = SEMVER_COMPARE.exec(text);
  if (!compare) return undefined;
  const satisfied = satisfiesConstraint(capabilities.kubeVersion, compare[1]);
  return satisfied === undefined ? undefined : satisfied !== negate;
}

/**
 * Helm's semverCompare uses Masterminds/semver constraints: like npm's ranges, except that a comma
 * joins comparisons (`>=1.19, <1.22`) and `-0` admits pre-releases (`>=1.19-0` holds for the
 * `v1.19.0-gke.1` GitVersions of managed clusters). An unreadable constraint decides nothing.
 */
function satisfiesConstraint(version: string, constraint: string): boolean | undefined {
  // npm's ranges want a pre-release on a full version: `>=1.19-0` is written `>=1.19.0-0` there.
  const npmRange = constraint.replace(/\s*,\s*/g, ' ').replace(/\b(\d+)(?:\.(\d+))?(?:\.(\d+))?-([0-9A-Za-z.-]+)/g, (_, major, minor, patch, pre) => `${major}.${minor ?? 0}.${patch ?? 0}-${pre}`);
  const range = validRange(npmRange, { loose: true });
  if (range === null) return undefined;
  return satisfies(version, range, { includePrerelease: true, loose: true });
}

function blank(chars: string[], from: number, to: number): void {
  for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}
