// Which documents are Go/Helm templates. In a chart's `templates/` folder every `{{ ... }}` is an
// action (Helm renders the whole text, comments and quoted strings too). Elsewhere `{{ ... }}` is
// often plain text of the YAML: Kyverno's JMESPath (`message: "{{ request.object.metadata.name }}"`),
// Prometheus and Alertmanager templates in a rule's annotations, Argo's parameters, a comment. Such
// a file is a manifest as it is: kubectl applies it unchanged. It is a template only where YAML
// cannot read it as it is, or reads an action as structure (`name: {{ .Release.Name }}` is a flow
// map to YAML), which no manifest means.
import { visit } from 'yaml';
import { YAML_PARSE_OPTIONS } from './yaml-options';
import { parseDocumentWithin } from './nesting-limit';

const TEMPLATE_SYNTAX = /\{\{[\s\S]*?\}\}/;

/** A file below a `templates` folder (a Helm chart's): its actions are actions wherever they are. */
export function inTemplatesFolder(uri: string): boolean {
  return /[\\/]templates[\\/]/.test(uri);
}

/**
 * Whether a document's text is a template. `templatesFolder`: it is in a chart's `templates/`.
 * The YAML is parsed only for a text with `{{ ... }}` outside such a folder.
 */
export function isTemplateText(source: string, templatesFolder: boolean): boolean {
  if (!TEMPLATE_SYNTAX.test(source)) return false;
  if (templatesFolder) return true;
  // Within the nesting limit, as every parse of a document: a text past it is cut and a template.
  const yaml = parseDocumentWithin(source, YAML_PARSE_OPTIONS);
  if (yaml.errors.length > 0) return true;
  let structural = false;
  visit(yaml, {
    Map(_key, node) {
      // `{{` read as two flow maps: an action where YAML expects a value or a key.
      if (node.flow && node.range && source.startsWith('{{', node.range[0])) {
        structural = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return structural;
}
