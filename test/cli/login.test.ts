import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aprioraLogin, expectEnvelope, expectNoSecrets, sandboxSecrets, trackerLogin, useSandbox } from '../support/cli.js';

const t = useSandbox();

const templateReads = () => t.sandbox.requests.filter((request) => request.op === 'GET /templates');

describe('apriora login', () => {
  it('a good key is verified (GET /templates) and stored in the credentials file, not in config.json', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const result = await aprioraLogin(t.cli, t.sandbox, ['--modality', 'phone', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({
      profile: 'default',
      host: t.sandbox.aprioraUrl,
      credentialStore: 'file',
      defaultModality: 'phone',
    });
    expect(templateReads()).toHaveLength(1);
    expect(templateReads()[0]!.headers['x-api-key']).toBe('***');

    const config = readFileSync(join(t.cli.configDir, 'config.json'), 'utf8');
    expect(config).not.toContain(t.sandbox.credentials.aprioraApiKey);
    expect(JSON.parse(config).profiles.default.apriora).toEqual({ baseUrl: t.sandbox.aprioraUrl, defaultModality: 'phone' });
    expect(t.cli.storedSecrets()!['default/apriora.apiKey']).toBe(t.sandbox.credentials.aprioraApiKey);
    expectNoSecrets(sandboxSecrets(t.sandbox), [result]);
  });

  it('prints what it did in table mode; a later login keeps the modality', async () => {
    const first = await aprioraLogin(t.cli, t.sandbox, ['--modality', 'video']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n')).toEqual([
      `✓ Logged in to Apriora at ${t.sandbox.aprioraUrl} (profile "default")`,
      `✓ API key saved in the credentials file ${join(t.cli.configDir, 'credentials.json')}`,
      '✓ Interviews default to video',
      '',
    ]);
    expectNoSecrets(sandboxSecrets(t.sandbox), [first]);
    const again = await aprioraLogin(t.cli, t.sandbox, ['--json']);
    expect(again.json().data.defaultModality).toBe('video');
    expect(t.cli.config().profiles.default.apriora.defaultModality).toBe('video');
  });

  it('APRIORA_API_KEY is used when nothing is piped', async () => {
    const result = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl, '--json'], { env: { APRIORA_API_KEY: t.sandbox.credentials.aprioraApiKey } });
    expect(result.code, result.stderr).toBe(0);
    expect(t.cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': t.sandbox.credentials.aprioraApiKey });
  });

  it('a rejected key is exit 4 and stores nothing; a profile that exists stays as it was', async () => {
    const json = await aprioraLogin(t.cli, t.sandbox, ['--json'], 'not-the-apriora-key');
    expect(json.code).toBe(4);
    expect(expectEnvelope(json, false).error.code).toBe('apriora_unauthorized');
    expect(existsSync(join(t.cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(t.cli.configDir, 'config.json'))).toBe(false);

    // With a Tracker login in place, the profile stays as it was.
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const configBefore = readFileSync(join(t.cli.configDir, 'config.json'), 'utf8');
    const human = await aprioraLogin(t.cli, t.sandbox, ['--modality', 'video'], 'not-the-apriora-key');
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Apriora rejected the API key/m);
    expect(human.stderr).toMatch(/^Try: /m);
    expect(Object.keys(t.cli.storedSecrets()!).sort()).toEqual(['default/tracker.apiKey', 'default/tracker.password']);
    expect(readFileSync(join(t.cli.configDir, 'config.json'), 'utf8')).toBe(configBefore);
    for (const result of [json, human]) expect(result.stdout + result.stderr).not.toContain('not-the-apriora-key');
  });

  it('a base URL that is not the Apriora API is exit 2 with a hint about the path', async () => {
    const result = await t.cli.run(['login', '--base-url', t.sandbox.url, '--api-key-stdin', '--json'], { input: `${t.sandbox.credentials.aprioraApiKey}\n` });
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error).toMatchObject({
      message: `${t.sandbox.url} does not look like the Apriora API: it has no /templates endpoint`,
      hint: expect.stringContaining('/apriora/v1/api'),
    });
    expect(t.cli.storedSecrets()).toBeUndefined();
  });

  it('without a key and without a terminal it is exit 2 naming the flag and the variable; a bad modality is a usage error', async () => {
    const missing = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Error: Apriora API key is required$/m);
    expect(missing.stderr).toMatch(/Pass --api-key-stdin or set APRIORA_API_KEY/);
    const empty = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl, '--api-key-stdin', '--json'], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(expectEnvelope(empty, false).error.message).toBe('expected 1 non-empty line on standard input for --api-key-stdin');
    const modality = await aprioraLogin(t.cli, t.sandbox, ['--modality', 'carrier-pigeon', '--json']);
    expect(modality.code).toBe(2);
    expect(expectEnvelope(modality, false).error.code).toBe('usage_error');
    expect(templateReads()).toEqual([]);
  });

  it('a stop signal while it waits for the piped key is an interruption (143), not an empty input', async () => {
    const run = t.cli.start(['login', '--base-url', t.sandbox.aprioraUrl, '--api-key-stdin', '--json']);
    run.controller.abort('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'interrupted' });
    expect(templateReads()).toEqual([]);
  });
});
