// The string and number formats the generated schemas use, with Kubernetes' own syntax rules.
// validate-value.ts checks a value of the format's type with its validate function.

export interface FormatDefinition {
  type: 'string' | 'number';
  validate: (value: never) => boolean;
}

/** resource.Quantity: <signedNumber><suffix>, suffix = Ki..Ei | n,u,m,"",k,M..E | e<signedNumber>. */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** intstr percentages as validated by IsValidPercent (`[0-9]+%`). */
const PERCENT = /^[0-9]+%$/;
/** IANA_SVC_NAME: the name of a container port (validation.IsValidPortName). */
const PORT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?$/;
/** RFC 3339 timestamps (metav1.Time). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Go's base64.StdEncoding (padded), which encoding/json uses for []byte; it skips CR and LF. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const INT32_MAX = 2 ** 31 - 1;
const INT64_LIMIT = 2 ** 63;

export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

export function isPercent(value: string): boolean {
  return PERCENT.test(value);
}

export function isPortName(value: string): boolean {
  return PORT_NAME.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

export const KUBERNETES_FORMATS: Record<string, FormatDefinition> = {
  quantity: { type: 'string', validate: isQuantity },
  'int-or-percent': { type: 'string', validate: isPercent },
  'int-or-port-name': { type: 'string', validate: isPortName },
  byte: { type: 'string', validate: (v: string) => BASE64.test(v.replace(/[\r\n]/g, '')) },
  'date-time': { type: 'string', validate: (v: string) => DATE_TIME.test(v) },
  int32: { type: 'number', validate: (v: number) => Number.isInteger(v) && v >= -INT32_MAX - 1 && v <= INT32_MAX },
  int64: { type: 'number', validate: (v: number) => Number.isInteger(v) && Math.abs(v) < INT64_LIMIT },
};
