/** Widget API credentials the sandbox accepts: all three must match exactly (spec §2). */
export interface SandboxCredentials {
  apiKey: string;
  username: string;
  password: string;
}

/** Clearly fake, so that nobody mistakes them for a customer's. */
export const DEFAULT_SANDBOX_CREDENTIALS: Readonly<SandboxCredentials> = Object.freeze({
  apiKey: 'sandbox-api-key-0000',
  username: 'api.user@sandbox.example',
  password: 'sandbox-password',
});
