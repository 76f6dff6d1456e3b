// Injected into the CommonJS bundles: what import.meta.url would be for this file.
export const __kdryImportMetaUrl = require('url').pathToFileURL(__filename).href;
