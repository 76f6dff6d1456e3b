// `kubectl get` at the selected step: one table per object type, columns as the server reports them.
import type { StatusRow } from '../../server/src/protocol/wire';
import { el, section } from './dom';

export function renderStatus(rows: readonly StatusRow[]): HTMLElement | null {
  if (rows.length === 0) return null;
  const groups = new Map<string, StatusRow[]>();
  for (const row of rows) {
    const type = row.object.includes('/') ? row.object.slice(0, row.object.indexOf('/')) : row.object;
    const list = groups.get(type) ?? [];
    list.push(row);
    groups.set(type, list);
  }
  return section('Status', ...[...groups].map(([, list]) => {
    const all = [...new Set(list.flatMap((row) => Object.keys(row.columns)))];
    // kubectl prints upper-case headers; other keys (raw status fields) stay out unless there is nothing else
    const kubectlColumns = all.filter((c) => /^[A-Z][A-Z0-9 -]*$/.test(c));
    const columns = kubectlColumns.length > 0 ? kubectlColumns : all;
    return el('div', { class: 'table-scroll' }, el('table', { class: 'status mono' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'NAME'), ...columns.map((c) => el('th', { scope: 'col' }, c.toUpperCase())))),
      el('tbody', {}, ...list.map((row) => el('tr', {}, el('td', {}, row.object), ...columns.map((c) => el('td', {}, row.columns[c] ?? ''))))),
    ));
  }));
}
