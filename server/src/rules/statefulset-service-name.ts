// A StatefulSet's pods get stable DNS names only through the headless Service named by serviceName.
import { keyRange, valueRange, isRecord, type ManifestDocument, type ManifestFile } from '../manifest';
import { serviceSelectorMatches } from '../k8s/labels';
import type { WorkspaceIndex } from '../workspace';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix, TextEdit } from '../findings';
import { defineRule } from './define-rule';
import { indentUnit } from './edits/line-blocks';
import { setMapEntries } from './edits/map-edit';
import { mappingLines, yamlScalar } from '../text-edits';
import { podTemplate } from '../manifest/pod-template';
import { isHeadless, serviceSelector, servicesNamed } from '../scope/workspace-lookup';

export const statefulsetServiceName: Rule = defineRule({
  id: 'statefulset-service-name',
  title: 'StatefulSet without a working headless Service',
  severity: 'warning',
  kinds: ['apps/v1/StatefulSet'],
  crossDocument: true,
  description: [
    'A StatefulSet gives each pod a stable network identity, `<pod>.<serviceName>.<namespace>.svc.cluster.local` (e.g. `web-0.nginx.default.svc.cluster.local`),',
    'through the headless Service named by `spec.serviceName`: the controller sets each pod\'s hostname and subdomain, and the Service\'s DNS records give every ready pod its own name.',
    'Without `serviceName` the pods have no such names. When the named Service is not headless (`clusterIP: None`), DNS answers with one virtual IP instead of per-pod records;',
    'when its selector does not select the StatefulSet\'s pods, no records exist at all. Peers that find each other by ordinal (databases, quorum systems) then cannot.',
    'The Service is looked up in every YAML file of the workspace, in the StatefulSet\'s namespace.',
  ].join(' '),
  remediation:
    'Set `spec.serviceName` and create a Service of that name with `clusterIP: None` whose selector matches the pod template labels. The quick-fix can append such a Service to the file, with ports from the containers.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const spec = doc.value && isRecord((doc.value as Record<string, unknown>).spec) ? ((doc.value as Record<string, unknown>).spec as Record<string, unknown>) : undefined;
  if (!spec) return [];
  const labels = podTemplate(doc)?.labels ?? {};
  const serviceName = typeof spec.serviceName === 'string' && spec.serviceName !== '' ? spec.serviceName : undefined;
  const who = `StatefulSet "${doc.name ?? ''}"`;

  if (!serviceName) {
    const name = doc.name ?? 'headless';
    const fixes = (): Fix[] => {
      // Asked for only with the fixes: a scan of the namespace's Services per StatefulSet made the check quadratic.
      const existing = headlessSelecting(workspace, doc, labels);
      const edits = setMapEntries(file.text, doc, ['spec'], { serviceName: existing ?? name });
      if (!edits) return [];
      if (existing) return [{ title: `Add serviceName: ${existing} (the headless Service that selects these pods)`, edits, preferred: true }];
      return [{ title: `Add serviceName: ${name} and a headless Service "${name}"`, edits: [...edits, headlessServiceEdit(file, doc, name)] }];
    };
    return [
      {
        ruleId: statefulsetServiceName.id,
        range: keyRange(doc, ['spec']) ?? keyRange(doc, ['kind'])!,
        message: `${who} has no spec.serviceName, so its pods get no stable DNS names (\`${doc.name ?? 'web'}-0.<serviceName>.<namespace>.svc.cluster.local\`). Name a headless Service that selects its pods.`,
        fixes,
      },
    ];
  }

  const services = servicesNamed(workspace, serviceName, { uri: file.uri, doc });
  // The Service written next to the StatefulSet is the one its author means.
  const svc = services.find((s) => s.uri === file.uri) ?? services[0];
  const selected = svc !== undefined && serviceSelectorMatches(serviceSelector(svc.doc), labels);
  if (svc && isHeadless(svc.doc) && selected) return [];
  // Located only for a finding: a range costs a read of the document.
  const range = valueRange(doc, ['spec', 'serviceName'])!;
  if (services.length === 0) {
    return [
      {
        ruleId: statefulsetServiceName.id,
        severity: 'info',
        range,
        message: `No Service "${serviceName}" in the workspace: unless it exists in the cluster, the pods of ${who} get no DNS names (\`${doc.name}-0.${serviceName}\`). The StatefulSet does not create it.`,
        fixes: () => [{ title: `Append a headless Service "${serviceName}" to this file`, edits: [headlessServiceEdit(file, doc, serviceName)] }],
      },
    ];
  }
  const findings: Finding[] = [];
  const where = svc.uri === file.uri ? 'in this file' : `in ${svc.uri}`;
  if (!isHeadless(svc.doc)) {
    const fixes = (): Fix[] => {
      const edits = svc.uri === file.uri ? setMapEntries(file.text, svc.doc, ['spec'], { clusterIP: 'None' }) : undefined;
      return edits ? [{ title: `Make Service "${serviceName}" headless (clusterIP: None)`, edits, preferred: true }] : [];
    };
    findings.push({
      ruleId: statefulsetServiceName.id,
      range,
      message: `Service "${serviceName}" (${where}) is not headless (spec.clusterIP is not None): DNS resolves it to one virtual IP, and the pods of ${who} get no per-pod names like \`${doc.name}-0.${serviceName}\`. Note that clusterIP cannot be changed on an existing Service: it must be recreated.`,
      fixes,
    });
  }
  if (!selected) {
    findings.push({
      ruleId: statefulsetServiceName.id,
      range,
      message: `Service "${serviceName}" (${where}) does not select the pods of ${who} (selector ${describe(serviceSelector(svc.doc))}, pod labels ${describe(labels)}): no DNS records are published for them.`,
    });
  }
  return findings;
}

function headlessSelecting(workspace: WorkspaceIndex, doc: ManifestDocument, labels: Record<string, string>): string | undefined {
  for (const s of workspace.documents('Service')) {
    if ((s.doc.namespace ?? '') !== (doc.namespace ?? '') || !s.doc.name) continue;
    if (isHeadless(s.doc) && serviceSelectorMatches(serviceSelector(s.doc), labels)) return s.doc.name;
  }
  return undefined;
}

/** A headless Service document appended to the file: selector from the template, ports from the containers. */
function headlessServiceEdit(file: ManifestFile, doc: ManifestDocument, name: string): TextEdit {
  const unit = indentUnit(file.text, doc);
  const pad = (n: number) => ' '.repeat(n * unit);
  const template = podTemplate(doc);
  let text = `---\napiVersion: v1\nkind: Service\nmetadata:\n${pad(1)}name: ${yamlScalar(name)}\n`;
  if (doc.namespace) text += `${pad(1)}namespace: ${yamlScalar(doc.namespace)}\n`;
  text += `spec:\n${pad(1)}clusterIP: None\n`;
  const labels = template?.labels ?? {};
  if (Object.keys(labels).length) text += `${pad(1)}selector:\n${mappingLines(labels, 2 * unit)}`;
  const ports = containerPorts(template?.containers.map((c) => c.value) ?? []);
  if (ports.length) {
    text += `${pad(1)}ports:\n`;
    for (const p of ports) {
      text += `${pad(1)}- ${p.name ? `name: ${yamlScalar(p.name)}\n${pad(1)}  ` : ''}port: ${p.port}\n`;
      if (p.protocol && p.protocol !== 'TCP') text += `${pad(1)}  protocol: ${p.protocol}\n`;
      if (p.containerPortName) text += `${pad(1)}  targetPort: ${yamlScalar(p.containerPortName)}\n`;
    }
  }
  const sep = file.text.length === 0 || file.text.endsWith('\n') ? '' : '\n';
  return { range: [file.text.length, file.text.length], newText: sep + text };
}

interface PortSpec {
  name?: string;
  /** The container's own port name, which targetPort can refer to. */
  containerPortName?: string;
  port: number;
  protocol?: string;
}

function containerPorts(containers: Record<string, unknown>[]): PortSpec[] {
  const out: PortSpec[] = [];
  for (const c of containers) {
    if (!Array.isArray(c.ports)) continue;
    for (const p of c.ports) {
      if (!isRecord(p) || typeof p.containerPort !== 'number') continue;
      if (out.some((o) => o.port === p.containerPort && o.protocol === p.protocol)) continue;
      const name = typeof p.name === 'string' ? p.name : undefined;
      out.push({ name, containerPortName: name, port: p.containerPort, protocol: typeof p.protocol === 'string' ? p.protocol : undefined });
    }
  }
  // a Service with several ports must name them all
  if (out.length > 1) out.forEach((p, i) => (p.name ??= `port-${i + 1}`));
  return out;
}

function describe(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(', ') : 'none';
}
