/** Keys whose values are secrets wherever they appear in a request or response body. */
const SECRET_KEY = /^(password|apikey|api_key|apiKey|oauthtoken|token|bearerToken|secret|authorization|x-api-key)$/i;
const SECRET_HEADER = /^(authorization|x-api-key|cookie|set-cookie|apriora-signature)$/i;
export const REDACTED = '***';

/** A deep copy of `value` with every secret-named key masked. */
export function redactKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) && inner !== '' && inner !== null ? REDACTED : redactKeys(inner)]),
    );
  }
  return value;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, SECRET_HEADER.test(key) ? REDACTED : value]));
}

/** Masks every known secret value inside free text, as a last line of defence for traces and error messages. */
export function redactValues(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
