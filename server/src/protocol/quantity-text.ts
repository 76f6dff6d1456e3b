// The wire's resource amounts as kubectl writes them: cpu in cores or millicores (`3`, `500m`),
// byte counts with binary suffixes (`16Gi`, `512Mi`), counts as numbers. The engine (and so the
// wire) keeps cpu in millicores and memory/storage in bytes (k8s/quantity.ts resourceAmount); this
// is the way back, for the Dry-run view and the CLI alike. Pure: the webview bundles it.

export function formatMillicores(m: number): string {
  return m % 1000 === 0 ? `${m / 1000}` : `${Math.round(m)}m`;
}

export function formatBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${units[unit]}`;
}

/** An amount of the named resource in kubectl's words (cpu, memory and storage by unit; the rest as counts). */
export function formatResource(name: string, amount: number): string {
  if (name === 'cpu') return formatMillicores(amount);
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return formatBytes(amount);
  return String(amount);
}
