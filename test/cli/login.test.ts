import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { aprioraLogin, expectEnvelope, expectNoSecrets, sandboxSecrets, startTestSandbox, TestCli, trackerLogin } from '../support/cli.js';

let sandbox: RunningSandbox;
let cli: TestCli;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  cli = new TestCli();
});
afterEach(() => cli.cleanup());

const templateReads = () => sandbox.requests.filter((request) => request.op === 'GET /templates');

describe('apriora login', () => {
  it('a good key is verified (GET /templates) and stored in the credentials file, not in config.json', async () => {
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    const result = await aprioraLogin(cli, sandbox, ['--modality', 'phone', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({
      profile: 'default',
      host: sandbox.aprioraUrl,
      credentialStore: 'file',
      defaultModality: 'phone',
    });
    expect(templateReads()).toHaveLength(1);
    expect(templateReads()[0]!.headers['x-api-key']).toBe('***');

    const config = readFileSync(join(cli.configDir, 'config.json'), 'utf8');
    expect(config).not.toContain(sandbox.credentials.aprioraApiKey);
    expect(JSON.parse(config).profiles.default.apriora).toEqual({ baseUrl: sandbox.aprioraUrl, defaultModality: 'phone' });
    expect(cli.storedSecrets()!['default/apriora.apiKey']).toBe(sandbox.credentials.aprioraApiKey);
    expectNoSecrets(sandboxSecrets(sandbox), [result]);
  });

  it('prints what it did in table mode; a later login keeps the modality', async () => {
    const first = await aprioraLogin(cli, sandbox, ['--modality', 'video']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n')).toEqual([
      `✓ Logged in to Apriora at ${sandbox.aprioraUrl} (profile "default")`,
      `✓ API key saved in the credentials file ${join(cli.configDir, 'credentials.json')}`,
      '✓ Interviews default to video',
      '',
    ]);
    expectNoSecrets(sandboxSecrets(sandbox), [first]);
    const again = await aprioraLogin(cli, sandbox, ['--json']);
    expect(again.json().data.defaultModality).toBe('video');
    expect(cli.config().profiles.default.apriora.defaultModality).toBe('video');
  });

  it('APRIORA_API_KEY is used when nothing is piped', async () => {
    const result = await cli.run(['login', '--base-url', sandbox.aprioraUrl, '--json'], { env: { APRIORA_API_KEY: sandbox.credentials.aprioraApiKey } });
    expect(result.code, result.stderr).toBe(0);
    expect(cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': sandbox.credentials.aprioraApiKey });
  });

  it('a rejected key is exit 4 and stores nothing; a profile that exists stays as it was', async () => {
    const json = await aprioraLogin(cli, sandbox, ['--json'], 'not-the-apriora-key');
    expect(json.code).toBe(4);
    expect(expectEnvelope(json, false).error.code).toBe('apriora_unauthorized');
    expect(existsSync(join(cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(cli.configDir, 'config.json'))).toBe(false);

    // With a Tracker login in place, the profile stays as it was.
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    const configBefore = readFileSync(join(cli.configDir, 'config.json'), 'utf8');
    const human = await aprioraLogin(cli, sandbox, ['--modality', 'video'], 'not-the-apriora-key');
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Apriora rejected the API key/m);
    expect(human.stderr).toMatch(/^Try: /m);
    expect(Object.keys(cli.storedSecrets()!).sort()).toEqual(['default/tracker.apiKey', 'default/tracker.password']);
    expect(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).toBe(configBefore);
    for (const result of [json, human]) expect(result.stdout + result.stderr).not.toContain('not-the-apriora-key');
  });

  it('a base URL that is not the Apriora API is exit 2 with a hint about the path', async () => {
    const result = await cli.run(['login', '--base-url', sandbox.url, '--api-key-stdin', '--json'], { input: `${sandbox.credentials.aprioraApiKey}\n` });
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error).toMatchObject({
      message: `${sandbox.url} does not look like the Apriora API: it has no /templates endpoint`,
      hint: expect.stringContaining('/apriora/v1/api'),
    });
    expect(cli.storedSecrets()).toBeUndefined();
  });

  it('without a key and without a terminal it is exit 2 naming the flag and the variable; a bad modality is a usage error', async () => {
    const missing = await cli.run(['login', '--base-url', sandbox.aprioraUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Error: Apriora API key is required$/m);
    expect(missing.stderr).toMatch(/Pass --api-key-stdin or set APRIORA_API_KEY/);
    const empty = await cli.run(['login', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--json'], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(expectEnvelope(empty, false).error.message).toBe('expected 1 non-empty line on standard input for --api-key-stdin');
    const modality = await aprioraLogin(cli, sandbox, ['--modality', 'carrier-pigeon', '--json']);
    expect(modality.code).toBe(2);
    expect(expectEnvelope(modality, false).error.code).toBe('usage_error');
    expect(templateReads()).toEqual([]);
  });

  it('a stop signal while it waits for the piped key is an interruption (143), not an empty input', async () => {
    const run = cli.start(['login', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--json']);
    run.controller.abort('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'interrupted' });
    expect(templateReads()).toEqual([]);
  });
});
