import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restJwtCachePath } from '../../../src/store/rest-token-cache.js';
import { restJwtKey } from '../../../src/tracker/rest-auth.js';
import {
  AT_TERMINAL,
  expectEnvelope,
  expectNoSecrets,
  KEYCHAIN_STORE,
  logIn,
  refusedUrl,
  sandboxSecrets,
  trackerLogin,
  useNoKeychain,
  useSandbox,
  withoutColour,
} from '../../support/cli.js';
import { useRestStub } from '../../support/rest-stub.js';

const t = useSandbox();
const rest = useRestStub();

const checkLogons = () => t.sandbox.requests.filter((request) => request.op === 'checkLogon');
const REST_QUESTION = 'REST API token (optional; needed to read applicants — Enter to skip)';

describe('apriora tracker login', () => {
  it('verifies good credentials with checkLogon, stores them in the 0600 file (never in config.json), and says so', async () => {
    const result = await trackerLogin(t.cli, t.sandbox, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({
      profile: 'default',
      host: t.sandbox.trackerUrl,
      region: null,
      username: t.sandbox.credentials.username,
      credentialStore: 'file',
      sandbox: true,
      restHost: `${t.sandbox.trackerUrl}/tracker-rest`,
      restToken: false,
      reusedCredentials: false,
      country: 'US',
      removedSecrets: [],
    });

    // checkLogon went out once, with the exact envelope and credentials (the sandbox log masks them; status 0 proves them)
    const [logon, ...more] = checkLogons();
    expect(more).toEqual([]);
    expect(logon).toMatchObject({ api: 'tracker', method: 'POST', path: '/api/widget/checkLogon', httpStatus: 200, appStatus: 0 });
    expect(logon?.body).toEqual({
      trackerrms: { checkLogon: { credentials: { username: '***', password: '***', apikey: '***', oauthtoken: '' } } },
    });

    const configText = readFileSync(join(t.cli.configDir, 'config.json'), 'utf8');
    for (const secret of sandboxSecrets(t.sandbox)) expect(configText).not.toContain(secret);
    expect(t.cli.config().profiles.default).toEqual({
      sandbox: true,
      credentialStore: 'file',
      tracker: { baseUrl: t.sandbox.trackerUrl, username: t.sandbox.credentials.username },
    });
    expect(t.cli.storedSecrets()).toEqual({
      'default/tracker.apiKey': t.sandbox.credentials.apiKey,
      'default/tracker.password': t.sandbox.credentials.password,
    });
    expect(statSync(join(t.cli.configDir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(t.cli.configDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(t.cli.configDir, 'config.json')).mode & 0o777).toBe(0o600);
    expectNoSecrets(sandboxSecrets(t.sandbox), [result]);
  });

  it('prints what it did in table mode', async () => {
    const result = await trackerLogin(t.cli, t.sandbox);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `✓ Logged in to Tracker at ${t.sandbox.trackerUrl} as ${t.sandbox.credentials.username} (profile "default")`,
      `✓ API Key and API Password saved in the credentials file ${join(t.cli.configDir, 'credentials.json')}`,
      '',
    ]);
    expect(result.stderr).toBe('');
    expectNoSecrets(sandboxSecrets(t.sandbox), [result]);
  });

  it('--profile, --rate-limit and --rate-burst are saved on that profile only', async () => {
    const result = await trackerLogin(t.cli, t.sandbox, ['--profile', 'acme', '--rate-limit', '30', '--rate-burst', '4', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.profile).toBe('acme');
    const config = t.cli.config();
    expect(Object.keys(config.profiles)).toEqual(['acme']);
    expect(config.profiles.acme.tracker.rateLimitPerMinute).toBe(30);
    expect(config.profiles.acme.tracker.rateBurst).toBe(4);
    expect(Object.keys(t.cli.storedSecrets()!).sort()).toEqual(['acme/tracker.apiKey', 'acme/tracker.password']);
    const status = await t.cli.run(['tracker', 'status', '--profile', 'acme', '--json']);
    expect(status.json().data.pace).toEqual({ perMinute: 30, burst: 4 });

    // A burst above the limit is refused before anything is asked or sent; a lower limit drops a burst that no longer fits.
    const tooMany = await trackerLogin(t.cli, t.sandbox, ['--profile', 'acme', '--rate-burst', '31', '--json']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.json().error.message).toMatch(/--rate-burst 31 is more than the rate limit/);
    expect(t.cli.config().profiles.acme.tracker.rateBurst).toBe(4);
    const lower = await trackerLogin(t.cli, t.sandbox, ['--profile', 'acme', '--rate-limit', '3', '--json']);
    expect(lower.code, lower.stderr).toBe(0);
    expect(t.cli.config().profiles.acme.tracker).toMatchObject({ rateLimitPerMinute: 3 });
    expect(t.cli.config().profiles.acme.tracker.rateBurst).toBeUndefined();
    const after = await t.cli.run(['tracker', 'status', '--profile', 'acme', '--json']);
    expect(after.json().data.pace).toEqual({ perMinute: 3, burst: 1 });
  });

  it('takes the secrets from TRACKER_API_KEY and TRACKER_PASSWORD when nothing is piped', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const result = await t.cli.run(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--json'], {
      env: { TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ username, sandbox: false, credentialStore: 'file' });
    expect(t.cli.storedSecrets()).toEqual({ 'default/tracker.apiKey': apiKey, 'default/tracker.password': password });
  });

  it('at a terminal it asks for what is missing, the secrets masked', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const run = t.cli.start(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--json'], AT_TERMINAL);
    await run.answer('API Username (e-mail)', `${username}\r`);
    await run.answer('API Key', `${apiKey}\r`);
    await run.answer('API Password', `${password}\r`);
    await run.answer(REST_QUESTION, '\r'); // skipped
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(expectEnvelope(result, true).data).toMatchObject({ username, sandbox: false, restToken: false });
    expect(t.cli.storedSecrets()).toEqual({ 'default/tracker.apiKey': apiKey, 'default/tracker.password': password });
    expect(withoutColour(result.stderr)).toContain(`✔ API Key ${'*'.repeat(apiKey.length)}`);
    expectNoSecrets([apiKey, password], [result]);
  });

  it('at a terminal, CI and --no-input still turn the prompts off (exit 2); Ctrl-C at a prompt is exit 130', async () => {
    const args = ['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', 'x@y.z', '--json'];
    const ci = await t.cli.run(args, { ...AT_TERMINAL, env: { CI: '1' } });
    expect(ci.code).toBe(2);
    expect(expectEnvelope(ci, false).error.code).toBe('missing_value');
    const noInput = await t.cli.run([...args, '--no-input'], AT_TERMINAL);
    expect(noInput.code).toBe(2);
    expect(noInput.json().error.hint).toBe('Pass --api-key-stdin or set TRACKER_API_KEY (prompts are off: no terminal, CI, or --no-input).');

    const run = t.cli.start(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', 'x@y.z'], AT_TERMINAL);
    await run.until((_stdout, stderr) => stderr.includes('API Key'));
    run.controller.abort('SIGINT');
    const cancelled = await run.done;
    expect(cancelled.code).toBe(130);
    expect(cancelled.stderr).toMatch(/Error: Interrupted\n$/);
    expect(checkLogons()).toEqual([]);
    expect(t.cli.config()).toBeUndefined();
  });

  it('rejected credentials exit 4 and store nothing', async () => {
    const result = await trackerLogin(t.cli, t.sandbox, ['--json'], 'wrong-key\nwrong-password\n');
    expect(result.code).toBe(4);
    expect(expectEnvelope(result, false).error.code).toBe('tracker_user_not_found');
    expect(existsSync(join(t.cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(t.cli.configDir, 'config.json'))).toBe(false);

    const human = await trackerLogin(t.cli, t.sandbox, [], 'wrong-key\nwrong-password\n');
    expect(human.code).toBe(4);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^Error: Tracker rejected the credentials/m);
    expect(human.stderr).toMatch(/^Try: /m);
    for (const output of [result.stdout, human.stderr]) expect(output).not.toContain('wrong-password');
  });

  it('without a terminal, a missing value is exit 2 naming the flag and env var', async () => {
    const result = await t.cli.run(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', 'x@y.z']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/API Key is required/);
    expect(result.stderr).toMatch(/--api-key-stdin or set TRACKER_API_KEY/);

    const json = await t.cli.run(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--api-key-stdin', '--password-stdin', '--json'], {
      input: 'key\npassword\n',
    });
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error).toMatchObject({ code: 'missing_value', hint: expect.stringContaining('--username or set TRACKER_USERNAME') });
    expect(checkLogons()).toEqual([]);
  });

  it('--api-key-stdin and --password-stdin need two non-empty lines, and no terminal on stdin: exit 2', async () => {
    const { username } = t.sandbox.credentials;
    const args = ['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin'];
    const oneLine = await t.cli.run(args, { input: `${t.sandbox.credentials.apiKey}\n` });
    expect(oneLine.code).toBe(2);
    expect(oneLine.stderr).toMatch(/^Error: expected 2 non-empty lines on standard input for --api-key-stdin and --password-stdin/m);
    expect(oneLine.stderr).toMatch(/^Try: Give the API Key on the first line and the API Password on the second\./m);

    const terminal = await t.cli.run([...args, '--json'], { tty: { stdin: true } });
    expect(terminal.code).toBe(2);
    expect(expectEnvelope(terminal, false).error.message).toBe('--api-key-stdin and --password-stdin read from standard input, but it is a terminal');
    expect(checkLogons()).toEqual([]);
    expect(existsSync(join(t.cli.configDir, 'config.json'))).toBe(false);
  });

  it('bad flag values are usage errors (exit 2) before anything is sent', async () => {
    for (const extra of [
      ['--region', 'eu'],
      ['--rate-limit', '0'],
      ['--rate-burst', '0'],
      ['--base-url', 'not a url'],
    ]) {
      const result = await t.cli.run(['tracker', 'login', ...extra, '--username', 'x@y.z', '--api-key-stdin', '--password-stdin', '--json'], {
        input: 'key\npassword\n',
      });
      expect(result.code, extra.join(' ')).toBe(2);
      expectEnvelope(result, false);
    }
    expect(checkLogons()).toEqual([]);
  });

  it('an invalid profile name is exit 2 before anything is stored', async () => {
    const result = await trackerLogin(t.cli, t.sandbox, ['--profile', 'bad name']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid profile name "bad name"/);
    expect(existsSync(join(t.cli.configDir, 'credentials.json'))).toBe(false);
    expect(checkLogons()).toEqual([]);
  });
});

describe('apriora tracker login to another host', () => {
  it('never sends the stored secrets to it: they are asked for, naming the host they were saved for', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const elsewhere = await refusedUrl();
    for (const args of [
      ['tracker', 'login', '--base-url', elsewhere],
      ['tracker', 'login', '--region', 'ca'],
      ['tracker', 'login', '--base-url', elsewhere, '--rest-token-stdin'],
    ]) {
      const result = await t.cli.run([...args, '--no-input', '--json'], { input: 'a-rest-token\n' });
      // Exit 2 before any request: not 5, which a request to a host that refuses connections would give.
      expect(result.code, result.stdout).toBe(2);
      expect(result.json().error).toMatchObject({
        code: 'missing_value',
        message: expect.stringContaining(`(the profile's saved one is for ${t.sandbox.trackerUrl})`),
      });
    }
    // The profile still points at its own host, with its secrets.
    expect(t.cli.config().profiles.default.tracker.baseUrl).toBe(t.sandbox.trackerUrl);
    expect((await t.cli.run(['tracker', 'status'])).code).toBe(0);
  });
});

