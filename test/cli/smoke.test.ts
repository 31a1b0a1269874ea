import { describe, expect, it } from 'vitest';
import { CI_WORKFLOW } from '../../src/cli/help/ci.js';
import { REGISTRY } from '../../src/cli/registry.js';
import { isAprioraWriteOp, isWidgetWriteOp, type TrackerActivity } from '../../src/sandbox/index.js';
import { expectEnvelope, KEYCHAIN_STORE, loggedInCli, refusedUrl, TestCli, useNoKeychain, useSandbox, warningsDuring } from '../support/cli.js';

/**
 * `apriora smoke` against the in-process sandbox: the activity it leaves in Tracker, what it refuses, its time budget,
 * and that `activity push` never takes its activity for an interview result.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { connect: true } });

const STEP_IDS = ['doctor', 'sandbox', 'candidate', 'interview', 'write', 'read-back', 'mark'];

function target() {
  const job = t.sandbox.tracker.jobs.find((candidate) =>
    t.sandbox.tracker.settings.opportunityStatuses.some((s) => s.Name === candidate.status && s.State === 'open'),
  )!;
  const candidate = t.sandbox.tracker.candidates[0]!;
  return { jobId: job.id, candidate };
}

const smokeActivities = (): TrackerActivity[] => t.sandbox.tracker.activities.filter((activity) => activity.subject.includes('[apriora smoke]'));
const writes = () => t.sandbox.requests.filter((request) => (request.api === 'apriora' ? isAprioraWriteOp(request.op) : isWidgetWriteOp(request.op)));

/**
 * Every answer slow after the candidate's read (doctor's checks answered quickly before it), set as that read arrives,
 * so that no later request can slip through before it.
 */
function slowAfterCandidateRead(latencyMs: number): () => void {
  return t.sandbox.onRequest((request) => {
    if (request.op === 'getIndividualRecord') t.sandbox.faults.configure({ latencyMs });
  });
}

function smoke(cli: TestCli, extra: string[] = [], env?: Record<string, string | undefined>) {
  return cli.run(['smoke', '--json', ...extra], env ? { env } : {});
}

