// How kdry reads YAML with the `yaml` package: every document parse and the template detection agree.
export const YAML_PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error', merge: true } as const;
