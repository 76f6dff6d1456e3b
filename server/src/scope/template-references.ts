// The references of a Go/Helm template document. kdry does not render charts (docs/scope.md "Helm
// charts"): a name made by template actions (`name: {{ include "web.fullname" . }}-config`) is known
// only once the chart renders, so kdry cannot resolve it and says so rather than guess. This is what
// the chart-aware tools do too: kube-linter, Monokle and Datree judge the links of a chart only on
// its rendered output (`helm template`), and helm-ls checks a template's literal YAML only. A
// CodeLens above the document counts such names, the hover explains each; a name
// written literally is static text, and the hover says what it resolves to when that is known.
import { TEMPLATE_PLACEHOLDER } from '../manifest/template-mask';
import { valueRange, type ManifestDocument, type ManifestFile } from '../manifest';
import { referencesOf, type ObjectReference } from './references';

export interface TemplatedReference {
  ref: ObjectReference;
  /** The name as the template writes it, actions included. */
  written: string;
}

/** The references of a template document (`view`: it with its actions masked) whose names are made by template actions. */
export function templatedReferences(file: ManifestFile, view: ManifestDocument): TemplatedReference[] {
  const out: TemplatedReference[] = [];
  for (const ref of referencesOf(view)) {
    const range = ref.name.includes(TEMPLATE_PLACEHOLDER) ? valueRange(view, ref.path) : undefined;
    if (range) out.push({ ref, written: file.text.slice(range[0], range[1]) });
  }
  return out;
}

/** What template-not-checked advises too: kdry checks a rendered chart whole. */
export const RENDERED = 'Check what the chart renders: `helm template . | kdry check -`.';

/** The hover on a reference whose name is made by template actions. */
export function templatedReferenceNote(t: TemplatedReference): string {
  return `**${t.ref.kind} \`${t.written}\`**: its name is made by template actions, so kdry cannot resolve it without rendering the chart. It does not guess which object this is, and checks nothing about it. ${RENDERED}`;
}

/**
 * The CodeLens above a template document with such references: how many kdry leaves unresolved,
 * and (its tooltip) which and why; undefined when it has none.
 */
export function templatedReferencesLens(file: ManifestFile, view: ManifestDocument): { title: string; tooltip: string } | undefined {
  const refs = templatedReferences(file, view);
  if (refs.length === 0) return undefined;
  const SHOWN = 4;
  const listed = refs.slice(0, SHOWN).map((t) => `${t.ref.kind} ${t.written} (${t.ref.via})`);
  const more = refs.length > SHOWN ? ` and ${refs.length - SHOWN} more` : '';
  const one = refs.length === 1;
  return {
    title: `${refs.length} reference${one ? '' : 's'} not resolved: named by template actions`,
    tooltip: `${listed.join(', ')}${more}: kdry cannot resolve a name made by template actions without rendering the chart, and does not guess, so ${one ? 'this reference is' : 'these references are'} not checked against the objects in scope. ${RENDERED}`,
  };
}
