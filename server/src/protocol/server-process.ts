// How the language server's process is started: declared once, for the client (which starts it in
// VS Code) and for the benchmarks and language-server tests (which must measure the same process).
//
// A young generation of 4 MB per semi-space instead of V8's 16 MB: the server's garbage is short
// lived (a check's findings and diagnostics), so the smaller nursery is scavenged more often at no
// measurable cost per edit, and the process holds about 20 MB less (npm run bench lsp-realistic,
// the mixed 1,000-document file: peak RSS 188 -> 168 MB with the simulation checks' worker, which
// inherits the flag; 151 -> 132 MB without it).
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];
