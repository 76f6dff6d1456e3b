// A check that judges the object a workload's build applies (scope/built-document.ts buildsOf)
// runs once per build; its findings land on the one file. A finding every build gives is said
// once; each finding names the builds that give it when the file is applied through a
// kustomization other than its own (an overlay): the base's text alone does not say why.
import type { Finding } from '../../findings';
import type { Build } from '../../scope/built-document';

export function findingsPerBuild(builds: readonly Build[], judge: (build: Build) => Finding[]): Finding[] {
  if (builds.length === 1 && builds[0].own) return judge(builds[0]);
  const found = new Map<string, { finding: Finding; labels: string[] }>();
  for (const build of builds) {
    for (const finding of judge(build)) {
      const key = `${finding.range[0]}:${finding.range[1]}|${finding.severity ?? ''}|${finding.message}`;
      const seen = found.get(key);
      if (seen) seen.labels.push(build.label ?? '.');
      else found.set(key, { finding, labels: [build.label ?? '.'] });
    }
  }
  return [...found.values()].map(({ finding, labels }) => ({ ...finding, message: `${inBuilds(labels)}: ${finding.message}` }));
}

function inBuilds(labels: readonly string[]): string {
  const quoted = labels.map((l) => `\`${l}\``);
  return quoted.length === 1 ? `In the build of ${quoted[0]}` : `In the builds of ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
