import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { BIN, type CliResult, CliSandbox, expectEnvelope } from './harness.js';

let sandbox: RunningSandbox;
let cli: CliSandbox;

const SECRETS = () => [sandbox.credentials.apiKey, sandbox.credentials.password];

function login(extra: string[] = [], input?: string): Promise<CliResult> {
  const { apiKey, password, username } = sandbox.credentials;
  return cli.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--username', username, '--api-key-stdin', '--password-stdin', ...extra], {
    input: input ?? `${apiKey}\n${password}\n`,
  });
}

function requestsFor(op: string) {
  return sandbox.requests.filter((request) => request.op === op);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 250 }) });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  cli = new CliSandbox();
});
afterEach(() => cli.cleanup());

describe('apriora tracker login / status / logout', () => {
  it('verifies good credentials, stores them (never in config), and status then passes', async () => {
    const result = await login(['--json']);
    expect(result.code, result.stderr).toBe(0);
    const document = expectEnvelope(result, true);
    expect(document.data).toMatchObject({
      profile: 'default',
      host: sandbox.trackerUrl,
      username: sandbox.credentials.username,
      credentialStore: 'file',
      sandbox: true,
    });

    // checkLogon went out with the exact envelope and credentials
    const [logon] = requestsFor('checkLogon');
    expect(logon?.body).toEqual({
      // the sandbox log masks credentials; that they were right is proven by status 0
      trackerrms: { checkLogon: { credentials: { username: '***', password: '***', apikey: '***', oauthtoken: '' } } },
    });

    const config = readFileSync(join(cli.configDir, 'config.json'), 'utf8');
    for (const secret of SECRETS()) expect(config).not.toContain(secret);
    const credentialsFile = join(cli.configDir, 'credentials.json');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(statSync(cli.configDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(cli.configDir, 'config.json')).mode & 0o777).toBe(0o600);

    const status = await cli.run(['tracker', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(expectEnvelope(status, true).data).toMatchObject({
      profile: 'default',
      host: sandbox.trackerUrl,
      username: sandbox.credentials.username,
      credentialSources: { username: 'profile', apiKey: 'file', password: 'file' },
      logon: { ok: true },
      namingConventions: { opportunity: 'Job', resource: 'Candidate' },
      fieldMap: null,
    });

    const human = await cli.run(['tracker', 'status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Logon\s+✓ accepted by Tracker/);
    expect(human.stdout).toMatch(/Jobs are called\s+Job/);
  });

  it('rejected credentials exit 4 and store nothing', async () => {
    const result = await login(['--json'], `wrong-key\nwrong-password\n`);
    expect(result.code).toBe(4);
    expect(expectEnvelope(result, false).error.code).toBe('tracker_user_not_found');
    expect(existsSync(join(cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(cli.configDir, 'config.json'))).toBe(false);

    const human = await login([], `wrong-key\nwrong-password\n`);
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Tracker rejected the credentials/m);
    expect(human.stderr).toMatch(/^Try: /m);
  });

  it('without a terminal, a missing value is exit 2 naming the flag and env var', async () => {
    const result = await cli.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--username', 'x@y.z']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/API Key is required/);
    expect(result.stderr).toMatch(/--api-key-stdin or set TRACKER_API_KEY/);
  });

  it('credentials from the environment win over stored ones, and status says so', async () => {
    expect((await login()).code).toBe(0);
    const status = await cli.run(['tracker', 'status', '--json'], { env: { TRACKER_API_KEY: 'env-key-that-is-wrong' } });
    expect(status.code).toBe(4);
    const document = status.json();
    expect(document.data).toMatchObject({ credentialSources: { apiKey: 'env', password: 'file' }, logon: { ok: false } });
    expect(document.error.code).toBe('tracker_user_not_found');
  });

  it('status without a login exits 4 and says how to log in', async () => {
    const result = await cli.run(['tracker', 'status']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Not logged in to Tracker/);
    expect(result.stderr).toMatch(/apriora tracker login/);
  });

  it('logout removes the stored secrets', async () => {
    expect((await login()).code).toBe(0);
    const result = await cli.run(['tracker', 'logout', '--json']);
    expect(result.code).toBe(0);
    expect(result.json().data.removed).toEqual(['tracker.apiKey', 'tracker.password']);
    const stored = readFileSync(join(cli.configDir, 'credentials.json'), 'utf8');
    for (const secret of SECRETS()) expect(stored).not.toContain(secret);
    expect((await cli.run(['tracker', 'status'])).code).toBe(4);
  });
});

describe('apriora tracker fields', () => {
  beforeEach(async () => {
    expect((await login()).code).toBe(0);
  });

  it('map --auto picks the four activity fields, not the look-alikes, and saves them', async () => {
    const result = await cli.run(['tracker', 'fields', 'map', '--auto', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    const activityFields = sandbox.tracker.settings.customFields.filter((field) => field.Association === 'Activity');
    const idOf = (name: string) => activityFields.find((field) => field.Name === name)!.Id;
    expect(data.fields.map((field: { key: string; id: number; association: string }) => [field.key, field.id, field.association])).toEqual([
      ['overallScore', idOf('Overall Score'), 'Activity'],
      ['reportLink', idOf('Report link'), 'Activity'],
      ['gradingCriteria', idOf('Grading Criteria'), 'Activity'],
      ['feedback', idOf('Feedback'), 'Activity'],
    ]);
    // the look-alikes exist and were passed over
    const lookalikes = sandbox.tracker.settings.customFields.filter(
      (field) => field.Association !== 'Activity' && ['Overall Score', 'Report Link', 'Feedback'].includes(field.Name),
    );
    expect(lookalikes.length).toBeGreaterThanOrEqual(3);
    expect(data.activityType).toBe('Apriora Interview');
    expect(data.saved).toBe(true);

    const config = JSON.parse(readFileSync(join(cli.configDir, 'config.json'), 'utf8'));
    expect(config.profiles.default.tracker.fieldMap).toEqual({
      overallScore: String(idOf('Overall Score')),
      reportLink: String(idOf('Report link')),
      gradingCriteria: String(idOf('Grading Criteria')),
      feedback: String(idOf('Feedback')),
    });
    const status = await cli.run(['tracker', 'status', '--json']);
    expect(status.json().data.fieldMap).toEqual(config.profiles.default.tracker.fieldMap);
  });

  it('explicit ids are validated: unknown id, a look-alike of another association, a non-number: exit 2', async () => {
    const base = ['tracker', 'fields', 'map', '--report-link', '449', '--grading-criteria', '450', '--feedback', '451'];
    const unknown = await cli.run([...base, '--overall-score', '9999', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.json().error.code).toBe('unknown_field');

    const lookalike = sandbox.tracker.settings.customFields.find((field) => field.Association === 'Resource' && field.Name === 'Overall Score')!;
    const wrong = await cli.run([...base, '--overall-score', String(lookalike.Id)]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/belongs to Resource, not to activities/);

    const word = await cli.run([...base, '--overall-score', 'abc']);
    expect(word.code).toBe(2);
    expect(
      existsSync(join(cli.configDir, 'config.json')) && JSON.parse(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).profiles.default.tracker.fieldMap,
    ).toBeFalsy();

    const ok = await cli.run([...base, '--overall-score', '448', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a missing activity type exits 2 and says what to ask Tracker Support for', async () => {
    const result = await cli.run(['tracker', 'fields', 'map', '--auto', '--activity-type', 'AI Screening']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no activity type "AI Screening"/);
    expect(result.stderr).toMatch(/support-request custom-activity/);
  });

  it('--auto with ambiguous fields exits 2 listing the candidates', async () => {
    sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const result = await cli.run(['tracker', 'fields', 'map', '--auto', '--json']);
    expect(result.code).toBe(2);
    const error = result.json().error;
    expect(error.code).toBe('field_map_ambiguous');
    expect(error.details.fields).toEqual([
      { field: 'Feedback', flag: '--feedback', candidates: [expect.objectContaining({ id: 451 }), expect.objectContaining({ id: 990 })] },
    ]);
  });

  it('fields list shows associations, ids and activity types', async () => {
    const result = await cli.run(['tracker', 'fields', 'list', '--association', 'activity', '--json']);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.customFields.every((field: { association: string }) => field.association === 'Activity')).toBe(true);
    expect(data.activityTypes).toContainEqual(expect.objectContaining({ name: 'Apriora Interview' }));
  });
});

describe('apriora tracker jobs', () => {
  beforeEach(async () => {
    expect((await login()).code).toBe(0);
    sandbox.requests.length = 0;
  });

  it('jobs list pages correctly across 250 jobs (0-based pages until a short page)', async () => {
    const result = await cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const jobs = expectEnvelope(result, true).data.jobs as { id: number }[];
    expect(jobs).toHaveLength(250);
    expect(new Set(jobs.map((job) => job.id)).size).toBe(250);
    expect(jobs.map((job) => job.id)).toEqual(sandbox.tracker.jobs.map((job) => job.id).sort((a, b) => a - b));
    const pages = requestsFor('getRecords').map((request) => (request.body as any).trackerrms.getRecords.instructions);
    expect(pages.map((page) => [page.recordtype, page.numrecords, page.pagenum])).toEqual([
      ['O', 100, 0],
      ['O', 100, 1],
      ['O', 100, 2],
    ]);
  });

  it('--state, --limit and ndjson stream what Tracker holds', async () => {
    const open = sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').length;
    expect(open).toBeGreaterThan(100);
    expect(open).toBeLessThan(250);
    const openResult = await cli.run(['tracker', 'jobs', 'list', '--json']);
    expect(openResult.json().data.count).toBe(open);

    sandbox.requests.length = 0;
    const limited = await cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--limit', '120', '--output', 'ndjson']);
    expect(limited.code).toBe(0);
    const lines = limited.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(120);
    expect(lines[0]).toEqual(expect.objectContaining({ id: expect.any(Number), title: expect.any(String) }));
    expect(requestsFor('getRecords')).toHaveLength(2);
  });

  it('jobs show prints the job with a clean-text description; a bad id is exit 2', async () => {
    const job = sandbox.tracker.jobs[0]!;
    const human = await cli.run(['tracker', 'jobs', 'show', String(job.id)]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(job.title);
    expect(human.stdout).not.toMatch(/<\/?(p|ul|li)>/);
    const json = await cli.run(['tracker', 'jobs', 'show', String(job.id), '--json']);
    expect(json.json().data.job).toMatchObject({ id: job.id });
    expect((await cli.run(['tracker', 'jobs', 'show', 'JOB-1'])).code).toBe(2);
    const missing = await cli.run(['tracker', 'jobs', 'show', '1', '--json']);
    expect(missing.code).toBe(5);
    expect(missing.json().error.code).toBe('not_found');
  });
});

describe('global behaviour', () => {
  it('--debug traces every request but never a secret value, on success or failure', async () => {
    const good = await login(['--debug']);
    const status = await cli.run(['tracker', 'status', '--debug']);
    const fields = await cli.run(['--debug', 'tracker', 'fields', 'list', '--json']);
    const bad = await login(['--debug'], `${sandbox.credentials.apiKey}\nnot-the-password\n`);
    expect([good.code, status.code, fields.code, bad.code]).toEqual([0, 0, 0, 4]);
    expect(status.stderr).toMatch(/\[debug\] -> POST .*\/api\/widget\/checkLogon/);
    expect(status.stderr).toMatch(/"authorization":"\*\*\*"/);
    for (const result of [good, status, fields, bad]) {
      for (const secret of [
        ...SECRETS(),
        'not-the-password',
        Buffer.from(`${sandbox.credentials.username}:${sandbox.credentials.password}`).toString('base64'),
      ]) {
        expect(result.stdout).not.toContain(secret);
        expect(result.stderr).not.toContain(secret);
      }
    }
  });

  it('usage errors exit 2, in the JSON envelope with --json', async () => {
    const human = await cli.run(['tracker', 'jobs', 'list', '--bogus']);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^Error: unknown option '--bogus'/m);
    expect(human.stderr).toMatch(/^Try: apriora tracker jobs list --help/m);
    const json = await cli.run(['tracker', 'jobs', 'list', '--limit', 'x', '--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error.code).toBe('usage_error');
    expect((await cli.run(['tracker', 'jobs', 'list', '--output', 'xml'])).code).toBe(2);
  });

  it('--version and --help exit 0 and load only the definitions they show, never a client, store or workflow', async () => {
    const trace = ['--import', join(__dirname, 'fixtures', 'trace-imports.mjs')];
    const cases: [string[], string[]][] = [
      [['--version'], []],
      [['--help'], ['login', 'logout', 'status', 'help']],
      [['tracker', 'login', '--help'], ['tracker/login']],
      [['tracker', 'fields', 'map', '--help'], ['tracker/fields/map']],
      [['interview', 'generate', '--help'], ['interview/generate']],
      [['activity', 'listen', '--help'], ['activity/listen']],
    ];
    for (const [args, commands] of cases) {
      const result = await cli.run(args, { extraNodeArgs: trace });
      expect(result.code).toBe(0);
      const loaded = result.stderr.split('\n').filter((line) => line.startsWith('[loaded]'));
      expect(loaded.some((line) => line.includes('/dist/cli/main.js'))).toBe(true);
      expect(loaded.filter((line) => /\/dist\/(tracker|apriora|store|sandbox|http|workflows|webhooks)\//.test(line))).toEqual([]);
      expect(loaded.filter((line) => /\/node_modules\/(zod|@napi-rs|html-to-text|cli-table3|@inquirer|csv-parse|p-throttle)\//.test(line))).toEqual([]);
      const commandFiles = loaded.map((line) => /\/dist\/commands\/(.+)\.js$/.exec(line)?.[1]).filter(Boolean);
      expect(commandFiles.sort()).toEqual([...commands].sort());
    }
    const run = await cli.run(['tracker', 'support-request', 'credentials'], { extraNodeArgs: trace });
    expect(run.stderr).toContain('/dist/commands/tracker/support-request.js');
  });

  it('an invalid profile name is exit 2 before anything is stored', async () => {
    const result = await login(['--profile', 'bad name']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid profile name "bad name"/);
    expect(existsSync(join(cli.configDir, 'credentials.json'))).toBe(false);
  });

  it('a reader that closes the pipe early (| head -1) ends the command quietly', async () => {
    expect((await login()).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'tracker', 'jobs', 'list', '--state', 'all', '--output', 'ndjson', '--page-size', '10'], { env: cli.env() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = await once(child, 'close');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('support-request prints both requests, ready to send', async () => {
    const credentials = await cli.run(['tracker', 'support-request', 'credentials', '--company', 'Acme Staffing']);
    expect(credentials.code).toBe(0);
    expect(credentials.stdout).toMatch(/^Subject: .*Acme Staffing/);
    expect(credentials.stdout).toMatch(/API Key/);
    const activity = await cli.run(['tracker', 'support-request', 'custom-activity', '--json']);
    const data = activity.json().data;
    for (const field of ['Apriora Interview', 'Overall Score', 'Report link', 'Grading Criteria', 'Feedback']) expect(data.body).toContain(field);
    expect((await cli.run(['tracker', 'support-request', 'coffee'])).code).toBe(2);
  });
});
