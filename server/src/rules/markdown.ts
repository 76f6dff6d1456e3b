// Inline code for messages and docs; API server messages contain backticks of their own.
export function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}
