import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBlackhole } from '../support/blackhole.js';
import {
  type CliResult,
  expectEnvelope,
  expectNoSecrets,
  logIn,
  openJobIds,
  refusedUrl,
  sandboxSecrets,
  savedFieldMap,
  useNoKeychain,
  useSandbox,
  warningsDuring,
} from '../support/cli.js';

const t = useSandbox();

const CHECK_IDS = [
  'tracker.credentials',
  'tracker.host',
  'tracker.logon',
  'tracker.rest',
  'tracker.activityType',
  'tracker.fields',
  'apriora.key',
  'apriora.integration',
  'apriora.automations',
  'keychain',
  'clock',
  'webhooks.secret',
];

/** Tracker login with the REST token, field map, Apriora login, then `tracker connect`: a profile ready to work. */
async function setUp(steps: { fieldMap?: boolean } = {}): Promise<void> {
  await logIn(t.cli, t.sandbox, { restToken: true, ...steps });
  if (steps.fieldMap === false) return;
  const connected = await t.cli.run(['tracker', 'connect']);
  expect(connected.code, connected.stderr).toBe(0);
}

function checks(result: CliResult): Record<string, { status: string; detail: string; fix: string | null; code: string | null; exitCode: number | null }> {
  const data = result.json<{ data: { checks: { id: string }[] } }>().data;
  return Object.fromEntries(data.checks.map((check) => [check.id, check])) as never;
}

/** Every file of the shared Tracker REST JWT cache, by name, byte for byte. */
function jwtCache(): Record<string, string> {
  const dir = join(t.cli.dataDir, 'tracker-rest');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'base64')]));
}

const secrets = () => [...sandboxSecrets(t.sandbox), t.sandbox.credentials.restToken];
/** The secrets in the environment: a stored secret is never sent to a host other than the one it was saved for. */
const envSecrets = () => {
  const { apiKey, password, aprioraApiKey, restToken } = t.sandbox.credentials;
  return { TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password, TRACKER_REST_TOKEN: restToken, APRIORA_API_KEY: aprioraApiKey };
};
const exchanges = () => t.sandbox.requests.filter((request) => request.op === 'POST /api/Auth/ExchangeToken');

