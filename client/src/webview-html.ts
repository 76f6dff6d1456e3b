// The Dry-run view's HTML: a strict Content-Security-Policy with a fresh nonce per load; the only
// script is the bundled dist/webview.js, styles come from media/. No inline script or handler.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function dryRunHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dryrun.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>kdry Dry-run</title>
</head>
<body>
<main id="app" aria-label="kdry Dry-run"><p>Open a Kubernetes workload YAML file to see its dry-run.</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')];
}
