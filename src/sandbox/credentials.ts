/**
 * Credentials the sandbox accepts. Widget API: `apiKey`, `username` and `password` must all match exactly.
 * Apriora API: the `X-API-Key` header must equal `aprioraApiKey` (default DEFAULT_APRIORA_API_KEY).
 */
export interface SandboxCredentials {
  apiKey: string;
  username: string;
  password: string;
  /** The Apriora emulator's API key; absent = DEFAULT_APRIORA_API_KEY. */
  aprioraApiKey?: string;
}

/** What a running sandbox accepts: every credential resolved. */
export interface ResolvedSandboxCredentials extends SandboxCredentials {
  aprioraApiKey: string;
}

/** Clearly fake, so that nobody mistakes it for a customer's key. */
export const DEFAULT_APRIORA_API_KEY = 'sandbox-apriora-key-0000';

/** Clearly fake, so that nobody mistakes them for a customer's. */
export const DEFAULT_SANDBOX_CREDENTIALS: Readonly<ResolvedSandboxCredentials> = Object.freeze({
  apiKey: 'sandbox-api-key-0000',
  username: 'api.user@sandbox.example',
  password: 'sandbox-password',
  aprioraApiKey: DEFAULT_APRIORA_API_KEY,
});

export function resolveSandboxCredentials(given: SandboxCredentials = DEFAULT_SANDBOX_CREDENTIALS): ResolvedSandboxCredentials {
  return { ...given, aprioraApiKey: given.aprioraApiKey ?? DEFAULT_APRIORA_API_KEY };
}
