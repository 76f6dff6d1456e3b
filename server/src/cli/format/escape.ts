// Text output that a hostile manifest cannot turn against its reader. Names, paths and messages
// come from the files checked: an ESC sequence in a workload name would rewrite the terminal, and
// a newline followed by `::error file=x::` would inject a GitHub Actions annotation.

/**
 * C0 controls (tab kept), DEL, C1 controls (U+0080-U+009F: 8-bit ESC, CSI, OSC), the Unicode line
 * and paragraph separators, and the bidirectional overrides that reorder text on screen ("Trojan
 * Source", CVE-2021-42574).
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\n`, `\r`, `\xNN` or `\uNNNN` for each control character, so the text stays one visible line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x0a) return '\\n';
    if (code === 0x0d) return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The GitHub Actions runner reads a line whose text, leading spaces trimmed, starts with `::` or
 * `##[` as a workflow command (actions/runner ActionCommand.TryParseV2 and TryParse). Such a line
 * (a path named so, in a header) gets its first character escaped: `\x3a:error...`.
 */
export function neutralizeWorkflowCommands(output: string): string {
  return output.replace(/^([ \t]*)(::|##\[)/gm, (_, indent: string, start: string) => `${indent}\\x${start.charCodeAt(0).toString(16)}${start.slice(1)}`);
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls, U+2028/2029 and bidi overrides
 * raw, which a terminal showing the JSON would act on: the same text with those as `\uNNNN` escapes.
 */
export function stringifyJson(value: unknown, indent = 2): string {
  return jsonText(value, indent) + '\n';
}

/** What JSON.stringify leaves raw and a terminal would act on (see stringifyJson). */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const RAW_IN_JSON_ALL = new RegExp(RAW_IN_JSON.source, 'g');

/** stringifyJson without the closing newline (kdry simulate's JSON, megabytes, is written in pieces: json-pieces.ts). */
export function jsonText(value: unknown, indent = 2): string {
  return escapeRawInJson(JSON.stringify(value, null, indent || undefined));
}

/** JSON text (or a piece of one: the escapes are one character each) with what JSON.stringify leaves raw escaped (see stringifyJson). */
export function escapeRawInJson(text: string): string {
  // Most texts have none: replace() would still copy megabytes of kdry simulate's JSON.
  return RAW_IN_JSON.test(text) ? text.replace(RAW_IN_JSON_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}