describe('apriora tracker login without an OS keychain (a server, a container, CI, WSL)', () => {
  useNoKeychain();
  const QUESTION = 'Store the Tracker API Key and Password in a plain file readable only by you (0600) instead?';
  const atTerminal = { ...AT_TERMINAL, env: { ...AT_TERMINAL.env, ...KEYCHAIN_STORE } };

  it('at a terminal it says so before asking for anything; "no" is exit 4 saying how to go on, nothing asked, sent or stored', async () => {
    const run = t.cli.start(['tracker', 'login', '--base-url', t.sandbox.trackerUrl], atTerminal);
    await run.answer(QUESTION, 'n\r');
    const result = await run.done;
    expect(result.code).toBe(4);
    // The keychain warning and the offer come first; no value was asked for.
    expect(result.stderr).toContain(': no OS keychain to keep the Tracker API Key and Password in (');
    expect(result.stderr).not.toMatch(/API Username|\? API Key|API Password/);
    expect(result.stderr).toMatch(/Error: No OS keychain to keep the Tracker API Key and Password in \(.+\); nothing was asked for or stored\.$/m);
    expect(result.stderr).toContain(
      `Try: Run the login again with --insecure-storage to use a 0600 file (${join(t.cli.configDir, 'credentials.json')}) instead, or, in CI, skip the login and set TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD (and TRACKER_BASE_URL or TRACKER_REGION); \`apriora tracker login --env-secrets\` checks them and saves the profile without storing them (apriora help ci).`,
    );
    expect(checkLogons()).toEqual([]);
    expect(t.cli.config()).toBeUndefined();
    expect(t.cli.storedSecrets()).toBeUndefined();
  });

  it('at a terminal, "yes" to the file: then the usual prompts, and the secrets go to the 0600 file', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const run = t.cli.start(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--json'], atTerminal);
    await run.answer(QUESTION, 'y\r');
    await run.answer('API Username (e-mail)', `${username}\r`);
    await run.answer('API Key', `${apiKey}\r`);
    await run.answer('API Password', `${password}\r`);
    await run.answer(REST_QUESTION, '\r');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.indexOf(QUESTION)).toBeLessThan(result.stderr.indexOf('API Username'));
    expect(expectEnvelope(result, true).data.credentialStore).toBe('file');
    expect(t.cli.config().profiles.default.credentialStore).toBe('file');
    expect(t.cli.storedSecrets()).toEqual({ 'default/tracker.apiKey': apiKey, 'default/tracker.password': password });
    expectNoSecrets([apiKey, password], [result]);
  });

  it('from a script: exit 4 at once, before stdin is read or Tracker asked; with --yes at a terminal too', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const args = ['--profile', 'ci', 'tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin'];
    const script = await t.cli.run([...args, '--json'], { input: `${apiKey}\n${password}\n`, env: KEYCHAIN_STORE });
    expect(script.code).toBe(4);
    expect(expectEnvelope(script, false).error).toMatchObject({
      code: 'keychain_unavailable',
      message: expect.stringMatching(/^No OS keychain to keep the Tracker API Key and Password in/),
      hint: expect.stringContaining('--insecure-storage'),
    });
    const missing = await t.cli.run(['tracker', 'login', '--base-url', t.sandbox.trackerUrl], { env: KEYCHAIN_STORE });
    expect(missing.code, 'the keychain is checked before a missing value is reported').toBe(4);
    const badFlag = await t.cli.run(['tracker', 'login', '--base-url', 'ftp://example.com'], { env: KEYCHAIN_STORE });
    expect(badFlag.code, 'a bad flag is reported before the keychain').toBe(2);
    const yes = await t.cli.run(['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--yes'], atTerminal);
    expect(yes.code).toBe(4);
    expect(yes.stderr).not.toContain(QUESTION);
    expect(checkLogons()).toEqual([]);
    expect(t.cli.config()).toBeUndefined();
    expectNoSecrets([apiKey, password], [script]);
  });

  it('--insecure-storage, or APRIORA_CREDENTIAL_STORE=file, needs no keychain', async () => {
    const insecure = await trackerLogin(t.cli, t.sandbox, ['--insecure-storage', '--json']);
    expect(insecure.code).toBe(0);
    const { apiKey, password, username } = t.sandbox.credentials;
    const flag = await t.cli.run(
      ['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin', '--insecure-storage', '--json'],
      { input: `${apiKey}\n${password}\n`, env: KEYCHAIN_STORE },
    );
    expect(flag.code, flag.stdout).toBe(0);
    expect(flag.json().data.credentialStore).toBe('file');
    expect(t.cli.storedSecrets()).toEqual({ 'default/tracker.apiKey': apiKey, 'default/tracker.password': password });
  });

  it('--env-secrets (CI): verifies the secrets of the environment, saves the settings and the sandbox mark, stores no secret', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const env = { ...KEYCHAIN_STORE, TRACKER_BASE_URL: t.sandbox.trackerUrl, TRACKER_USERNAME: username, TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password };
    const result = await t.cli.run(['tracker', 'login', '--sandbox', '--env-secrets', '--json'], { env });
    expect(result.code, result.stdout).toBe(0);
    expect(result.json().data).toMatchObject({ username, host: t.sandbox.trackerUrl, credentialStore: 'env', sandbox: true, reusedCredentials: false });
    expect(checkLogons()).toHaveLength(1);
    expect(t.cli.storedSecrets()).toBeUndefined();
    expect(t.cli.config().profiles.default).toEqual({ sandbox: true, credentialStore: 'env', tracker: { baseUrl: t.sandbox.trackerUrl, username } });
    expectNoSecrets([apiKey, password], [result]);
    // Later commands read the secrets from the environment again.
    const status = await t.cli.run(['tracker', 'status', '--json'], { env });
    expect(status.code, status.stdout).toBe(0);
    const human = await t.cli.run(['tracker', 'login', '--sandbox', '--env-secrets'], { env });
    expect(human.stdout).toContain('✓ Nothing stored: each command reads the secrets from TRACKER_API_KEY and TRACKER_PASSWORD\n');
    // A profile saved without a store choice (set up from the environment): no keychain here, nothing to remove, no warning.
    const configFile = join(t.cli.configDir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    delete config.profiles.default.credentialStore;
    writeFileSync(configFile, JSON.stringify(config));
    const unchosen = await t.cli.run(['tracker', 'login', '--sandbox', '--env-secrets', '--json'], { env });
    expect(unchosen.code, unchosen.stdout).toBe(0);
    expect(unchosen.json()).toMatchObject({ warnings: [], data: { credentialStore: 'env', removedSecrets: [] } });

    // A variable missing, or a secret piped: exit 2 before anything is sent.
    t.sandbox.requests.length = 0;
    const missing = await t.cli.run(['tracker', 'login', '--env-secrets', '--json'], { env: { ...env, TRACKER_PASSWORD: undefined } });
    expect(missing.code).toBe(2);
    expect(missing.json().error).toMatchObject({
      code: 'missing_value',
      message: '--env-secrets reads the secrets from the environment, but TRACKER_PASSWORD is not set',
    });
    const piped = await t.cli.run(['tracker', 'login', '--env-secrets', '--api-key-stdin', '--json'], { env, input: `${apiKey}\n` });
    expect(piped.code).toBe(2);
    expect(piped.json().error.message).toBe('--env-secrets cannot be used with --api-key-stdin: it reads no secret from stdin');
    const file = await t.cli.run(['tracker', 'login', '--env-secrets', '--insecure-storage', '--json'], { env });
    expect(file.code).toBe(2);
    expect(file.json().error.message).toBe('--env-secrets cannot be used with --insecure-storage: it stores no secret');
    expect(checkLogons()).toEqual([]);

    // Secrets Tracker rejects: the fix is in the variables (the CI secrets), not another login.
    const rejected = await t.cli.run(['tracker', 'login', '--env-secrets', '--json'], { env: { ...env, TRACKER_PASSWORD: 'wrong-password' } });
    expect(rejected.code).toBe(4);
    expect(rejected.json().error.hint).toBe(
      "Check the API Key, API Username and API Password that Tracker Support issued, then correct TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD (in CI, the repository's secrets) and run again.",
    );
  });

  it('an --env-secrets profile: a REST token alone is exit 2 naming TRACKER_REST_TOKEN; doctor and status name the variables', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const env = { ...KEYCHAIN_STORE, TRACKER_BASE_URL: t.sandbox.trackerUrl, TRACKER_USERNAME: username, TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password };
    expect((await t.cli.run(['tracker', 'login', '--sandbox', '--env-secrets'], { env })).code).toBe(0);

    const token = await t.cli.run(['tracker', 'login', '--rest-token-stdin', '--json'], { env, input: `${t.sandbox.credentials.restToken}\n` });
    expect(token.code, token.stdout).toBe(2);
    expect(token.json().error).toMatchObject({
      code: 'env_profile',
      message: 'Profile "default" keeps no secrets (it was logged in with --env-secrets): --rest-token-stdin has nowhere to store the REST API token',
      hint: expect.stringMatching(/^Set TRACKER_REST_TOKEN beside TRACKER_API_KEY and TRACKER_PASSWORD, or log in again without --env-secrets/),
    });
    expect(token.stdout + token.stderr).not.toMatch(/keychain/i);

    // Doctor's fix of the missing REST token is the variable, not a login that would need a keychain.
    const doctor = await t.cli.run(['doctor', '--json'], { env });
    const rest = doctor.json().data.checks.find((check: { id: string }) => check.id === 'tracker.rest');
    expect(rest).toMatchObject({ status: 'warn', fix: expect.stringMatching(/^Set TRACKER_REST_TOKEN: profile "default" keeps no secrets/) });
    expect(rest.fix).not.toContain('--rest-token-stdin');

    // A password from the environment that Tracker rejects: correct the variable.
    const wrong = await t.cli.run(['doctor', '--json'], { env: { ...env, TRACKER_PASSWORD: 'wrong-password' } });
    expect(wrong.code).toBe(4);
    const logon = wrong.json().data.checks.find((check: { id: string }) => check.id === 'tracker.logon');
    expect(logon.fix).toMatch(/correct TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD \(in CI, the repository's secrets\) and run again/);
    expect(logon.fix).not.toContain('apriora tracker login');
    const status = await t.cli.run(['status'], { env: { ...env, TRACKER_PASSWORD: 'wrong-password' } });
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(/^Try: .*correct TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD/m);

    // Without the variables: what to set, not a login.
    const bare = await t.cli.run(['status'], { env: { ...KEYCHAIN_STORE, TRACKER_BASE_URL: t.sandbox.trackerUrl } });
    expect(bare.code).toBe(4);
    expect(bare.stderr).toMatch(/^Try: Set TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD: profile "default" keeps no secrets/m);
    expect(bare.stderr).not.toMatch(/Try: apriora tracker login|keychain/i);
  });
});

