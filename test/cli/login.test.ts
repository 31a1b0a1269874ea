import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AT_TERMINAL,
  aprioraLogin,
  expectEnvelope,
  expectNoSecrets,
  KEYCHAIN_STORE,
  sandboxSecrets,
  trackerLogin,
  useNoKeychain,
  useSandbox,
  withoutColour,
} from '../support/cli.js';

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
      keyKept: false,
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

  it('changing only the default modality keeps the stored key: checked, never asked for again', async () => {
    expect((await aprioraLogin(t.cli, t.sandbox, ['--modality', 'phone'])).code).toBe(0);
    const before = t.cli.storedSecrets();
    const reads = templateReads().length;
    // At a terminal, where a missing key would be asked for: nothing is asked.
    const run = t.cli.start(['login', '--modality', 'video'], AT_TERMINAL);
    const changed = await run.done;
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).not.toContain('API key');
    expect(changed.stdout.split('\n')).toEqual([
      `✓ Logged in to Apriora at ${t.sandbox.aprioraUrl} (profile "default")`,
      '✓ API key kept: the one the profile holds still works',
      '✓ Interviews default to video',
      '',
    ]);
    expect(templateReads()).toHaveLength(reads + 1); // the kept key was checked
    expect(t.cli.config().profiles.default.apriora).toEqual({ baseUrl: t.sandbox.aprioraUrl, defaultModality: 'video' });
    expect(t.cli.storedSecrets()).toEqual(before);

    const json = await t.cli.run(['login', '--modality', 'phone', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json().data).toMatchObject({ defaultModality: 'phone', keyKept: true, host: t.sandbox.aprioraUrl });

    // A kept key that Apriora no longer accepts changes nothing and says how to log in again.
    const file = join(t.cli.configDir, 'credentials.json');
    const stale = JSON.parse(readFileSync(file, 'utf8'));
    stale.secrets['default/apriora.apiKey'] = 'revoked-key';
    writeFileSync(file, JSON.stringify(stale));
    const refused = await t.cli.run(['login', '--modality', 'video', '--json']);
    expect(refused.code).toBe(4);
    expect(expectEnvelope(refused, false).error).toMatchObject({ code: 'apriora_unauthorized', hint: expect.stringContaining('apriora login') });
    expect(t.cli.config().profiles.default.apriora.defaultModality).toBe('phone');
    expect(refused.stdout + refused.stderr).not.toContain('revoked-key');
    expectNoSecrets(sandboxSecrets(t.sandbox), [changed, json, refused]);
  });

  it('the stored key is never sent to an Apriora host other than the one it was saved for (APRIORA_BASE_URL)', async () => {
    expect((await aprioraLogin(t.cli, t.sandbox)).code).toBe(0);
    const elsewhere = await t.cli.run(['interview', 'list', '--json'], { env: { APRIORA_BASE_URL: 'http://127.0.0.1:1/v1/api' } });
    expect(elsewhere.code, elsewhere.stdout).toBe(4);
    expect(elsewhere.json().error.code).toBe('not_logged_in');
  });

  it('APRIORA_API_KEY is used when nothing is piped', async () => {
    const result = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl, '--json'], { env: { APRIORA_API_KEY: t.sandbox.credentials.aprioraApiKey } });
    expect(result.code, result.stderr).toBe(0);
    expect(t.cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': t.sandbox.credentials.aprioraApiKey });
  });

  it("--sandbox on a profile whose Tracker is a local sandbox on another port uses that sandbox's Apriora, not 4010", async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    expect(new URL(t.sandbox.trackerUrl).port).not.toBe('4010');
    const result = await t.cli.run(['login', '--sandbox', '--json'], { env: { APRIORA_API_KEY: t.sandbox.credentials.aprioraApiKey } });
    expect(result.code, result.stderr).toBe(0);
    const derived = `${new URL(t.sandbox.trackerUrl).origin}/apriora/v1/api`;
    expect(result.json().data.host).toBe(derived);
    expect(t.cli.config().profiles.default.apriora.baseUrl).toBe(derived);
    expect(templateReads()).toHaveLength(1);
  });

  it('the help of --sandbox says what it does to the hosts', async () => {
    for (const args of [['login'], ['tracker', 'login'], ['onboard']]) {
      const help = await t.cli.run([...args, '--help']);
      expect(withoutColour(help.stdout).replace(/\s+/g, ' '), args.join(' ')).toMatch(
        /--sandbox the local sandbox: its (Apriora )?URLs? by default \(.*http:\/\/127\.0\.0\.1:4010.*\), and mark the profile as a sandbox: writes need no confirmation/,
      );
    }
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

describe('apriora login without an OS keychain', () => {
  useNoKeychain();

  it('says so before it asks for the key (exit 4, the ways on), offers the file at a terminal; --insecure-storage needs none', async () => {
    const script = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl, '--api-key-stdin', '--json'], {
      input: `${t.sandbox.credentials.aprioraApiKey}\n`,
      env: KEYCHAIN_STORE,
    });
    expect(script.code).toBe(4);
    expect(expectEnvelope(script, false).error).toMatchObject({
      code: 'keychain_unavailable',
      message: expect.stringMatching(/^No OS keychain to keep the Apriora API key in \(.+\); nothing was asked for or stored\.$/),
      hint: expect.stringMatching(/--insecure-storage .* or, in CI, skip the login and set APRIORA_API_KEY\.$/),
    });

    const run = t.cli.start(['login', '--base-url', t.sandbox.aprioraUrl], { ...AT_TERMINAL, env: { ...AT_TERMINAL.env, ...KEYCHAIN_STORE } });
    await run.answer('Store the Apriora API key in a plain file readable only by you (0600) instead?', 'n\r');
    const declined = await run.done;
    expect(declined.code).toBe(4);
    expect(declined.stderr).not.toContain('Apriora API key:');
    expect(withoutColour(declined.stderr)).not.toMatch(/\? Apriora API key/);
    expect(templateReads()).toEqual([]);
    expect(t.cli.config()).toBeUndefined();

    const insecure = await t.cli.run(['login', '--base-url', t.sandbox.aprioraUrl, '--api-key-stdin', '--insecure-storage', '--json'], {
      input: `${t.sandbox.credentials.aprioraApiKey}\n`,
      env: KEYCHAIN_STORE,
    });
    expect(insecure.code, insecure.stdout).toBe(0);
    expect(insecure.json().data.credentialStore).toBe('file');
    expect(t.cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': t.sandbox.credentials.aprioraApiKey });
    expectNoSecrets(sandboxSecrets(t.sandbox), [script, declined, insecure]);
  });
});

describe('apriora login: the base URL', () => {
  it('a TLS handshake that fails is one line naming the host and the reason: exit 5, no stack, no retry', async () => {
    const host = new URL(t.sandbox.aprioraUrl).host;
    const https = t.sandbox.aprioraUrl.replace('http://', 'https://');
    const human = await t.cli.run(['login', '--base-url', https, '--api-key-stdin', '--debug'], { input: 'any-key\n' });
    expect(human.code).toBe(5);
    const errorLines = human.stderr.split('\n').filter((line) => !line.includes('[debug]') && line !== '');
    expect(errorLines).toEqual([
      `Error: TLS handshake with ${host} failed: wrong version number (the server does not speak TLS: an http:// URL?)`,
      'Try: Check the URL: https:// for a TLS server, http:// for a plain one (the local sandbox is http://).',
    ]);
    expect(human.stderr).not.toMatch(/SSL routines|openssl|\n\s+at /);
    expect(human.stderr.match(/\[debug\] -> GET/g)).toHaveLength(1);
    const json = await t.cli.run(['login', '--base-url', https, '--api-key-stdin', '--json'], { input: 'any-key\n' });
    expect(json.code).toBe(5);
    expect(expectEnvelope(json, false).error).toMatchObject({ code: 'tls_error', details: { errno: expect.any(String), attempts: 1 } });
    expect(t.cli.storedSecrets()).toBeUndefined();
  });

  it('a user name or password in --base-url or APRIORA_BASE_URL is exit 2 and never echoed', async () => {
    const flag = await t.cli.run(['login', '--base-url', 'https://me:s3cr3t-pw@api.apriora.ai/v1/api', '--api-key-stdin', '--json'], { input: 'k\n' });
    expect(flag.code).toBe(2);
    expect(expectEnvelope(flag, false).error).toMatchObject({
      code: 'credentials_in_url',
      message: '--base-url must not hold a user name or password: "https://***@api.apriora.ai/v1/api"',
    });
    const env = await t.cli.run(['login', '--api-key-stdin'], { input: 'k\n', env: { APRIORA_BASE_URL: 'https://me@api.apriora.ai/v1/api' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^Error: APRIORA_BASE_URL must not hold a user name or password: "https:\/\/\*\*\*@api\.apriora\.ai\/v1\/api"$/m);
    const status = await t.cli.run(['status', '--json'], { env: { APRIORA_BASE_URL: 'https://me:s3cr3t-pw@api.apriora.ai/v1/api' } });
    expect(status.code).toBe(2);
    for (const result of [flag, env, status]) expect(result.stdout + result.stderr).not.toContain('s3cr3t');
    expect(templateReads()).toEqual([]);
  });
});

describe('a secret given as a flag value', () => {
  it('is exit 2 naming the safe ways, never echoed, and nothing is stored or sent', async () => {
    const cases: [string[], RegExp][] = [
      [['login', '--api-key', 'sk-leak-1'], /--api-key-stdin .*APRIORA_API_KEY/],
      [['tracker', 'login', '--api-key=sk-leak-2'], /--api-key-stdin, or set TRACKER_API_KEY/],
      [['tracker', 'login', '--password', 'sk-leak-3'], /--password-stdin, or set TRACKER_PASSWORD/],
      [['tracker', 'login', '--rest-token', 'sk-leak-4'], /--rest-token-stdin, or set TRACKER_REST_TOKEN/],
      [['activity', 'listen', '--secret', 'sk-leak-5'], /--secret-stdin, or set APRIORA_WEBHOOK_SECRET/],
      // Commands without a --…-stdin flag: only the environment, never a flag they do not have.
      [['onboard', '--password', 'sk-leak-9'], /^set TRACKER_PASSWORD in the environment$/],
      [['doctor', '--password=sk-leak-10'], /^set TRACKER_PASSWORD in the environment$/],
      [['smoke', '--api-key', 'sk-leak-11'], /^set TRACKER_API_KEY or APRIORA_API_KEY in the environment$/],
      [['tracker', 'jobs', 'list', '--api-key', 'sk-leak-12'], /^set TRACKER_API_KEY in the environment$/],
    ];
    const before = t.sandbox.requests.length;
    for (const [args, safe] of cases) {
      const human = await t.cli.run(args);
      expect(human.code).toBe(2);
      expect(human.stderr).toMatch(/takes no value on the command line/);
      expect(
        human.stderr
          .split('\n')
          .find((line) => line.startsWith('Try: '))
          ?.slice(5),
      ).toMatch(safe);
      const json = await t.cli.run([...args, '--json']);
      expect(json.code).toBe(2);
      expect(json.json().error).toMatchObject({ code: 'usage_error', hint: expect.stringMatching(safe) });
      for (const output of [human.stdout, human.stderr, json.stdout, json.stderr]) expect(output).not.toMatch(/sk-leak/);
    }
    // Misspelled, or given to a flag that takes none: an unknown option, echoed without its value.
    for (const args of [
      ['login', '--apikey=sk-leak-6'],
      ['login', '--api-key-stdin=sk-leak-7'],
      ['login', '-ksk-leak-8'],
    ]) {
      const result = await t.cli.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Error: unknown option '-/);
      expect(result.stdout + result.stderr).not.toMatch(/sk-leak/);
    }
    expect(t.sandbox.requests.length).toBe(before);
    expect(t.cli.storedSecrets()).toBeUndefined();
  });
});
