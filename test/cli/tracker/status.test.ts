import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restJwtCachePath } from '../../../src/store/rest-token-cache.js';
import { restJwtKey } from '../../../src/tracker/rest-auth.js';
import { expectEnvelope, KEYCHAIN_STORE, trackerLogin, useNoKeychain, useSandbox } from '../../support/cli.js';
import { useRestStub } from '../../support/rest-stub.js';

const t = useSandbox();
const rest = useRestStub();

describe('apriora tracker status', () => {
  it('after a login: where each credential comes from, the logon accepted, the naming conventions', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    t.sandbox.requests.length = 0;
    const status = await t.cli.run(['tracker', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(expectEnvelope(status, true).data).toEqual({
      profile: 'default',
      sandbox: true,
      credentialStore: 'file',
      host: t.sandbox.trackerUrl,
      region: null,
      username: t.sandbox.credentials.username,
      credentialSources: { username: 'profile', apiKey: 'file', password: 'file', restToken: null },
      logon: { ok: true },
      namingConventions: expect.objectContaining({ opportunity: 'Job', resource: 'Candidate' }),
      activityType: null,
      fieldMap: null,
      rest: { host: `${t.sandbox.trackerUrl}/tracker-rest`, hostSource: 'default', auth: null },
      defaultCountry: 'US',
      pace: { perMinute: 90, burst: 9 },
    });
    expect(t.sandbox.requests.map((request) => request.op)).toEqual(['checkLogon', 'getSettingsData']);

    const human = await t.cli.run(['tracker', 'status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Profile\s+default \(sandbox\)$/m);
    expect(human.stdout).toMatch(/^Host\s+http:\/\/127\.0\.0\.1:\d+$/m);
    expect(human.stdout).toMatch(/^Username\s+api\.user@sandbox\.example \(from profile\)$/m);
    expect(human.stdout).toMatch(/^API Key\s+file$/m);
    expect(human.stdout).toMatch(/^API Password\s+file$/m);
    expect(human.stdout).toMatch(/^Logon\s+✓ accepted by Tracker$/m);
    expect(human.stdout).toMatch(/^REST host\s+http:\/\/127\.0\.0\.1:\d+\/tracker-rest$/m);
    expect(human.stdout).toMatch(/^REST token\s+not set \(only the applicant commands need it\)$/m);
    expect(human.stdout).toMatch(/^Phone country\s+US$/m);
    expect(human.stdout).toMatch(/^Jobs are called\s+Job$/m);
    expect(human.stdout).toMatch(/^Candidates are called\s+Candidate$/m);
    expect(human.stdout).toMatch(/^Field map\s+not mapped — run `apriora tracker fields map`$/m);
  });

  it('shows the saved field map once it is mapped', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    expect((await t.cli.run(['tracker', 'fields', 'map', '--auto'])).code).toBe(0);
    const status = await t.cli.run(['tracker', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json().data).toMatchObject({ activityType: 'Apriora Interview', fieldMap: t.cli.config().profiles.default.tracker.fieldMap });
    expect(Object.keys(status.json().data.fieldMap).sort()).toEqual(['feedback', 'gradingCriteria', 'overallScore', 'reportLink']);
    const human = await t.cli.run(['tracker', 'status']);
    expect(human.stdout).toMatch(/^Field map\s+complete \(activity "Apriora Interview"\)$/m);
  });

  it('credentials from the environment win over stored ones, and status says so (a wrong one: exit 4)', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const status = await t.cli.run(['tracker', 'status', '--json'], { env: { TRACKER_API_KEY: 'env-key-that-is-wrong' } });
    expect(status.code).toBe(4);
    const document = status.json();
    expect(document.ok).toBe(false);
    expect(document.data).toMatchObject({ credentialSources: { apiKey: 'env', password: 'file' }, logon: { ok: false } });
    expect(document.error.code).toBe('tracker_user_not_found');
    expect(document.data.logon.error.code).toBe('tracker_user_not_found');

    const human = await t.cli.run(['tracker', 'status'], { env: { TRACKER_API_KEY: 'env-key-that-is-wrong' } });
    expect(human.code).toBe(4);
    expect(human.stdout).toMatch(/^API Key\s+env$/m);
    expect(human.stdout).toMatch(/^Logon\s+✗ /m);
    expect(human.stderr).toMatch(/^Error: Tracker rejected the credentials/m);
  });

  it('status without a login exits 4 and says how to log in, still showing what it found', async () => {
    const result = await t.cli.run(['tracker', 'status']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Not logged in to Tracker/);
    expect(result.stderr).toMatch(/^Try: apriora tracker login$/m);
    expect(result.stdout).toMatch(/^API Key\s+missing$/m);

    const json = await t.cli.run(['tracker', 'status', '--profile', 'acme', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', message: 'Not logged in to Tracker: there is no profile "acme"' });
    expect(document.error.hint).toContain('--profile acme');
    expect(document.data).toMatchObject({ profile: 'acme', credentialSources: { apiKey: null, password: null }, logon: { ok: false } });
    expect(t.sandbox.requests).toEqual([]);
  });
});

describe('apriora tracker status without an OS keychain', () => {
  useNoKeychain();

  it('of a profile that does not exist: no such profile and the login that makes it, without asking the keychain', async () => {
    const result = await t.cli.run(['tracker', 'status', '--profile', 'acme'], { env: KEYCHAIN_STORE });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe('Error: Not logged in to Tracker: there is no profile "acme"\nTry: apriora tracker login --profile acme\n');
    // Secrets in the environment still work for a profile that does not exist (CI).
    const { apiKey, password, username } = t.sandbox.credentials;
    const fromEnv = await t.cli.run(['tracker', 'status', '--profile', 'acme', '--json'], {
      env: { ...KEYCHAIN_STORE, TRACKER_BASE_URL: t.sandbox.trackerUrl, TRACKER_USERNAME: username, TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password },
    });
    expect(fromEnv.code, fromEnv.stdout).toBe(0);
    expect(fromEnv.json().data.credentialSources).toEqual({ username: 'env', apiKey: 'env', password: 'env', restToken: null });
  });
});

describe('apriora tracker status: the REST API token', () => {
  it('set in the environment: its source, the REST host, accepted by one exchange whose JWT later commands reuse', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const env = { TRACKER_REST_TOKEN: rest.stub.token, TRACKER_REST_BASE_URL: rest.stub.url };
    const status = await t.cli.run(['tracker', 'status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const { data } = status.json();
    expect(data.credentialSources.restToken).toBe('env');
    expect(data.rest).toEqual({ host: rest.stub.url, hostSource: 'env', auth: { ok: true } });
    const human = await t.cli.run(['tracker', 'status'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^REST host\s+http:\/\/127\.0\.0\.1:\d+ \(from env\)$/m);
    expect(human.stdout).toMatch(/^REST token\s+env ✓ accepted by Tracker$/m);
    expect(rest.stub.exchanges).toBe(1);
    expect(human.stdout + human.stderr + status.stdout).not.toContain(rest.stub.jwts[0]);
  });

  it('a stored REST token is never sent to a REST host other than the one it was saved for (TRACKER_REST_BASE_URL)', async () => {
    const { apiKey, password, restToken } = t.sandbox.credentials;
    expect((await trackerLogin(t.cli, t.sandbox, ['--rest-token-stdin'], `${apiKey}\n${password}\n${restToken}\n`)).code).toBe(0);
    const status = await t.cli.run(['tracker', 'status', '--json'], { env: { TRACKER_REST_BASE_URL: rest.stub.url } });
    expect(status.json().data.credentialSources.restToken).toBeNull();
    expect(rest.stub.exchanges).toBe(0);
    // At the host it was saved for, the same stored token is used.
    const home = await t.cli.run(['tracker', 'status', '--json']);
    expect(home.json().data.credentialSources.restToken).toBe('file');
  });

  it('a REST token Tracker refuses is exit 4 with the Widget logon still reported', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const status = await t.cli.run(['tracker', 'status', '--json'], { env: { TRACKER_REST_TOKEN: 'revoked', TRACKER_REST_BASE_URL: rest.stub.url } });
    expect(status.code).toBe(4);
    const document = status.json();
    expect(document.error.code).toBe('tracker_rest_token_rejected');
    expect(document.data.logon).toEqual({ ok: true });
    expect(document.data.rest.auth).toMatchObject({ ok: false, error: { code: 'tracker_rest_token_rejected' } });
  });

  it('apriora status shows the REST token too; --country is the phone country', async () => {
    const { apiKey, password } = t.sandbox.credentials;
    const login = await trackerLogin(
      t.cli,
      t.sandbox,
      ['--rest-token-stdin', '--rest-base-url', rest.stub.url, '--country', 'CA'],
      `${apiKey}\n${password}\n${rest.stub.token}\n`,
    );
    expect(login.code, login.stderr).toBe(0);
    const status = await t.cli.run(['status', '--json']);
    expect(status.json().data.tracker).toMatchObject({
      credentialSources: { restToken: 'file' },
      rest: { host: rest.stub.url, hostSource: 'profile', auth: { ok: true } },
      defaultCountry: 'CA',
    });
    expect(rest.stub.exchanges).toBe(1);
    const human = await t.cli.run(['status']);
    expect(human.stdout).toMatch(/^REST token\s+file ✓ accepted by Tracker$/m);
    expect(human.stdout).toMatch(/^Phone country\s+CA$/m);

    // logout removes the token and the cached JWT
    const logout = await t.cli.run(['tracker', 'logout', '--json']);
    expect(logout.json().data).toEqual({
      profile: 'default',
      removed: ['tracker.apiKey', 'tracker.password', 'tracker.restToken'],
      store: 'file',
      cachedRestJwt: true,
    });
    expect(existsSync(restJwtCachePath(t.cli.dataDir, restJwtKey(rest.stub.url, rest.stub.token)))).toBe(false);
  });
});