describe('apriora tracker login: a user name or password in the URL', () => {
  it('--base-url or TRACKER_BASE_URL with "user:password@" is exit 2, the password never echoed, nothing sent', async () => {
    const flag = await t.cli.run(
      [
        'tracker',
        'login',
        '--base-url',
        t.sandbox.trackerUrl.replace('http://', 'http://api.user:s3cr3t-pw@'),
        '--api-key-stdin',
        '--password-stdin',
        '--json',
      ],
      { input: 'key\npassword\n' },
    );
    expect(flag.code).toBe(2);
    expect(expectEnvelope(flag, false).error).toMatchObject({
      code: 'credentials_in_url',
      message: `--base-url must not hold a user name or password: "${t.sandbox.trackerUrl.replace('http://', 'http://***@')}"`,
    });
    const env = await t.cli.run(['tracker', 'login', '--username', 'x@y.z', '--api-key-stdin', '--password-stdin'], {
      input: 'key\npassword\n',
      env: { TRACKER_BASE_URL: 'https://:s3cr3t-pw@evoapius.tracker-rms.com' },
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^Error: TRACKER_BASE_URL must not hold a user name or password: "https:\/\/\*\*\*@evoapius\.tracker-rms\.com"$/m);
    const unparsable = await t.cli.run(['tracker', 'login', '--base-url', 'http://user:s3cr3t pw@[bad', '--json']);
    expect(unparsable.code).toBe(2);
    for (const result of [flag, env, unparsable]) expect(result.stdout + result.stderr).not.toContain('s3cr3t');
    expect(checkLogons()).toEqual([]);
  });
});

describe('apriora tracker login: the REST API token, the REST base URL and the phone country', () => {
  /** The JWT cached for the REST stub's token at the stub's URL, shared by the profiles holding that token. */
  const jwtFile = () => restJwtCachePath(t.cli.dataDir, restJwtKey(rest.stub.url, rest.stub.token));

  it('--rest-token-stdin (the third line): verified by one exchange, stored, its JWT cached for the next command', async () => {
    const { apiKey, password } = t.sandbox.credentials;
    const result = await trackerLogin(
      t.cli,
      t.sandbox,
      ['--rest-token-stdin', '--rest-base-url', `${rest.stub.url}/`, '--country', 'ie', '--json'],
      `${apiKey}\n${password}\n${rest.stub.token}\n`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ restHost: rest.stub.url, restToken: true, country: 'IE' });
    expect(rest.stub.requests).toEqual([{ path: '/api/Auth/ExchangeToken', authorization: undefined, body: { bearerToken: rest.stub.token } }]);
    expect(t.cli.storedSecrets()).toEqual({
      'default/tracker.apiKey': apiKey,
      'default/tracker.password': password,
      'default/tracker.restToken': rest.stub.token,
    });
    expect(t.cli.config().profiles.default.tracker).toMatchObject({ restBaseUrl: rest.stub.url, country: 'IE' });
    const cached = readFileSync(jwtFile(), 'utf8');
    expect(statSync(jwtFile()).mode & 0o777).toBe(0o600);
    expect(cached).toContain(rest.stub.jwts[0]);
    expect(cached).not.toContain(rest.stub.token);
    for (const text of [result.stdout, result.stderr, readFileSync(join(t.cli.configDir, 'config.json'), 'utf8')]) {
      expect(text).not.toContain(rest.stub.token);
      expect(text).not.toContain(rest.stub.jwts[0]);
    }

    // The next command reuses the cached JWT: no second exchange
    const status = await t.cli.run(['tracker', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().data.rest).toEqual({ host: rest.stub.url, hostSource: 'profile', auth: { ok: true } });
    expect(rest.stub.exchanges).toBe(1);

    const human = await trackerLogin(t.cli, t.sandbox, ['--rest-token-stdin'], `${apiKey}\n${password}\n${rest.stub.token}\n`);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.split('\n')).toEqual([
      `✓ Logged in to Tracker at ${t.sandbox.trackerUrl} as ${t.sandbox.credentials.username} (profile "default")`,
      `✓ REST API token accepted by Tracker at ${rest.stub.url}`,
      `✓ API Key, API Password and REST API token saved in the credentials file ${join(t.cli.configDir, 'credentials.json')}`,
      '',
    ]);
  });

  it('takes the REST token from TRACKER_REST_TOKEN, and the REST base URL from TRACKER_REST_BASE_URL', async () => {
    const result = await trackerLogin(t.cli, t.sandbox, ['--json'], undefined, { TRACKER_REST_TOKEN: rest.stub.token, TRACKER_REST_BASE_URL: rest.stub.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ restHost: rest.stub.url, restToken: true });
    expect(t.cli.storedSecrets()?.['default/tracker.restToken']).toBe(rest.stub.token);
    // the environment's URL is not saved in the profile
    expect(t.cli.config().profiles.default.tracker.restBaseUrl).toBeUndefined();
    expect(rest.stub.exchanges).toBe(1);
  });

  it('a REST token Tracker refuses is exit 4 and stores nothing', async () => {
    const { apiKey, password } = t.sandbox.credentials;
    const result = await trackerLogin(
      t.cli,
      t.sandbox,
      ['--rest-token-stdin', '--rest-base-url', rest.stub.url, '--json'],
      `${apiKey}\n${password}\nrevoked-token\n`,
    );
    expect(result.code).toBe(4);
    const { error } = expectEnvelope(result, false);
    expect(error.code).toBe('tracker_rest_token_rejected');
    expect(error.hint).toContain('Tools & Settings → Security Settings → API');
    expect(existsSync(join(t.cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(t.cli.configDir, 'config.json'))).toBe(false);
    expect(result.stdout + result.stderr).not.toContain('revoked-token');
  });

  it('the three lines must all be there, in order; a bad --country or --rest-base-url is exit 2 before anything is sent', async () => {
    const { apiKey, password } = t.sandbox.credentials;
    const short = await trackerLogin(t.cli, t.sandbox, ['--rest-token-stdin'], `${apiKey}\n${password}\n`);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^Try: Give one value a line, in this order: the API Key, the API Password, the REST API token\.$/m);
    const country = await trackerLogin(t.cli, t.sandbox, ['--country', 'UK', '--json']);
    expect(country.code).toBe(2);
    expect(country.json().error.message).toBe('--country takes ISO 3166 codes: the United Kingdom is GB, not UK');
    const url = await trackerLogin(t.cli, t.sandbox, ['--rest-base-url', 'ftp://x', '--json']);
    expect(url.code).toBe(2);
    expect(checkLogons()).toEqual([]);
    expect(rest.stub.requests).toEqual([]);
  });

  it('--with-rest-token asks for the token at a terminal, masked; without a terminal it is exit 2 naming the flag', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const args = [
      'tracker',
      'login',
      '--base-url',
      t.sandbox.trackerUrl,
      '--username',
      username,
      '--rest-base-url',
      rest.stub.url,
      '--with-rest-token',
      '--json',
    ];
    const run = t.cli.start(args, AT_TERMINAL);
    await run.answer('API Key', `${apiKey}\r`);
    await run.answer('API Password', `${password}\r`);
    await run.answer('REST API token', `${rest.stub.token}\r`);
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.restToken).toBe(true);
    expect(result.stderr).not.toContain(rest.stub.token);

    const script = await t.cli.run(args, { env: { TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password } });
    expect(script.code).toBe(2);
    expect(script.json().error.hint).toBe('Pass --rest-token-stdin or set TRACKER_REST_TOKEN (prompts are off: no terminal, CI, or --no-input).');
  });
  it('adds the REST token alone to a logged-in profile: the stored API Key and Password are reused and verified again', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    // a profile logged in without a REST token
    expect((await trackerLogin(t.cli, t.sandbox, ['--profile', 'acme', '--rest-base-url', rest.stub.url])).code).toBe(0);
    const before = t.cli.storedSecrets();
    t.sandbox.requests.length = 0;

    const result = await t.cli.run(['tracker', 'login', '--profile', 'acme', '--rest-token-stdin', '--json'], { input: `${rest.stub.token}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ profile: 'acme', username, restToken: true, reusedCredentials: true, restHost: rest.stub.url });
    expect(checkLogons()).toHaveLength(1); // the stored credentials were verified again
    expect(rest.stub.requests).toEqual([{ path: '/api/Auth/ExchangeToken', authorization: undefined, body: { bearerToken: rest.stub.token } }]);
    expect(t.cli.storedSecrets()).toEqual({ ...before, 'acme/tracker.restToken': rest.stub.token });
    expect(t.cli.storedSecrets()?.['acme/tracker.apiKey']).toBe(apiKey);
    expect(t.cli.storedSecrets()?.['acme/tracker.password']).toBe(password);
    expect(t.cli.config().profiles.acme.tracker).toMatchObject({ baseUrl: t.sandbox.trackerUrl, username });
    expectNoSecrets([apiKey, password, rest.stub.token, ...rest.stub.jwts], [result]);

    // replacing it, in table mode: the status shows it works
    const human = await t.cli.run(['tracker', 'login', '--profile', 'acme', '--rest-token-stdin'], { input: `${rest.stub.token}\n` });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.split('\n')).toEqual([
      `✓ Logged in to Tracker at ${t.sandbox.trackerUrl} as ${username} (profile "acme")`,
      `✓ REST API token accepted by Tracker at ${rest.stub.url}`,
      `✓ REST API token saved in the credentials file ${join(t.cli.configDir, 'credentials.json')} (the stored API Key and API Password are kept)`,
      '',
    ]);
    const status = await t.cli.run(['tracker', 'status', '--profile', 'acme', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().data.rest.auth).toEqual({ ok: true });

    // a profile with nothing stored still needs the API Key
    const empty = await t.cli.run(
      ['tracker', 'login', '--profile', 'other', '--base-url', t.sandbox.trackerUrl, '--username', username, '--rest-token-stdin'],
      {
        input: `${rest.stub.token}\n`,
      },
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/API Key is required/);
  });

  it('--with-rest-token at a terminal on a logged-in profile asks for the REST token only', async () => {
    const { apiKey } = t.sandbox.credentials;
    expect((await trackerLogin(t.cli, t.sandbox, ['--rest-base-url', rest.stub.url])).code).toBe(0);
    const run = t.cli.start(['tracker', 'login', '--with-rest-token', '--json'], AT_TERMINAL);
    await run.answer('REST API token', `${rest.stub.token}\r`);
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ restToken: true, reusedCredentials: true });
    expect(result.stderr).not.toMatch(/API Username|API Key|API Password/);
    expect(t.cli.storedSecrets()?.['default/tracker.apiKey']).toBe(apiKey);
    expect(t.cli.storedSecrets()?.['default/tracker.restToken']).toBe(rest.stub.token);
  });

  it('at a terminal, a login that asks for the Widget secrets offers the REST token too, masked (Enter skips it)', async () => {
    const { apiKey, password, username } = t.sandbox.credentials;
    const args = ['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--rest-base-url', rest.stub.url, '--json'];
    const run = t.cli.start(args, AT_TERMINAL);
    await run.answer('API Key', `${apiKey}\r`);
    await run.answer('API Password', `${password}\r`);
    await run.answer(REST_QUESTION, `${rest.stub.token}\r`);
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ restToken: true, reusedCredentials: false });
    expect(rest.stub.exchanges).toBe(1);
    expect(t.cli.storedSecrets()?.['default/tracker.restToken']).toBe(rest.stub.token);
    expect(withoutColour(result.stderr)).toContain(`✔ ${REST_QUESTION} ${'*'.repeat(rest.stub.token.length)}`);
    expectNoSecrets([apiKey, password, rest.stub.token], [result]);

    // TRACKER_REST_TOKEN gives it: not asked
    const fromEnv = t.cli.start(args, { ...AT_TERMINAL, env: { ...AT_TERMINAL.env, TRACKER_REST_TOKEN: rest.stub.token } });
    await fromEnv.answer('API Key', `${apiKey}\r`);
    await fromEnv.answer('API Password', `${password}\r`);
    const done = await fromEnv.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toContain(REST_QUESTION);
    expect(done.json().data.restToken).toBe(true);
  });

  it('--env-secrets on a profile with stored secrets removes them: later commands never read a store, whatever APRIORA_CREDENTIAL_STORE says', async () => {
    await logIn(t.cli, t.sandbox, { restToken: true, fieldMap: false, apriora: false });
    expect(Object.keys(t.cli.storedSecrets() ?? {}).sort()).toEqual(['default/tracker.apiKey', 'default/tracker.password', 'default/tracker.restToken']);
    const { apiKey, password, username } = t.sandbox.credentials;
    const env = { APRIORA_CREDENTIAL_STORE: 'file', TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password };
    const args = ['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--username', username, '--env-secrets'];
    const result = await t.cli.run(args, { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ Removed what the profile had stored (tracker.apiKey, tracker.password, tracker.restToken): it no longer applies\n');
    expect(t.cli.storedSecrets()).toEqual({});
    expect(t.cli.config().profiles.default.credentialStore).toBe('env');

    // Without the variables, nothing stored is read (nor sent): not logged in, whatever the store variable says.
    t.sandbox.requests.length = 0;
    const later = await t.cli.run(['tracker', 'fields', 'list', '--json'], { env: { APRIORA_CREDENTIAL_STORE: 'file' } });
    expect(later.code, later.stdout).toBe(4);
    expect(later.json().error.code).toBe('not_logged_in');
    expect(t.sandbox.requests).toEqual([]);

    // Logged in again with --env-secrets: nothing left to remove.
    const again = await t.cli.run([...args, '--json'], { env });
    expect(again.code, again.stdout).toBe(0);
    expect(again.json().data).toMatchObject({ credentialStore: 'env', removedSecrets: [] });
  });
});