describe('apriora doctor', () => {
  it('passes on a set-up profile, every check in order, without touching the cached REST session token', async () => {
    await setUp();
    const cache = jwtCache();
    expect(Object.keys(cache)).toHaveLength(1);
    t.sandbox.requests.length = 0;

    const started = performance.now();
    const result = await t.cli.run(['doctor', '--json']);
    const wallMs = performance.now() - started;
    expect(result.code, result.stdout).toBe(0);
    const envelope = expectEnvelope(result, true);
    expect(envelope.data).toMatchObject({ profile: 'default', ok: true, summary: { ok: 10, warn: 0, fail: 0, skip: 2 } });
    expect(typeof envelope.data.elapsedMs).toBe('number');
    expect(envelope.data.checks.map((check: { id: string }) => check.id)).toEqual(CHECK_IDS);
    for (const check of envelope.data.checks) {
      expect(Object.keys(check).sort()).toEqual(['code', 'detail', 'exitCode', 'fix', 'id', 'status', 'title']);
    }
    const byId = checks(result);
    const fields = savedFieldMap(t.cli);
    expect(byId['tracker.credentials']).toMatchObject({ status: 'ok', detail: expect.stringContaining('API key from file store') });
    expect(byId['tracker.rest']).toMatchObject({ status: 'ok', detail: expect.stringContaining('cached session token is accepted') });
    expect(byId['tracker.fields']!.detail).toContain(`${fields.overallScore}, ${fields.reportLink}, ${fields.gradingCriteria}, ${fields.feedback}`);
    expect(byId['apriora.integration']).toMatchObject({ status: 'ok', fix: null, code: null, exitCode: null });
    expect(byId.clock).toMatchObject({ status: 'ok', detail: expect.stringMatching(/Tracker [+-]\d+\.\d s, Apriora [+-]\d+\.\d s/) });
    expect(byId.keychain!.status).toBe('skip'); // the tests' file store
    expect(byId['webhooks.secret']!.status).toBe('skip'); // no listener has run
    expect(byId['apriora.automations']!.status).toBe('ok');

    // Reads only, each once: nothing written to Tracker or Apriora.
    expect(t.sandbox.requests.map((request) => `${request.api} ${request.op}`).sort()).toEqual([
      'apriora GET /integrations/tracker',
      'apriora GET /templates', // the key check
      'tracker checkLogon',
      'tracker getSettingsData',
      'tracker-rest POST /api/v1/OpportunityResource/Search', // one row, with the cached session token
    ]);
    // The cached JWT was used as it is: no exchange, the file byte for byte the same, and it still works afterwards.
    expect(exchanges()).toEqual([]);
    expect(jwtCache()).toEqual(cache);
    const applicants = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(openJobIds(t.sandbox)[0]), '--json']);
    expect(applicants.code, applicants.stderr).toBe(0);
    expect(exchanges()).toEqual([]);

    const human = await t.cli.run(['doctor']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ Tracker credentials {12}api\.user@sandbox\.example \(username from profile/);
    expect(lines).toContain('- Keychain                       the profile keeps its secrets in the file store');
    expect(lines.at(-1)).toMatch(/^Ready: 10 ok, 0 warnings, 0 failed, 2 skipped \(profile default, \d+\.\d s\)$/);
    expect(human.stdout).not.toContain('Try:');
    expectNoSecrets(secrets(), [result, human]);
    console.info(`doctor on the sandbox: ${Math.round(wallMs)} ms wall (report ${envelope.data.elapsedMs} ms)`);
  });

  it('proves a REST token with no cached session token by an exchange whose session token is cached for the next commands', async () => {
    await setUp();
    const dir = join(t.cli.dataDir, 'tracker-rest');
    for (const name of readdirSync(dir)) if (name.endsWith('.json')) rmSync(join(dir, name));
    expect(jwtCache()).toEqual({});
    t.sandbox.requests.length = 0;
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code, result.stdout).toBe(0);
    expect(checks(result)['tracker.rest']).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('the new session token is cached for the next commands'),
    });
    expect(exchanges()).toHaveLength(1);
    const cached = jwtCache();
    expect(Object.keys(cached)).toHaveLength(1);
    // The profile's next command uses it: no second exchange, and the next doctor tries it as it is.
    const applicants = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(openJobIds(t.sandbox)[0]), '--json']);
    expect(applicants.code, applicants.stderr).toBe(0);
    const again = await t.cli.run(['doctor', '--json']);
    expect(checks(again)['tracker.rest']).toMatchObject({ status: 'ok', detail: expect.stringContaining('cached session token is accepted') });
    expect(exchanges()).toHaveLength(1);
    expect(jwtCache()).toEqual(cached);
  });

  it('against a host that accepts connections and never answers: exit 5 well within 30 s, each check with its fix', async () => {
    await setUp();
    const blackhole = await startBlackhole();
    try {
      const started = performance.now();
      const result = await t.cli.run(['doctor', '--json'], { env: { ...envSecrets(), TRACKER_BASE_URL: blackhole.url, APRIORA_BASE_URL: blackhole.url } });
      const wallMs = performance.now() - started;
      expect(result.code, result.stdout).toBe(5);
      // 10 s a request, one retry: about 20 s; never doctor's whole-run bound of 25 s, far from 30 s a request.
      expect(wallMs).toBeLessThan(24_000);
      expect(wallMs).toBeGreaterThan(19_000);
      const byId = checks(result);
      for (const id of ['tracker.host', 'tracker.rest', 'apriora.key']) {
        expect(byId[id], id).toMatchObject({ status: 'fail', code: 'timeout', exitCode: 5, detail: expect.stringContaining('no answer within 10000 ms') });
        expect(byId[id]!.fix, id).toMatch(/^Check the network and the Tracker( REST)? URL|^Check the network and the Apriora URL/);
      }
      expect(byId['tracker.host']!.fix).toContain(blackhole.url);
      expect(byId['tracker.logon']).toMatchObject({ status: 'skip', detail: 'Tracker did not answer' });
      expect(byId['apriora.integration']).toMatchObject({ status: 'skip' });
      // Each request tried twice, no more: the Widget logon, the REST exchange and the Apriora key check.
      expect(blackhole.connections()).toBe(6);
    } finally {
      await blackhole.close();
    }
  }, 60_000);

  it('fails with exit 2 and the fields map fix when there is no field map', async () => {
    await setUp({ fieldMap: false });
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code).toBe(2);
    const envelope = expectEnvelope(result, false);
    expect(envelope.data.ok).toBe(false);
    expect(envelope.error).toMatchObject({
      code: 'checks_failed',
      message: '2 of 12 checks failed: tracker.fields, apriora.integration',
      hint: 'apriora tracker fields map',
    });
    expect(checks(result)['tracker.fields']).toMatchObject({ status: 'fail', code: 'field_map_missing', fix: 'apriora tracker fields map', exitCode: 2 });
    expect(checks(result)['apriora.integration']).toMatchObject({
      status: 'fail',
      fix: 'apriora tracker connect',
      detail: expect.stringContaining('holds no Tracker credentials'),
    });

    const human = await t.cli.run(['doctor']);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/^✗ Activity fields {16}The "Apriora Interview" field map of profile "default" is not set$/m);
    expect(human.stdout).toMatch(/^ {33}Try: apriora tracker fields map$/m);
    expect(human.stdout).toMatch(/^Not ready: 8 ok, 0 warnings, 2 failed, 2 skipped/m);
    expect(human.stderr).toBe('Error: 2 of 12 checks failed: tracker.fields, apriora.integration\nTry: apriora tracker fields map\n');
    expectNoSecrets(secrets(), [result, human]);
  });

  it('with no local field map, the integration check compares what it can and does not claim the same fields', async () => {
    await setUp();
    const file = join(t.cli.configDir, 'config.json');
    const config = t.cli.config();
    delete config.profiles.default.tracker.fieldMap;
    writeFileSync(file, JSON.stringify(config));
    const result = await t.cli.run(['doctor', '--json']);
    expect(checks(result)['tracker.fields']).toMatchObject({ status: 'fail', code: 'field_map_missing' });
    const integration = checks(result)['apriora.integration']!;
    expect(integration).toMatchObject({ status: 'ok', detail: expect.stringMatching(/; its fields \(\d+, \d+, \d+, \d+\) not compared: no local field map$/) });
    expect(integration.detail).not.toContain('the same four fields');
  });

  it('wraps each fix to the width tables are fitted to; piped without COLUMNS, one line each', async () => {
    await setUp();
    const { feedback } = savedFieldMap(t.cli);
    expect((await fetch(`${t.sandbox.url}/__sandbox/tracker/custom-fields/${feedback}`, { method: 'DELETE' })).status).toBe(200);
    const fix =
      'Try: Tracker has no activity field of that name: ask Tracker Support to add it (apriora tracker support-request custom-activity --only-fields feedback); once it exists, run apriora tracker fields map';
    const piped = await t.cli.run(['doctor']);
    expect(piped.code).toBe(2);
    expect(piped.stdout).toContain(`${' '.repeat(33)}${fix}\n`);

    const narrow = await t.cli.run(['doctor'], { env: { COLUMNS: '80' } });
    expect(narrow.code).toBe(2);
    const lines = narrow.stdout.split('\n');
    const first = lines.findIndex((line) => line.includes('Try: Tracker has no activity field'));
    const wrapped: string[] = [];
    for (let i = first; lines[i]!.startsWith(' '); i++) wrapped.push(lines[i]!);
    expect(wrapped.length).toBeGreaterThan(2);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(80);
    // Under the check's detail, the words whole and in order; the lines after the first under the text after "Try: ".
    expect(wrapped[0]).toMatch(/^ {33}Try: Tracker/);
    for (const line of wrapped.slice(1)) expect(line).toMatch(/^ {38}\S/);
    expect(wrapped.map((line) => line.trim()).join(' ')).toBe(fix);

    // Too narrow to keep the fix under the detail: it starts near the margin instead.
    const tiny = await t.cli.run(['doctor'], { env: { COLUMNS: '50' } });
    const tinyLines = tiny.stdout.split('\n');
    expect(tinyLines.find((line) => line.includes('Try: Tracker has no'))).toMatch(/^ {2}Try: Tracker has no activity field of that/);
    for (const line of tinyLines.filter((line) => line.startsWith('  '))) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('fails naming the field when a mapped field was removed from Tracker', async () => {
    await setUp();
    const { feedback } = savedFieldMap(t.cli);
    const removed = await fetch(`${t.sandbox.url}/__sandbox/tracker/custom-fields/${feedback}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ removed: { Id: feedback, Name: 'Feedback' } });
    expect((await fetch(`${t.sandbox.url}/__sandbox/tracker/custom-fields/${feedback}`, { method: 'DELETE' })).status).toBe(404);
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code).toBe(2);
    expect(checks(result)['tracker.fields']).toMatchObject({
      status: 'fail',
      code: 'field_map_stale',
      detail: `Feedback (field ${feedback}) no longer exists in Tracker`,
      fix: 'Tracker has no activity field of that name: ask Tracker Support to add it (apriora tracker support-request custom-activity --only-fields feedback); once it exists, run apriora tracker fields map',
      exitCode: 2,
    });
    expect(expectEnvelope(result, false).error).toMatchObject({ message: '1 of 12 checks failed: tracker.fields' });

    // The fix's request asks for that field alone, on the existing activity type.
    const request = await t.cli.run(['tracker', 'support-request', 'custom-activity', '--only-fields', 'feedback', '--json']);
    expect(request.code, request.stderr).toBe(0);
    expect(request.json().data.subject).toMatch(/^Custom field "Feedback" on the activity type "Apriora Interview"/);
    expect(request.json().data.body).not.toMatch(/Overall Score|custom activity type named/);

    // A field of that name on activities again (another id): mapping again is the fix.
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const again = await t.cli.run(['doctor', '--json']);
    expect(checks(again)['tracker.fields']).toMatchObject({ status: 'fail', fix: 'Map the fields again: apriora tracker fields map' });
  });

  it("fails with the connect fix when Apriora's integration holds another user's credentials", async () => {
    await setUp();
    const patched = await fetch(`${t.sandbox.aprioraUrl}/integrations/tracker`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-api-key': t.sandbox.credentials.aprioraApiKey },
      body: JSON.stringify({ credentials: { apiKey: 'other-key', username: 'someone.else@example.com', password: 'other-password', region: null } }),
    });
    expect(patched.status).toBe(200);
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code).toBe(2);
    expect(checks(result)['apriora.integration']).toMatchObject({
      status: 'fail',
      code: 'integration_mismatch',
      detail: "Apriora's integration holds the credentials of someone.else@example.com, not api.user@sandbox.example",
      fix: 'apriora tracker connect',
      exitCode: 2,
    });
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'checks_failed', hint: 'apriora tracker connect' });
  });

  it('fails with exit 4 and where to get a token when the REST token is refused; without one, only warns', async () => {
    await setUp();
    const wrong = 'not-the-rest-token-0123456789';
    const result = await t.cli.run(['doctor', '--json'], { env: { TRACKER_REST_TOKEN: wrong } });
    expect(result.code).toBe(4);
    expect(checks(result)['tracker.rest']).toMatchObject({ status: 'fail', code: 'tracker_rest_token_rejected', exitCode: 4 });
    expect(checks(result)['tracker.rest']!.fix).toContain('--rest-token-stdin');
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'checks_failed', message: '1 of 12 checks failed: tracker.rest' });
    expectNoSecrets([...secrets(), wrong], [result]);
  });

  it('only warns, exit 0, when no REST token is set', async () => {
    await logIn(t.cli, t.sandbox);
    expect((await t.cli.run(['tracker', 'connect'])).code).toBe(0);
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code, result.stdout).toBe(0);
    expect(checks(result)['tracker.rest']).toMatchObject({ status: 'warn', code: 'tracker_rest_token_missing', exitCode: null });
    expect(expectEnvelope(result, true).data.summary).toEqual({ ok: 9, warn: 1, fail: 0, skip: 2 });
    const human = await t.cli.run(['doctor']);
    expect(human.stdout).toMatch(/^! Tracker REST API token {9}no REST API token/m);
    expect(human.stdout).toMatch(/^Ready: 9 ok, 1 warning, 0 failed, 2 skipped/m);
  });

  it("warns of double work when Apriora's automation is on and a local runner holds the profile", async () => {
    await setUp();
    expect((await t.cli.run(['automations', 'enable', 'invites'])).code).toBe(0);
    const enabled = await t.cli.run(['doctor', '--json']);
    expect(checks(enabled)['apriora.automations']).toMatchObject({ status: 'ok', detail: 'Apriora runs invitations; no local runner' });
    // What a running `apriora automations run` leaves in the profile's data dir: its fresh lock and its holder.
    const profileDir = join(t.cli.dataDir, 'default');
    mkdirSync(join(profileDir, 'automations.lock'), { recursive: true });
    writeFileSync(join(profileDir, 'automations.runner.json'), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);
    const doubled = await t.cli.run(['doctor', '--json']);
    expect(doubled.code, doubled.stdout).toBe(0);
    expect(checks(doubled)['apriora.automations']).toMatchObject({
      status: 'warn',
      code: 'automations_doubled',
      detail: `Apriora runs invitations and a local \`apriora automations run\` (pid ${process.pid} on ${hostname()}) is running: both do the same work`,
      fix: "Stop the local runner, or switch Apriora's off: apriora automations disable invites",
    });
  });

  it('checks the webhook signing secret once a listener has run for the profile', async () => {
    await setUp();
    mkdirSync(join(t.cli.dataDir, 'default'), { recursive: true });
    writeFileSync(join(t.cli.dataDir, 'default', 'webhooks.jsonl'), '');
    const missing = await t.cli.run(['doctor', '--json']);
    expect(missing.code).toBe(0);
    expect(checks(missing)['webhooks.secret']).toMatchObject({ status: 'warn', code: 'missing_value', fix: expect.stringContaining('APRIORA_WEBHOOK_SECRET') });
    const secret = 'whsec-doctor-0123456789';
    const set = await t.cli.run(['doctor', '--json'], { env: { APRIORA_WEBHOOK_SECRET: secret } });
    expect(checks(set)['webhooks.secret']).toMatchObject({ status: 'ok', detail: 'set (from env)' });
    expectNoSecrets([secret], [missing, set]);
  });

  it('fails with exit 5 when Tracker cannot be reached, the logon and what needs it skipped', async () => {
    await setUp();
    // The stored secrets were saved for the sandbox: never sent to the host the environment names instead.
    const stored = await t.cli.run(['doctor', '--json'], { env: { TRACKER_BASE_URL: 'http://127.0.0.1:1' } });
    expect(stored.code).toBe(4);
    expect(checks(stored)['tracker.credentials']).toMatchObject({
      status: 'fail',
      code: 'not_logged_in',
      detail: expect.stringContaining(`(its stored secrets are for ${t.sandbox.trackerUrl}, not http://127.0.0.1:1)`),
    });
    const result = await t.cli.run(['doctor', '--json'], { env: { ...envSecrets(), TRACKER_BASE_URL: 'http://127.0.0.1:1' } });
    expect(result.code).toBe(5);
    const byId = checks(result);
    expect(byId['tracker.host']).toMatchObject({ status: 'fail', code: 'network_error', exitCode: 5, fix: expect.stringContaining('http://127.0.0.1:1') });
    expect(byId['tracker.logon']).toMatchObject({ status: 'skip', detail: 'Tracker did not answer' });
    expect(byId['tracker.activityType']!.status).toBe('skip');
    expect(byId['apriora.key']!.status).toBe('ok');
    expect(expectEnvelope(result, false).error).toMatchObject({
      code: 'checks_failed',
      message: expect.stringMatching(/^\d+ of 12 checks failed: tracker\.host/),
    });
  });

  it('hosts that refuse every connection: the hints say how to change each URL, and no listener warning on stderr', async () => {
    await setUp();
    const down = await refusedUrl();
    const env = { ...envSecrets(), TRACKER_BASE_URL: down, TRACKER_REST_BASE_URL: down, APRIORA_BASE_URL: down };
    const { result, warnings } = await warningsDuring(() => t.cli.run(['doctor', '--json'], { env }));
    expect(result.code).toBe(5);
    expect(warnings).toEqual([]);
    expect(result.stderr).not.toMatch(/MaxListenersExceededWarning/);
    const byId = checks(result);
    expect(byId['tracker.host']).toMatchObject({
      status: 'fail',
      fix: `Check the network and the Tracker URL (${down}), then run the command again. To use another, set TRACKER_BASE_URL or run \`apriora tracker login --base-url URL\` (or --region us|ca|uk).`,
    });
    expect(byId['apriora.key']!.fix).toBe(
      `Check the network and the Apriora URL (${down}), then run the command again. To use another, set APRIORA_BASE_URL or run \`apriora login --base-url URL\`.`,
    );
    expect(byId['tracker.rest']!.fix).toContain('To use another, set TRACKER_REST_BASE_URL or run `apriora tracker login --rest-base-url URL`.');
  });

  describe('without an OS keychain', () => {
    useNoKeychain();

    it('a profile on the keychain fails the keychain check with exit 4, not a crash', async () => {
      await setUp();
      const result = await t.cli.run(['doctor', '--json'], { env: { APRIORA_CREDENTIAL_STORE: 'keychain' } });
      expect(result.code).toBe(4);
      const byId = checks(result);
      expect(byId.keychain).toMatchObject({ status: 'fail', exitCode: 4, code: expect.stringMatching(/^keychain_/) });
      expect(byId['tracker.credentials']).toMatchObject({ status: 'fail', exitCode: 4 });
      expect(byId['tracker.logon']!.status).toBe('skip');
      expect(expectEnvelope(result, false).error.code).toBe('checks_failed');
    });
  });

  it('a profile that is not logged in fails with exit 4, the checks that depend on it skipped', async () => {
    const result = await t.cli.run(['doctor', '--json']);
    expect(result.code).toBe(4);
    const byId = checks(result);
    expect(byId['tracker.credentials']).toMatchObject({ status: 'fail', code: 'not_logged_in', exitCode: 4 });
    expect(byId['tracker.logon']!.status).toBe('skip');
    expect(byId['tracker.activityType']!.status).toBe('skip');
    expect(byId['apriora.key']).toMatchObject({ status: 'fail', code: 'not_logged_in' });
    expect(byId['apriora.integration']!.status).toBe('skip');
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'checks_failed', hint: expect.stringContaining('apriora tracker login') });
    expect(byId['tracker.credentials']!.fix).toMatch(/; or set up the whole profile in one step: apriora onboard$/);
    expect(byId['apriora.key']!.fix).toMatch(/; or set up the whole profile in one step: apriora onboard$/);
    const named = await t.cli.run(['doctor', '-p', 'acme', '--json']);
    expect(checks(named)['tracker.credentials']!.fix).toMatch(/one step: apriora onboard --profile acme$/);
  });

  it('a rate limit asking to wait longer than doctor does: rate_limited at once with the wait in the fix, not a timeout', async () => {
    await setUp();
    t.sandbox.faults.configure({ retryAfterSeconds: 100 });
    t.sandbox.requests.length = 0;
    t.sandbox.faults.push({ kind: '429', op: 'checkLogon', api: 'tracker' }, { kind: '429', op: 'GET /templates', api: 'apriora' });
    const started = Date.now();
    const result = await t.cli.run(['doctor', '--json']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.code, result.stdout).toBe(5);
    const byId = checks(result);
    const rateLimitFix = "Wait 100 s (the service's Retry-After) and run the command again; other processes using the same account share its rate limit.";
    expect(byId['tracker.host']).toMatchObject({ status: 'fail', code: 'rate_limited', fix: rateLimitFix });
    expect(byId['tracker.host']!.detail).toContain('Tracker is rate limiting requests (HTTP 429) and asks to wait 100 s (Retry-After)');
    expect(byId['apriora.key']).toMatchObject({ status: 'fail', code: 'rate_limited', fix: rateLimitFix });
    expect(t.sandbox.requests.filter((request) => request.op === 'checkLogon')).toHaveLength(1);
  });

  it('a misspelt --profile says that profile does not exist and lists the ones there are', async () => {
    await logIn(t.cli, t.sandbox, { fieldMap: false });
    const result = await t.cli.run(['doctor', '-p', 'defualt', '--json']);
    expect(result.code).toBe(4);
    const byId = checks(result);
    expect(byId['tracker.credentials']!.detail).toMatch(/for profile "defualt": there is no profile "defualt" \(profiles on this machine: default\)$/);
    expect(byId['apriora.key']!.detail).toBe('no API key for profile "defualt": there is no profile "defualt" (profiles on this machine: default)');
    // The error itself says so too (what a script reads), the whole report kept in data.
    expect(result.json().error).toMatchObject({
      code: 'not_logged_in',
      message: 'Not logged in: there is no profile "defualt"',
      hint: expect.stringContaining('(profiles on this machine: default)'),
    });
    expect(result.json().data.checks.length).toBeGreaterThan(10);
    const human = await t.cli.run(['doctor', '-p', 'defualt']);
    expect(human.stdout).toContain('there is no profile "defualt" (profiles on this machine: default)');
    expect(human.stderr).toMatch(/^Error: Not logged in: there is no profile "defualt"$/m);
  });
});
