// The Dry-run view's HTML: a strict Content-Security-Policy with a fresh nonce per load; the only
// script is the bundled dist/view/webview.js, its styles dist/view/dryrun.css. No inline script or handler.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, VIEW_FOLDER, VIEW_RESOURCES } from './content-security-policy';

/** `place`: the sidebar view or the editor-area panel (the body's class: background and layout). */
export function dryRunHtml(webview: vscode.Webview, extensionUri: vscode.Uri, place: 'sidebar' | 'editor' = 'sidebar'): string {
  const nonce = randomBytes(16).toString('base64');
  const [script, style] = VIEW_RESOURCES.map((parts) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)));
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>kdry Dry-run</title>
</head>
<body class="in-${place}">
<main id="app" aria-label="kdry Dry-run"><p>Open a Kubernetes workload YAML file to see its dry-run.</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/**
 * The folder of the view's two files and nothing else. VS Code takes each root as a folder (it
 * matches resources below `root/`), so a file cannot be a root of its own.
 */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, ...VIEW_FOLDER)];
}
