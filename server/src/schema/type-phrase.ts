// How a message names the JSON type a field must have ("must be an integer", "must be a mapping of
// fields"), for the built-in kinds' schema findings and for custom resources' alike.
const TYPE_PHRASES: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
  'integer or string': 'an integer or a string',
};

/** `integer` -> `an integer`; a type it does not know is named as it is. */
export function typePhrase(type: string): string {
  return TYPE_PHRASES[type] ?? type;
}
