// The part of picomatch (4.x, no bundled types) that inputs.ts and workspace/exclude.ts use: glob matching and the scan
// that splits a pattern into its literal base folder and the glob below it.
declare module 'picomatch' {
  interface Options {
    dot?: boolean;
    /** A pattern without slashes matches the last path segment. */
    basename?: boolean;
  }
  interface ScanResult {
    base: string;
    glob: string;
    isGlob: boolean;
  }
  interface Picomatch {
    (pattern: string | string[], options?: Options): (path: string) => boolean;
    scan(pattern: string): ScanResult;
  }
  const picomatch: Picomatch;
  export default picomatch;
}
