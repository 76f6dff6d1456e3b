// Whether a field's description says the field is deprecated ("Deprecated: Use serviceAccountName
// instead."): the validator warns on such a field, and the data generator keeps these descriptions
// in the definitions the validator reads (scripts/schema-data/bundle-versions.ts structures.txt).
const DEPRECATED = /(?:^|\. )(?:Deprecated|DEPRECATED)[:.]|is a deprecated alias for/;

export function describesDeprecation(description: string | undefined): boolean {
  return description !== undefined && DEPRECATED.test(description);
}
