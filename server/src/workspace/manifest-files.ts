// Which files hold manifests. YAML files (*.yaml, *.yml) always; JSON files (*.json) when their
// top-level object is a Kubernetes object (`kubectl apply -f app.json` accepts them, and example
// apps ship controllers written that way), so package.json, tsconfig.json or renovate.json stay
// out of the workspace index and silent.
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const JSON_FILE = /\.json$/i;

export function isJsonPath(pathOrUri: string): boolean {
  return JSON_FILE.test(pathOrUri);
}

/**
 * A JSON text whose top-level object carries string `apiVersion` and `kind`. A text without both
 * keys is refused before parsing (a scan meets many JSON files); one that is not valid JSON is
 * refused too (kubectl would refuse it; the editor still checks it once it is open).
 */
export function isJsonManifest(text: string): boolean {
  if (!/"apiVersion"\s*:/.test(text) || !/"kind"\s*:/.test(text)) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>).apiVersion === 'string' && typeof (value as Record<string, unknown>).kind === 'string';
  } catch {
    return false;
  }
}

/** A file read from disk that belongs in the index: any YAML file, a JSON file only when it is a manifest. */
export function holdsManifests(pathOrUri: string, text: string): boolean {
  return !isJsonPath(pathOrUri) || isJsonManifest(text);
}
