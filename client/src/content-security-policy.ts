// The Dry-run view's Content-Security-Policy: nothing by default; styles, images and fonts from the
// extension only; the one bundled script by its per-load nonce; no <base> (which would re-point
// every relative URL) and no form submission anywhere.
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The only files the view loads, relative to the extension. They share one folder that holds
 * nothing else (scripts/build.mjs writes both), the view's only localResourceRoot.
 */
export const VIEW_FOLDER = ['dist', 'view'] as const;
export const VIEW_RESOURCES = [
  [...VIEW_FOLDER, 'webview.js'],
  [...VIEW_FOLDER, 'dryrun.css'],
] as const;
