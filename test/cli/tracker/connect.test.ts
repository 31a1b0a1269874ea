import { describe, expect, it } from 'vitest';
import {
  AT_TERMINAL,
  aprioraLogin,
  expectEnvelope,
  expectNoSecrets,
  logIn,
  refusedUrl,
  sandboxSecrets,
  savedFieldMap,
  trackerLogin,
  useSandbox,
} from '../../support/cli.js';

const t = useSandbox();

const patches = () => t.sandbox.requests.filter((request) => request.op === 'PATCH /integrations/tracker');

describe('apriora tracker connect', () => {
  it('needs a field map, masks secrets in --dry-run, then hands Apriora the Tracker credentials and field ids', async () => {
    await logIn(t.cli, t.sandbox, { fieldMap: false });
    const unmapped = await t.cli.run(['tracker', 'connect', '--json', '--debug']);
    expect(unmapped.code).toBe(2);
    expect(expectEnvelope(unmapped, false).error).toMatchObject({ code: 'field_map_missing', hint: 'apriora tracker fields map' });
    expect((await t.cli.run(['tracker', 'fields', 'map', '--auto'])).code).toBe(0);
    const activityFields = savedFieldMap(t.cli);
    expect(Object.keys(activityFields).sort()).toEqual(['feedback', 'gradingCriteria', 'overallScore', 'reportLink']);
    t.sandbox.requests.length = 0;

    const dryRun = await t.cli.run(['tracker', 'connect', '--dry-run', '--json', '--debug']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(expectEnvelope(dryRun, true).data).toEqual({
      dryRun: true,
      apriora: t.sandbox.aprioraUrl,
      wouldSend: {
        credentials: { apiKey: '***', username: t.sandbox.credentials.username, password: '***', region: null },
        activityType: 'Apriora Interview',
        activityFields,
      },
    });
    const humanDryRun = await t.cli.run(['tracker', 'connect', '--dry-run']);
    expect(humanDryRun.code).toBe(0);
    expect(humanDryRun.stdout.split('\n')[0]).toBe(`Would send to Apriora's Tracker integration at ${t.sandbox.aprioraUrl}:`);
    expect(humanDryRun.stdout).toMatch(/^API Username\s+api\.user@sandbox\.example$/m);
    expect(humanDryRun.stdout).toMatch(/^API Key\s+\*\*\*$/m);
    expect(humanDryRun.stdout).toMatch(/^API Password\s+\*\*\*$/m);
    expect(humanDryRun.stdout).toMatch(/^Region\s+\(custom base URL\)$/m);
    expect(humanDryRun.stdout).toMatch(new RegExp(`^Overall Score\\s+${activityFields.overallScore}$`, 'm'));
    expect(humanDryRun.stdout).toMatch(/Dry run: nothing sent/);
    expect(patches()).toEqual([]);
    expect(t.sandbox.apriora.integration().hasCredentials).toBe(false);
    expect(t.sandbox.apriora.storedTrackerCredentials()).toBeNull();

    const real = await t.cli.run(['tracker', 'connect', '--json', '--debug']);
    expect(real.code, real.stderr).toBe(0);
    expect(expectEnvelope(real, true).data).toMatchObject({
      dryRun: false,
      sent: { credentials: { apiKey: '***', password: '***' } },
      integration: { hasCredentials: true, activityFields },
    });
    expect(real.stderr).toMatch(/\[debug\] -> PATCH .*\/integrations\/tracker/);
    // Tracker is asked first whether it accepts the credentials; then exactly one PATCH, with the exact body
    const ops = t.sandbox.requests.map((request) => request.op);
    expect(ops.indexOf('checkLogon')).toBeLessThan(ops.indexOf('PATCH /integrations/tracker'));
    expect(patches()).toHaveLength(1);
    expect(patches()[0]!.body).toEqual({
      credentials: { apiKey: '***', username: '***', password: '***', region: null },
      activityType: 'Apriora Interview',
      activityFields,
    });
    const { apiKey, username, password } = t.sandbox.credentials;
    expect(t.sandbox.apriora.storedTrackerCredentials()).toEqual({ apiKey, username, password, region: null });
    expect(t.sandbox.apriora.integration()).toMatchObject({ hasCredentials: true, username, activityType: 'Apriora Interview', activityFields });

    const human = await t.cli.run(['tracker', 'connect', '--debug']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`now holds the credentials of ${username}`);
    expect(human.stdout).toContain(
      `✓ Activity "Apriora Interview" with fields ${activityFields.overallScore}, ${activityFields.reportLink}, ${activityFields.gradingCriteria}, ${activityFields.feedback}`,
    );
    const status = await t.cli.run(['status', '--json']);
    expect(status.json().data.apriora.trackerIntegration).toEqual({ hasCredentials: true, activityFieldsComplete: true });

    expectNoSecrets(sandboxSecrets(t.sandbox), [unmapped, dryRun, humanDryRun, real, human, status]);
  });

  it("at a terminal, a customer's profile asks first: no is exit 0 and sends nothing, yes sends", async () => {
    await logIn(t.cli, t.sandbox, { sandboxProfile: false });
    const declined = t.cli.start(['tracker', 'connect'], AT_TERMINAL);
    await declined.answer(`Send these to Apriora's Tracker integration for profile "default"?`, 'n\r');
    const no = await declined.done;
    expect(no.code, no.stderr).toBe(0);
    // what would be sent is shown before the question, secrets masked
    expect(no.stdout).toMatch(/^API Username\s+api\.user@sandbox\.example$/m);
    expect(no.stdout).toMatch(/^API Password\s+\*\*\*$/m);
    expect(no.stdout).toMatch(/\nNothing written\.\n$/);
    expect(no.stderr).not.toContain('Error');
    expect(patches()).toEqual([]);

    const accepted = t.cli.start(['tracker', 'connect'], AT_TERMINAL);
    await accepted.answer(`Send these to Apriora's Tracker integration for profile "default"?`, 'y\r');
    const yes = await accepted.done;
    expect(yes.code, yes.stderr).toBe(0);
    expect(patches()).toHaveLength(1);
    // --yes, or no terminal: no question
    const scripted = await t.cli.run(['tracker', 'connect', '--yes'], AT_TERMINAL);
    expect(scripted.code).toBe(0);
    expect(scripted.stderr).not.toContain('Send these');
    expect((await t.cli.run(['tracker', 'connect'])).code).toBe(0);
    expect(patches()).toHaveLength(3);
    expectNoSecrets(sandboxSecrets(t.sandbox), [no, yes, scripted]);
  });

  it('--json at a terminal keeps stdout one JSON document', async () => {
    await logIn(t.cli, t.sandbox, { sandboxProfile: false });
    const run = t.cli.start(['tracker', 'connect', '--json'], AT_TERMINAL);
    await run.answer(`Send these to Apriora's Tracker integration for profile "default"?`, 'n\r');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({ declined: true, written: false });
  });

  it("never sends the profile's stored Tracker secrets to another Apriora than the profile's", async () => {
    await logIn(t.cli, t.sandbox);
    const staging = `${await refusedUrl()}/apriora/v1/api`;
    const env = { APRIORA_BASE_URL: staging, APRIORA_API_KEY: 'a-staging-key' };
    const result = await t.cli.run(['tracker', 'connect', '--json'], { env });
    // Exit 2 before any request (one to a host that refuses connections would be 5).
    expect(result.code, result.stdout).toBe(2);
    expect(expectEnvelope(result, false).error).toMatchObject({
      code: 'other_apriora_host',
      message: expect.stringContaining(`they go only to the profile's Apriora (${t.sandbox.aprioraUrl})`),
      hint: expect.stringContaining('TRACKER_API_KEY and TRACKER_PASSWORD'),
    });
    // With the Tracker secrets in the environment too, it is the user's explicit choice: sent (here, refused by the host).
    const { apiKey, password } = t.sandbox.credentials;
    const given = await t.cli.run(['tracker', 'connect', '--json'], { env: { ...env, TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password } });
    expect(given.code).toBe(5);
    expect(patches()).toEqual([]);
    // Without a key for that Apriora, the error says why the stored one is not used.
    const noKey = await t.cli.run(['interview', 'list', '--json'], { env: { APRIORA_BASE_URL: staging } });
    expect(noKey.code).toBe(4);
    expect(noKey.json().error.message).toBe(
      `Not logged in to Apriora for profile "default" at ${staging} (the profile's Apriora is ${t.sandbox.aprioraUrl}: a key it stores is not sent elsewhere)`,
    );
  });

  it('without a Tracker login there is nothing to send: exit 2', async () => {
    expect((await aprioraLogin(t.cli, t.sandbox)).code).toBe(0);
    const result = await t.cli.run(['tracker', 'connect', '--json']);
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'tracker_credentials_missing', hint: expect.stringMatching(/^apriora tracker login/) });
    expect(patches()).toEqual([]);
  });

  it('without an Apriora login it is exit 4, and nothing is sent', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    expect((await t.cli.run(['tracker', 'fields', 'map', '--auto'])).code).toBe(0);
    const result = await t.cli.run(['tracker', 'connect']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^Error: Not logged in to Apriora for profile "default"$/m);
    expect(result.stderr).toMatch(/^Try: apriora login/m);
    expect(patches()).toEqual([]);
  });

  it('credentials Tracker refuses are not handed on: exit 4', async () => {
    await logIn(t.cli, t.sandbox);
    const result = await t.cli.run(['tracker', 'connect', '--json'], { env: { TRACKER_PASSWORD: 'not-the-password' } });
    expect(result.code).toBe(4);
    expect(expectEnvelope(result, false).error.code).toBe('tracker_user_not_found');
    expect(patches()).toEqual([]);
    expect(t.sandbox.apriora.storedTrackerCredentials()).toBeNull();
  });
});
