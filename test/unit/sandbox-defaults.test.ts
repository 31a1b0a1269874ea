import { describe, expect, it } from 'vitest';
import { LOCAL_SANDBOX_APRIORA_URL, LOCAL_SANDBOX_HOST, LOCAL_SANDBOX_PORT, LOCAL_SANDBOX_URL, sandboxAprioraUrl } from '../../src/cli/local-sandbox.js';
import { APRIORA_API_PREFIX, SANDBOX_DEFAULT_ADDRESS } from '../../src/sandbox/index.js';

describe('sandbox default address', () => {
  it('is 127.0.0.1:4010', () => {
    expect(SANDBOX_DEFAULT_ADDRESS).toEqual({ host: '127.0.0.1', port: 4010, url: 'http://127.0.0.1:4010' });
  });

  it('is what `sandbox start` listens on, `sandbox complete` talks to and `login --sandbox` points at', async () => {
    expect({ host: LOCAL_SANDBOX_HOST, port: LOCAL_SANDBOX_PORT, url: LOCAL_SANDBOX_URL }).toEqual(SANDBOX_DEFAULT_ADDRESS);
    expect(LOCAL_SANDBOX_APRIORA_URL).toBe(`${SANDBOX_DEFAULT_ADDRESS.url}${APRIORA_API_PREFIX}`);
    const option = async (file: string, flag: string) =>
      ((await import(file)).default.command() as { options: { long?: string; defaultValue: unknown }[] }).options.find((o) => o.long === flag)?.defaultValue;
    expect(await option('../../src/commands/sandbox/start.js', '--host')).toBe(SANDBOX_DEFAULT_ADDRESS.host);
    expect(await option('../../src/commands/sandbox/start.js', '--port')).toBe(SANDBOX_DEFAULT_ADDRESS.port);
    // sandbox complete / apply: the default address unless the profile is a sandbox profile with a Tracker URL of its own.
    const { sandboxAdmin } = await import('../../src/cli/sandbox-admin.js');
    const ctx = (profile: unknown) =>
      ({ profileName: 'default', factory: { profile: async () => profile, http: async () => ({ addSecret() {} }) } }) as unknown as Parameters<
        typeof sandboxAdmin
      >[0];
    expect((await sandboxAdmin(ctx(undefined), undefined)).url).toBe(SANDBOX_DEFAULT_ADDRESS.url);
    expect((await sandboxAdmin(ctx({ tracker: { baseUrl: 'https://evoapius.tracker-rms.com' } }), undefined)).url).toBe(SANDBOX_DEFAULT_ADDRESS.url);
    expect((await sandboxAdmin(ctx({ sandbox: true, tracker: { baseUrl: 'http://127.0.0.1:4999' } }), undefined)).url).toBe('http://127.0.0.1:4999');
  });

  it('--sandbox takes Apriora from a Tracker URL on this machine (its origin), else from the default sandbox', () => {
    expect(sandboxAprioraUrl(undefined)).toBe(LOCAL_SANDBOX_APRIORA_URL);
    expect(sandboxAprioraUrl('http://127.0.0.1:4061')).toBe('http://127.0.0.1:4061/apriora/v1/api');
    expect(sandboxAprioraUrl('http://localhost:4061/some/path')).toBe('http://localhost:4061/apriora/v1/api');
    expect(sandboxAprioraUrl('http://[::1]:4062')).toBe('http://[::1]:4062/apriora/v1/api');
    expect(sandboxAprioraUrl('https://evoapius.tracker-rms.com')).toBe(LOCAL_SANDBOX_APRIORA_URL);
    expect(sandboxAprioraUrl('http://10.0.0.5:4010')).toBe(LOCAL_SANDBOX_APRIORA_URL);
  });
});
