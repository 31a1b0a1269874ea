/**
 * Credentials the sandbox accepts. Widget API: `apiKey` alone, or `username` (any letter case) + `password`, or all
 * three; whatever is sent must match (`apriora help sandbox`).
 * Tracker REST v1: `POST /api/Auth/ExchangeToken` takes `restToken` (default DEFAULT_TRACKER_REST_TOKEN).
 * Apriora API: the `X-API-Key` header must equal `aprioraApiKey` (default DEFAULT_APRIORA_API_KEY).
 */
export interface SandboxCredentials {
  apiKey: string;
  username: string;
  password: string;
  /** The Apriora emulator's API key; absent = DEFAULT_APRIORA_API_KEY. */
  aprioraApiKey?: string;
  /** The Tracker REST v1 API token; absent = DEFAULT_TRACKER_REST_TOKEN. */
  restToken?: string;
}

/** What a running sandbox accepts: every credential resolved. */
export interface ResolvedSandboxCredentials extends SandboxCredentials {
  aprioraApiKey: string;
  restToken: string;
}

/** Clearly fake, so that nobody mistakes it for a customer's key. */
export const DEFAULT_APRIORA_API_KEY = 'sandbox-apriora-key-0000';

/** The Tracker REST v1 API token the sandbox accepts by default (clearly fake too). */
export const DEFAULT_TRACKER_REST_TOKEN = 'sandbox-rest-token-0000';

/** Clearly fake, so that nobody mistakes them for a customer's. */
export const DEFAULT_SANDBOX_CREDENTIALS: Readonly<ResolvedSandboxCredentials> = Object.freeze({
  apiKey: 'sandbox-api-key-0000',
  username: 'api.user@sandbox.example',
  password: 'sandbox-password',
  aprioraApiKey: DEFAULT_APRIORA_API_KEY,
  restToken: DEFAULT_TRACKER_REST_TOKEN,
});

export function resolveSandboxCredentials(given: SandboxCredentials = DEFAULT_SANDBOX_CREDENTIALS): ResolvedSandboxCredentials {
  return { ...given, aprioraApiKey: given.aprioraApiKey ?? DEFAULT_APRIORA_API_KEY, restToken: given.restToken ?? DEFAULT_TRACKER_REST_TOKEN };
}