describe('apriora smoke', () => {
  it('passes on a sandbox profile: the interview, then one marked activity with the four fields on the test candidate', async () => {
    const { jobId, candidate } = target();
    const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { data } = expectEnvelope(result, true);
    expect(data.steps.map((step: { id: string }) => step.id)).toEqual(STEP_IDS);
    for (const step of data.steps) {
      expect(step).toEqual({ id: expect.any(String), title: expect.any(String), status: 'ok', detail: expect.any(String), elapsedMs: expect.any(Number) });
    }
    expect(data).toMatchObject({ ok: true, sandbox: true, allowProduction: false, jobId, candidateId: candidate.id, timeoutSeconds: 120 });
    expect(data.doctor).toMatchObject({ profile: 'default', ok: true });
    expect(data.runId).toMatch(/^smk_\d{8}T\d{6}Z_[0-9a-z]{6}$/);

    const positions = t.sandbox.apriora.positions.filter((position) => position.externalId === String(jobId));
    expect(positions).toHaveLength(1);
    expect(data.interview).toEqual({
      jobId,
      title: expect.any(String),
      positionId: positions[0]!.positionId,
      interviewUrl: positions[0]!.interviewUrl,
      status: 'created',
    });

    // What Tracker holds: one activity of the profile's type, linked to the candidate, the four fields, the marker.
    const [activity, ...more] = smokeActivities();
    expect(more).toEqual([]);
    expect(activity).toMatchObject({
      type: 'Apriora Interview',
      linkRecordType: 'R',
      linkRecordId: candidate.id,
      status: 'Completed',
      subject: `Apriora smoke check ${data.runId} — passed [apriora smoke]`,
    });
    expect(activity!.subject).not.toContain('[apriora:');
    expect(activity!.note).toContain(`[apriora smoke] ${data.runId}`);
    expect(activity!.note).not.toContain('[apriora:');
    const memo = `Apriora smoke check ${data.runId}\nNot an interview result.`;
    expect(activity!.customFields).toEqual([
      { id: 448, value: '0' },
      { id: 449, value: positions[0]!.interviewUrl },
      { id: 450, value: memo },
      { id: 451, value: memo },
    ]);
    expect(data.activity).toEqual({
      id: activity!.id,
      type: 'Apriora Interview',
      subject: activity!.subject,
      linkRecordType: 'R',
      linkRecordId: candidate.id,
      fields: [
        { field: 'overallScore', customFieldId: 448, type: 'Number', sent: '0', got: '0', same: true },
        { field: 'reportLink', customFieldId: 449, type: 'Text', sent: positions[0]!.interviewUrl, got: positions[0]!.interviewUrl, same: true },
        { field: 'gradingCriteria', customFieldId: 450, type: 'Memo', sent: memo, got: memo, same: true },
        { field: 'feedback', customFieldId: 451, type: 'Memo', sent: memo, got: memo, same: true },
      ],
    });
  });

  it('human output: one line per step, then the verdict', async () => {
    const { jobId, candidate } = target();
    const result = await t.cli.run(['smoke', '--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(STEP_IDS.length + 2);
    expect(lines.slice(0, STEP_IDS.length).every((line) => line.startsWith('✓ '))).toBe(true);
    expect(lines[0]).toMatch(/^✓ Doctor checks +\d+ ok, 1 warn, \d+ skip \(\d+ ms\)$/);
    expect(lines.at(-1)).toMatch(/^Smoke run smk_\S+ passed in \d+\.\d s \(activity \d+\)$/);
  });

  it('refuses a profile not marked as a sandbox: exit 2 with the fix, nothing written', async () => {
    const cli = await loggedInCli(t.sandbox, { sandboxProfile: false, connect: true });
    const { jobId, candidate } = target();
    t.sandbox.requests.length = 0;
    const result = await smoke(cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(result.code).toBe(2);
    const document = expectEnvelope(result, false);
    expect(document.error).toMatchObject({
      code: 'not_a_sandbox',
      message: expect.stringContaining('Profile "default" is not marked as a sandbox'),
      hint: expect.stringMatching(/apriora tracker login --sandbox .*--allow-production/),
    });
    expect(document.data.steps.map((step: { id: string; status: string }) => [step.id, step.status])).toEqual([
      ['doctor', 'ok'],
      ['sandbox', 'fail'],
      ['candidate', 'skip'],
      ['interview', 'skip'],
      ['write', 'skip'],
      ['read-back', 'skip'],
      ['mark', 'skip'],
    ]);
    expect(writes()).toEqual([]);
    expect(smokeActivities()).toEqual([]);
    const human = await cli.run(['smoke', '--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(
      /^Error: Profile "default" is not marked as a sandbox.*nothing was written\nTry: Mark the profile: apriora tracker login --sandbox/m,
    );
    cli.cleanup();
  });

  it('--allow-production runs on that profile', async () => {
    const cli = await loggedInCli(t.sandbox, { sandboxProfile: false, connect: true });
    const { jobId, candidate } = target();
    const result = await smoke(cli, ['--job', String(jobId), '--candidate', String(candidate.id), '--allow-production']);
    expect(result.code, result.stdout).toBe(0);
    const { data } = expectEnvelope(result, true);
    expect(data).toMatchObject({ ok: true, sandbox: false, allowProduction: true });
    expect(data.steps[1]).toMatchObject({ id: 'sandbox', status: 'ok', detail: 'profile "default" is not a sandbox: --allow-production given' });
    expect(smokeActivities()).toHaveLength(1);
    cli.cleanup();
  });

  it('a missing job or candidate is exit 2 naming the flag and the variable; the variables are read', async () => {
    const { jobId, candidate } = target();
    t.sandbox.requests.length = 0;
    const noJob = await smoke(t.cli, ['--candidate', String(candidate.id)]);
    expect(noJob.code).toBe(2);
    expect(expectEnvelope(noJob, false).error).toMatchObject({ code: 'missing_value', hint: 'Pass --job ID or set APRIORA_SMOKE_JOB.' });
    const noCandidate = await smoke(t.cli, [], { APRIORA_SMOKE_JOB: String(jobId) });
    expect(noCandidate.code).toBe(2);
    expect(noCandidate.json().error).toMatchObject({ code: 'missing_value', hint: 'Pass --candidate ID or set APRIORA_SMOKE_CANDIDATE.' });
    const human = await t.cli.run(['smoke']);
    expect(human.stderr).toBe('Error: Which Tracker job does the smoke run use?\nTry: Pass --job ID or set APRIORA_SMOKE_JOB.\n');
    const bad = await smoke(t.cli, ['--job', 'abc', '--candidate', '1']);
    expect(bad.code).toBe(2);
    expect(bad.json().error.message).toBe('--job must be a Tracker record id (a whole number), not "abc"');
    expect(t.sandbox.requests).toEqual([]);

    const fromEnv = await smoke(t.cli, [], { APRIORA_SMOKE_JOB: String(jobId), APRIORA_SMOKE_CANDIDATE: String(candidate.id) });
    expect(fromEnv.code, fromEnv.stdout).toBe(0);
    expect(fromEnv.json().data).toMatchObject({ jobId, candidateId: candidate.id });
  });

  it('a candidate Tracker does not have is exit 2 naming the flag, before anything is written to Tracker or Apriora', async () => {
    // A job whose interview does not exist yet: the run must not create it for a candidate it cannot write on.
    const job = t.sandbox.tracker.jobs.find(
      (candidate) =>
        t.sandbox.tracker.settings.opportunityStatuses.some((s) => s.Name === candidate.status && s.State === 'open') &&
        !t.sandbox.apriora.positions.some((position) => position.externalId === String(candidate.id)),
    )!;
    const positionsBefore = t.sandbox.apriora.positions.length;
    const writesBefore = writes().length;
    const result = await smoke(t.cli, ['--job', String(job.id), '--candidate', '999999']);
    expect(result.code).toBe(2);
    const document = result.json();
    expect(document.error).toMatchObject({
      code: 'candidate_not_found',
      hint: expect.stringContaining('--candidate ID (or set APRIORA_SMOKE_CANDIDATE)'),
    });
    expect(document.data.steps.map((step: { id: string; status: string }) => `${step.id} ${step.status}`)).toEqual([
      'doctor ok',
      'sandbox ok',
      'candidate fail',
      'interview skip',
      'write skip',
      'read-back skip',
      'mark skip',
    ]);
    expect(document.data.interview).toBeNull();
    expect(t.sandbox.apriora.positions).toHaveLength(positionsBefore);
    expect(writes()).toHaveLength(writesBefore);
    expect(smokeActivities()).toEqual([]);
  });

  it('a value Tracker changes fails the read-back: exit 5 naming the field, what was sent and what came back', async () => {
    const { jobId, candidate } = target();
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op !== 'createActivity') return;
      const written = smokeActivities()[0]!;
      written.customFields = written.customFields.map((field) => (field.id === 451 ? { ...field, value: 'changed by Tracker' } : field));
    });
    try {
      const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
      expect(result.code).toBe(5);
      const document = expectEnvelope(result, false);
      expect(document.error).toMatchObject({
        code: 'smoke_mismatch',
        message: expect.stringMatching(
          /^Read-back mismatch on the smoke activity \(run smk_\S+\): Feedback \(custom field 451\) sent "Apriora smoke check .*", got "changed by Tracker"$/,
        ),
      });
      expect(document.data.steps.slice(-2).map((step: { status: string }) => step.status)).toEqual(['fail', 'skip']);
      expect(document.data.activity.fields[3]).toMatchObject({ field: 'feedback', got: 'changed by Tracker', same: false });
      // Not marked as passed.
      expect(smokeActivities()[0]!.subject).toContain('— written [apriora smoke]');
    } finally {
      unsubscribe();
    }
  });

  it('stops at its time budget with its own code, exit 5', async () => {
    const { jobId, candidate } = target();
    const positionsBefore = t.sandbox.apriora.positions.length;
    const writesBefore = writes().length;
    const started = Date.now();
    const unsubscribe = slowAfterCandidateRead(3000);
    let result: Awaited<ReturnType<typeof smoke>>;
    try {
      result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id), '--timeout', '1']);
    } finally {
      unsubscribe();
    }
    // Stopped at the budget, not when the slow answer came.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(result.code).toBe(5);
    const document = expectEnvelope(result, false);
    expect(document.error).toMatchObject({
      code: 'smoke_timeout',
      message: 'The smoke run did not finish within its time budget of 1 s',
      hint: "Give it more time with --timeout SECONDS; the report's steps (data.steps with --json) show which one was slow.",
    });
    // The budget ran out in the interview step, after doctor's checks (the answers slow after the candidate's read).
    expect(document.data.steps.map((step: { id: string; status: string }) => `${step.id} ${step.status}`)).toEqual([
      'doctor ok',
      'sandbox ok',
      'candidate ok',
      'interview fail',
      'write skip',
      'read-back skip',
      'mark skip',
    ]);
    expect(document.data.timeoutSeconds).toBe(1);
    // Stopped cleanly: the requests under way were abandoned, so nothing is written once the slow answer comes (and
    // the answers after it would be quick).
    t.sandbox.faults.configure({ latencyMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(t.sandbox.apriora.positions).toHaveLength(positionsBefore);
    expect(writes()).toHaveLength(writesBefore);
    expect(smokeActivities()).toEqual([]);
  });

  it('rejects a time budget beyond a day as a usage error naming the range (exit 2, nothing asked)', async () => {
    const { jobId, candidate } = target();
    t.sandbox.requests.length = 0;
    for (const timeout of ['2147484', '86401', '0']) {
      const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id), '--timeout', timeout]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.json().error.message).toContain(
        `option '--timeout <seconds>' argument '${timeout}' is invalid. must be a whole number of seconds from 1 to 86400.`,
      );
      expect(result.stderr).not.toContain('TimeoutOverflowWarning');
    }
    expect(t.sandbox.requests).toEqual([]);
  });

  it('Ctrl-C stops the run: exit 130 with the steps done so far', async () => {
    const { jobId, candidate } = target();
    let slow!: () => void;
    const slowed = new Promise<void>((resolve) => {
      slow = resolve;
    });
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op !== 'getIndividualRecord') return;
      t.sandbox.faults.configure({ latencyMs: 2000 });
      slow();
    });
    const running = t.cli.start(['smoke', '--json', '--job', String(jobId), '--candidate', String(candidate.id)]);
    running.stdin.end();
    await slowed;
    unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.controller.abort();
    const result = await running.done;
    t.sandbox.faults.configure({ latencyMs: 0 });
    expect(result.code).toBe(130);
    const document = expectEnvelope(result, false);
    expect(document.error.code).toBe('interrupted');
    const statuses: string[] = document.data.steps.map((step: { status: string }) => step.status);
    const failed = statuses.indexOf('fail');
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(0, failed).every((status) => status === 'ok')).toBe(true);
    expect(statuses.slice(failed + 1).every((status) => status === 'skip')).toBe(true);
  });

  it('an answer lost after Tracker wrote the activity: looked up before writing again, one activity, the run passes', async () => {
    const { jobId, candidate } = target();
    t.sandbox.faults.push({ kind: 'after-commit', op: 'createActivity', api: 'tracker' });
    const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(result.code, result.stdout).toBe(0);
    expect(smokeActivities()).toHaveLength(1);
    expect(t.sandbox.requests.filter((request) => request.op === 'createActivity')).toHaveLength(1);
  });

  it('an answer lost on the mark: read back, the mark landed, the run passes (reset or 502)', async () => {
    const { jobId, candidate } = target();
    for (const mode of ['reset', '502'] as const) {
      t.sandbox.requests.length = 0;
      t.sandbox.faults.push({ kind: 'after-commit', op: 'updateRecord', api: 'tracker', mode });
      const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
      expect(result.code, result.stdout).toBe(0);
      const data = expectEnvelope(result, true).data;
      const activity = t.sandbox.tracker.activities.find((row) => row.id === data.activity.id)!;
      expect(activity.subject).toBe(`Apriora smoke check ${data.runId} — passed [apriora smoke]`);
      expect(t.sandbox.requests.filter((request) => request.op === 'updateRecord')).toHaveLength(1);
    }
  });

  it('a mark Tracker keeps failing: exit 5 with the fix that holds for smoke (a new run, a new activity)', async () => {
    const { jobId, candidate } = target();
    for (let i = 0; i < 3; i++) t.sandbox.faults.push({ kind: '5xx', op: 'updateRecord', api: 'tracker' });
    const result = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(result.code, result.stdout).toBe(5);
    const document = expectEnvelope(result, false);
    expect(document.error.hint).toBe(
      `Run \`apriora smoke\` again when Tracker answers: a new run writes a new smoke activity (activity ${document.data.activity.id} of this run stays marked "written").`,
    );
    expect(t.sandbox.tracker.activities.find((row) => row.id === document.data.activity.id)!.subject).toContain('— written');
  });

  it('SIGINT during the read-back: the step says "interrupted (Ctrl-C)" and the run names the activity it wrote', async () => {
    const { jobId, candidate } = target();
    let reading!: () => void;
    const readBack = new Promise<void>((resolve) => {
      reading = resolve;
    });
    let written = false;
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op === 'createActivity') written = true;
      else if (written && request.op === 'getRecords') {
        t.sandbox.faults.configure({ latencyMs: 2000 });
        reading();
      }
    });
    const running = t.cli.start(['smoke', '--json', '--job', String(jobId), '--candidate', String(candidate.id)]);
    running.stdin.end();
    await readBack;
    unsubscribe();
    t.sandbox.faults.configure({ latencyMs: 0 });
    running.controller.abort('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    const document = expectEnvelope(result, false);
    const written_ = smokeActivities().find((row) => row.subject.includes(document.data.runId))!;
    expect(document.data.activity.id).toBe(written_.id);
    expect(document.error.message).toBe(`The smoke run was interrupted (Ctrl-C); its activity ${written_.id} stays in Tracker`);
    expect(document.data.steps.find((step: { id: string }) => step.id === 'read-back')).toMatchObject({ status: 'fail', detail: 'interrupted (Ctrl-C)' });
  });

  it('a re-run finds the interview (no second position) and writes a new smoke activity', async () => {
    const { jobId, candidate } = target();
    const args = ['--job', String(jobId), '--candidate', String(candidate.id)];
    const first = await smoke(t.cli, args);
    const second = await smoke(t.cli, args);
    expect(second.code, second.stdout).toBe(0);
    expect(second.json().data.interview).toMatchObject({ status: 'exists', positionId: first.json().data.interview.positionId });
    expect(t.sandbox.apriora.positions.filter((position) => position.externalId === String(jobId))).toHaveLength(1);
    expect(smokeActivities().map((activity) => activity.subject)).toEqual([
      `Apriora smoke check ${first.json().data.runId} — passed [apriora smoke]`,
      `Apriora smoke check ${second.json().data.runId} — passed [apriora smoke]`,
    ]);
  });

  it('activity push afterwards never takes the smoke activity for an interview result', async () => {
    const { jobId, candidate } = target();
    const run = await smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)]);
    expect(run.code).toBe(0);
    const before = structuredClone(smokeActivities());
    const { positionId } = run.json().data.interview;
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: candidate.email });

    const byReport = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(byReport.code, byReport.stdout).toBe(0);
    expect(byReport.json().data.items).toEqual([expect.objectContaining({ reportId: report.reportId, status: 'created' })]);
    const byJob = await t.cli.run(['activity', 'push', '--job', String(jobId), '--json']);
    expect(byJob.code, byJob.stdout).toBe(0);
    expect(byJob.json().data.items).toEqual([expect.objectContaining({ reportId: report.reportId, status: 'skipped' })]);

    expect(smokeActivities()).toEqual(before);
    const results = t.sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${report.reportId}]`));
    expect(results).toHaveLength(1);
    expect(results[0]!.id).not.toBe(before[0]!.id);
  });

  it('doctor failing on hosts that refuse connections: the profile is still reported a sandbox, and no listener warning', async () => {
    const { jobId, candidate } = target();
    const down = await refusedUrl();
    // The secrets in the environment: the stored ones are never sent to a host other than the one they were saved for.
    const { apiKey, password, aprioraApiKey } = t.sandbox.credentials;
    const secrets = { TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password, APRIORA_API_KEY: aprioraApiKey };
    const env = { ...secrets, TRACKER_BASE_URL: down, TRACKER_REST_BASE_URL: down, APRIORA_BASE_URL: down };
    const { result, warnings } = await warningsDuring(() => smoke(t.cli, ['--job', String(jobId), '--candidate', String(candidate.id)], env));
    expect(result.code).toBe(5);
    expect(warnings).toEqual([]);
    const document = expectEnvelope(result, false);
    expect(document.data.sandbox).toBe(true);
    expect(document.data.steps[0]).toMatchObject({ id: 'doctor', status: 'fail' });
  });
});

describe('apriora help ci', () => {
  useNoKeychain();

  it('prints a GitHub Actions workflow whose steps each have a name and a run (or uses) line', async () => {
    const result = await new TestCli().run(['help', 'ci']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(CI_WORKFLOW.trimEnd());
    const steps = CI_WORKFLOW.split('\n    steps:\n')[1]!.split(/\n(?= {6}- )/);
    expect(steps.length).toBeGreaterThanOrEqual(6);
    for (const step of steps) {
      expect(step).toMatch(/^ {6}- name: \S/);
      expect(step).toMatch(/\n {8}(run|uses): \S/);
    }
    expect(CI_WORKFLOW).not.toContain('\t');
    for (const name of ['TRACKER_API_KEY', 'TRACKER_PASSWORD', 'APRIORA_API_KEY']) expect(CI_WORKFLOW).toContain(`${name}: \${{ secrets.${name} }}`);
    expect(CI_WORKFLOW).toContain('node-version: 20');
  });

  it("the workflow's run lines, in order, pass against the sandbox with env credentials and no keychain", async () => {
    const cli = new TestCli();
    const { apiKey, password, username, aprioraApiKey } = t.sandbox.credentials;
    const { jobId, candidate } = target();
    const env: Record<string, string | undefined> = {
      ...KEYCHAIN_STORE,
      APRIORA_PROFILE: 'ci-sandbox',
      TRACKER_BASE_URL: t.sandbox.trackerUrl,
      TRACKER_USERNAME: username,
      TRACKER_API_KEY: apiKey,
      TRACKER_PASSWORD: password,
      APRIORA_API_KEY: aprioraApiKey,
      APRIORA_BASE_URL: t.sandbox.aprioraUrl,
      APRIORA_SMOKE_JOB: String(jobId),
      APRIORA_SMOKE_CANDIDATE: String(candidate.id),
    };
    const lines = [...CI_WORKFLOW.matchAll(/^ +run: (.+)$/gm)].map((match) => match[1]!);
    // The install line packs the checked-out repository and installs the tarball (not a registry name).
    expect(lines[0]).toBe('npm ci && npm pack && npm install --global ./apriora-tracker-*.tgz');
    let last: Awaited<ReturnType<TestCli['run']>> | undefined;
    for (const line of lines.slice(1)) {
      const words = line.split(' ').map((word) => word.replace(/^"\$(\w+)"$/, (_, name: string) => env[name] ?? ''));
      expect(words[0]).toBe('apriora');
      const args = words.slice(1);
      expect(args[0]! in REGISTRY.commands, line).toBe(true);
      last = await cli.run(args, { env });
      expect(last.code, `${line}\n${last.stdout}${last.stderr}`).toBe(0);
    }
    expect(last!.json().data).toMatchObject({ ok: true, profile: 'ci-sandbox', sandbox: true });
    // The profile holds the settings and the sandbox mark, and no secret was stored anywhere.
    expect(cli.config().profiles['ci-sandbox']).toMatchObject({ sandbox: true, credentialStore: 'env', tracker: { baseUrl: t.sandbox.trackerUrl, username } });
    expect(cli.storedSecrets()).toBeUndefined();
    cli.cleanup();
  });
});
