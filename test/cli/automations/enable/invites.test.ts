import { describe, expect, it } from 'vitest';
import { AT_TERMINAL, expectEnvelope, useSandbox } from '../../../support/cli.js';

/** `apriora automations enable invites` against the sandbox: checked before any request, the change, the PATCH, the read-back. */

const t = useSandbox({ seed: { jobs: 2, candidates: 2 }, loggedIn: { fieldMap: false } });

const enable = (...args: string[]) => t.cli.run(['automations', 'enable', 'invites', ...args]);
const patches = () => t.sandbox.requests.filter((request) => request.op === 'PATCH /integrations/tracker');
const held = () => t.sandbox.apriora.integration().automations.invites;
const pipeline = () => t.sandbox.tracker.settings.opportunityResourceStatuses.map((status) => status.Name);

describe('apriora automations enable invites', () => {
  it('sends the whole invites object with the flags given, and shows what Apriora saved', async () => {
    const [first, second] = pipeline();
    const result = await enable(
      ...['--trigger-status', first!.toUpperCase(), '--trigger-status', second!],
      ...['--rule', 'job.location != Remote', '--rule', 'job.type in [Permanent, "Contract"]', '--rule', 'source ~ LinkedIn'],
      ...['--delay', '30m', '--no-one-per-day', '--blackout', '20:00-08:00', '--timezone', 'America/New_York', '--json'],
    );
    expect(result.code, result.stderr).toBe(0);
    const expected = {
      enabled: true,
      trigger: { statuses: [first, second] },
      rules: [
        { field: 'job.location', op: 'not_equals', value: 'Remote' },
        { field: 'job.type', op: 'in', value: ['Permanent', 'Contract'] },
        { field: 'source', op: 'contains', value: 'LinkedIn' },
      ],
      delayMinutes: 30,
      onePerCandidatePerDay: false,
      blackout: { start: '20:00', end: '08:00', timezone: 'America/New_York' },
    };
    expect(patches().map((request) => request.body)).toEqual([{ automations: { invites: expected } }]);
    expect(held()).toEqual(expected);
    const data = expectEnvelope(result, true).data;
    expect(data).toMatchObject({ automation: 'invites', sent: true, dryRun: false, saved: expected });
    expect(data.changes.find((change: { field: string }) => change.field === 'Rules')).toEqual({
      field: 'Rules',
      before: 'none',
      after: 'job.location != Remote; job.type in [Permanent, Contract]; source ~ LinkedIn',
      changed: true,
    });
    // The read-back is a GET after the PATCH.
    const ops = t.sandbox.requests.filter((request) => request.api === 'apriora').map((request) => request.op);
    expect(ops.slice(-2)).toEqual(['PATCH /integrations/tracker', 'GET /integrations/tracker']);

    // Flags not given keep what Apriora holds; the table shows before → after.
    const again = await enable('--delay', '2h');
    expect(again.code, again.stderr).toBe(0);
    expect(held()).toEqual({ ...expected, delayMinutes: 120 });
    expect(again.stdout).toMatch(/Delay[\s│]+30m[\s│]+2h/);
    expect(again.stdout).toContain('Apriora saved the invitation settings');
    const rest = await enable('--no-blackout', '--no-rules', '--json');
    expect(rest.json().data.saved).toMatchObject({ rules: [], blackout: null, delayMinutes: 120 });
  });

  it('leaves interview creation as it is', async () => {
    await t.cli.run(['automations', 'enable', 'interviews', '--template', 'tpl_2']);
    const before = t.sandbox.apriora.integration().automations.interviewCreation;
    expect((await enable('--delay', '5m')).code).toBe(0);
    expect(t.sandbox.apriora.integration().automations.interviewCreation).toEqual(before);
    expect(patches().at(-1)!.body).toEqual({ automations: { invites: expect.any(Object) } });
  });

  it.each([
    [['--rule', 'job.locaton = Remote'], /unknown field "job\.locaton"/, / {2}job\.locaton = Remote\n {2}\^{11}\n/],
    [['--rule', 'job.status = Open'], /"job\.status" is not a field of invite rules/, /\^{10}/],
    [['--rule', 'status > Applied'], /unknown operator ">"/, / {9}\^\n/],
    [['--rule', 'job.type in [Permanent'], /not closed/, undefined],
    [['--delay', '8d'], /at most 7d/, undefined],
    [['--blackout', '20:00-25:00', '--timezone', 'America/New_York'], /HH:MM/, undefined],
    [['--blackout', '20:00-08:00', '--timezone', 'America/Nowhere'], /not an IANA time zone/, undefined],
    [['--blackout', '20:00-08:00'], /--blackout needs --timezone/, undefined],
    [['--timezone', 'Europe/London'], /Apriora holds none/, undefined],
  ])('%j exits 2 before Apriora gets a PATCH', async (args, message, pointer) => {
    t.sandbox.requests.length = 0;
    const result = await enable(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    if (pointer) expect(result.stderr).toMatch(pointer);
    expect(patches()).toEqual([]);
  });

  it('a bad rule is refused before any request at all', async () => {
    t.sandbox.requests.length = 0;
    const result = await enable('--rule', 'status = Applied', '--rule', 'job.salary > 3', '--json');
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'invalid_rule', details: { rule: 'job.salary > 3', column: 0 } });
    expect(t.sandbox.requests).toEqual([]);
  });

  it('a trigger status that is not a pipeline status of the Tracker database exits 2 with the list', async () => {
    const result = await enable('--trigger-status', 'Aplied');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--trigger-status: "Aplied" is not a pipeline status of this Tracker database');
    expect(result.stderr).toContain(`Its applicant statuses: ${pipeline().join(', ')}`);
    expect(patches()).toEqual([]);
  });

  it('--dry-run shows the change and sends nothing', async () => {
    const result = await enable('--delay', '45m', '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Enabled[\s│]+no[\s│]+yes/);
    expect(result.stdout).toMatch(/Delay[\s│]+0[\s│]+45m/);
    expect(result.stdout).toContain('Dry run: nothing sent to Apriora.');
    expect(patches()).toEqual([]);
    expect(held().enabled).toBe(false);
  });

  it('nothing to change: nothing sent', async () => {
    expect((await enable()).code).toBe(0);
    const count = patches().length;
    const again = await enable('--json');
    expect(again.json().data).toMatchObject({ sent: false });
    expect(patches().length).toBe(count);
  });

  it("at a terminal, a customer's profile is asked first; no → nothing sent", async () => {
    const { logIn, TestCli } = await import('../../../support/cli.js');
    const cli = await logIn(new TestCli(), t.sandbox, { fieldMap: false, sandboxProfile: false });
    try {
      const running = cli.start(['automations', 'enable', 'invites', '--delay', '10m'], AT_TERMINAL);
      await running.answer(` changed invitation settings in Apriora's Tracker integration for profile "default"?`, 'n\r');
      const result = await running.done;
      // Switched on, and the delay: how many settings change is said.
      expect(result.stderr).toContain(`Save 2 changed invitation settings in Apriora's Tracker integration for profile "default"?`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/\nNothing written\.\n$/);
      expect(patches()).toEqual([]);
      const yes = await cli.run(['automations', 'enable', 'invites', '--delay', '10m', '--yes'], AT_TERMINAL);
      expect(yes.code, yes.stderr).toBe(0);
      expect(held().delayMinutes).toBe(10);
    } finally {
      cli.cleanup();
    }
  });
});
