/**
 * `npm run demo`: Apriora's Tracker integration guide end to end — the Tracker side (support request, login with the
 * REST API token, field map, jobs), the Apriora side (login, `tracker connect`, interviews generated from the open
 * jobs), a job's applicants invited (each invitation a "Not Started" activity in Tracker), then interview results pushed
 * into Tracker (the invited candidate's activity completed in place) — against the local sandbox, in a few seconds.
 *
 * Every step runs the real built CLI (bin/apriora.js) in a child process, with a throwaway config dir, the file
 * credential store and no TRACKER_* / APRIORA_* variables from the caller: no network, no keychain, nothing left
 * behind. Secrets are piped on stdin, never shown, and a step whose output contains one fails the demo. The sandbox
 * (Tracker and Apriora emulators) runs in this process on a free port; it and the temp dir are removed on success,
 * failure and Ctrl-C alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { type RunningSandbox, startSandbox } from '../sandbox/index.js';
import { type CliRun, demoEnv, runCli, shellQuote } from './cli-runner.js';

const COMPANY = 'Acme Staffing';

class StepFailed extends Error {
  constructor(readonly exitCode: number) {
    super(`step failed with exit code ${exitCode}`);
  }
}

class Interrupted extends Error {
  constructor(readonly exitCode: number) {
    super('interrupted');
  }
}

function useColor(): boolean {
  const env = process.env;
  if ('NO_COLOR' in env || env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(process.stdout.isTTY);
}

const color = useColor();
const c = pc.createColors(color);
const out = (text = '') => process.stdout.write(`${text}\n`);

interface Step {
  title: string;
  args: string[];
  /** Secrets piped on stdin; the printed command line says so (`inputNote`) instead of showing them. */
  input?: string;
  inputNote?: string;
  /** What to print of the output; default: all of stdout. */
  show?: (run: CliRun) => string | undefined;
  /** stderr is part of what `show` prints: not echoed as warnings. */
  quiet?: boolean;
}

async function main(): Promise<number> {
  const started = performance.now();
  const aborter = new AbortController();
  let interruptCode = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interruptCode ||= signal === 'SIGINT' ? 130 : 143;
    aborter.abort(new Interrupted(interruptCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let sandbox: RunningSandbox | undefined;
  let workDir: string | undefined;
  let steps = 0;
  try {
    sandbox = await startSandbox({ port: 0 });
    workDir = await mkdtemp(join(tmpdir(), 'apriora-demo-'));
    const env = demoEnv(join(workDir, 'config'), join(workDir, 'data'), color);
    const { credentials, trackerUrl, aprioraUrl } = sandbox;
    const secrets = [credentials.apiKey, credentials.password, credentials.restToken, credentials.aprioraApiKey];

    out(`${c.bold('Apriora × Tracker RMS: the integration guide, end to end')}`);
    out(c.dim(`Local sandbox: Tracker at ${trackerUrl}, Apriora at ${aprioraUrl}.`));
    out(c.dim('Profile "demo" in a throwaway config dir; no network, no keychain.'));

    const part = (title: string) => {
      out();
      out(c.bold(`━━ ${title}`));
    };

    /** Runs the CLI; a step that printed a secret or failed stops the demo. */
    const runChecked = async (args: string[], input?: string): Promise<CliRun> => {
      const line = ['apriora', ...args].map(shellQuote).join(' ');
      const result = await runCli(args, { env, input, signal: aborter.signal });
      if (aborter.signal.aborted) throw aborter.signal.reason;
      if (secrets.some((secret) => result.stdout.includes(secret) || result.stderr.includes(secret))) {
        process.stderr.write(`${c.red('✗')} ${line} printed a secret; its output is withheld\n`);
        throw new StepFailed(1);
      }
      if (result.code !== 0) {
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
        const code = result.code ?? 1;
        process.stderr.write(`${c.red('✗')} ${line} exited with ${result.code ?? result.signal}\n`);
        throw new StepFailed(code === 0 ? 1 : code);
      }
      return result;
    };

    /** The `data` of a command run with --json, not shown: what a script reads to choose its next step. */
    const json = async <T>(args: string[]): Promise<T> => (JSON.parse((await runChecked(args)).stdout) as { data: T }).data;

    const run = async (step: Step): Promise<CliRun> => {
      if (aborter.signal.aborted) throw aborter.signal.reason;
      steps++;
      out();
      out(c.bold(c.cyan(`▸ ${step.title}`)));
      const line = ['apriora', ...step.args].map(shellQuote).join(' ');
      out(`${c.dim('$')} ${c.bold(line)}${step.input === undefined ? '' : c.dim(`   # ${step.inputNote ?? 'secrets'} piped on stdin`)}`);
      const result = await runChecked(step.args, step.input);
      const shown = step.show ? step.show(result) : result.stdout;
      if (shown) out(shown.replace(/\n+$/, ''));
      if (result.stderr.trim() && !step.quiet) process.stderr.write(result.stderr); // warnings, if any
      return result;
    };

    part('Tracker RMS');

    await run({
      title: 'Ask Tracker Support for the "Apriora Interview" activity and its four fields',
      args: ['tracker', 'support-request', 'custom-activity', '--company', COMPANY],
      show: ({ stdout }) => {
        const lines = stdout.trimEnd().split('\n');
        const fields = lines.filter((text) => /^ {7}\S/.test(text));
        return [lines[0], ...fields, c.dim(`(the whole e-mail is ${lines.length} lines; run the command to see it)`)].join('\n');
      },
    });

    await run({
      title: 'Log in with the API credentials Tracker Support issued, and the REST API token for applicants (verified, then stored)',
      args: [
        'tracker',
        'login',
        '--sandbox',
        '--base-url',
        trackerUrl,
        '--username',
        credentials.username,
        '--api-key-stdin',
        '--password-stdin',
        '--rest-token-stdin',
        // The local sandbox has no rate limit: the minute's budget may go at once instead of one request every 0.67 s.
        '--rate-burst',
        '90',
      ],
      input: `${credentials.apiKey}\n${credentials.password}\n${credentials.restToken}\n`,
      inputNote: 'API Key, API Password and REST API token',
    });

    await run({ title: 'Check the connection', args: ['tracker', 'status'] });

    await run({ title: "Map the activity's custom fields to this database's field ids", args: ['tracker', 'fields', 'map', '--auto'] });

    await run({ title: 'List the open jobs', args: ['tracker', 'jobs', 'list', '--limit', '8'] });

    const first = await run({ title: 'Pick the first open job, as a script would', args: ['tracker', 'jobs', 'list', '--json', '--limit', '1'] });
    const jobId = (JSON.parse(first.stdout) as { data: { jobs: { id: number }[] } }).data.jobs[0]?.id;
    if (jobId === undefined) {
      process.stderr.write(`${c.red('✗')} the sandbox has no open job\n`);
      throw new StepFailed(1);
    }

    await run({ title: `Show job ${jobId}`, args: ['tracker', 'jobs', 'show', String(jobId)] });

    await run({
      title: 'Count every job, open and closed',
      args: ['tracker', 'jobs', 'list', '--state', 'all', '--json'],
      show: ({ stdout }) => {
        const count = (JSON.parse(stdout) as { data: { count: number } }).data.count;
        return `${count} jobs in the sandbox`;
      },
    });

    part('Apriora');

    await run({
      title: 'Log in to Apriora with the API key (verified, then stored); interviews default to phone',
      args: ['login', '--sandbox', '--base-url', aprioraUrl, '--api-key-stdin', '--modality', 'phone'],
      input: `${credentials.aprioraApiKey}\n`,
      inputNote: 'Apriora API key',
    });

    await run({
      title: "Hand the Tracker credentials and field map to Apriora's Tracker integration",
      args: ['tracker', 'connect'],
    });

    await run({ title: 'Both connections at a glance', args: ['status'] });

    await run({ title: 'Create one Apriora interview per open job', args: ['interview', 'generate', '--all-open'] });

    await run({
      title: `Run it again for job ${jobId}: found, not duplicated`,
      args: ['interview', 'generate', '--job', String(jobId)],
    });

    await run({ title: 'List the interviews linked to Tracker jobs', args: ['interview', 'list'] });

    part('Invitations');

    const positions = (await json<{ interviews: Interview[] }>(['interview', 'list', '--json'])).interviews;
    const withInterview = new Map(positions.flatMap((position) => (position.externalId ? [[Number(position.externalId), position] as const] : [])));
    let invitedJob: { jobId: number; title: string; position: Interview; applied: number } | undefined;
    await run({
      title: 'Pick the job with an interview and the most Applied applicants, as a script would',
      args: ['tracker', 'applicants', 'list', '--all-open', '--status', 'Applied', '--json'],
      show: ({ stdout }) => {
        const applicants = (JSON.parse(stdout) as { data: { applicants: { jobId: number; jobName: string }[] } }).data.applicants;
        const perJob = new Map<number, number>();
        for (const applicant of applicants) perJob.set(applicant.jobId, (perJob.get(applicant.jobId) ?? 0) + 1);
        for (const [jobId, applied] of perJob) {
          const position = withInterview.get(jobId);
          if (position && applied > (invitedJob?.applied ?? 0)) invitedJob = { jobId, title: position.title, position, applied };
        }
        return invitedJob
          ? `${applicants.length} Applied applicants on the open jobs; job ${invitedJob.jobId} (${invitedJob.title}) has ${invitedJob.applied}, ` +
              `and its ${invitedJob.position.modality} interview is ${invitedJob.position.positionId}`
          : undefined;
      },
    });
    if (!invitedJob) {
      process.stderr.write(`${c.red('✗')} no job with an interview has Applied applicants\n`);
      throw new StepFailed(1);
    }
    const job = String(invitedJob.jobId);
    const position = invitedJob.position;

    await run({ title: `The applicants of job ${job}, read through Tracker's REST API`, args: ['tracker', 'applicants', 'list', '--job', job] });

    await run({
      title: `Invite its Applied applicants to the ${position.modality} interview; each invitation becomes a "Not Started" activity in Tracker`,
      args: ['interview', 'invite', '--job', job, '--applicants'],
    });

    await run({
      title: 'Run it again: every applicant is found already invited, nothing is sent or written twice',
      args: ['interview', 'invite', '--job', job, '--applicants'],
      show: summaryOnly,
    });

    await run({ title: `The invitations to the interview of job ${job}, as Apriora has them`, args: ['interview', 'invitations', '--job', job] });

    /** A candidate applies to the job in the sandbox, as through the customer's careers site. */
    const apply = (title: string, [email, firstName, lastName, phone]: [string, string, string, string]) =>
      run({
        title,
        args: [
          'sandbox',
          'apply',
          '--sandbox-url',
          sandbox!.url,
          '--job',
          job,
          '--email',
          email,
          '--first-name',
          firstName,
          '--last-name',
          lastName,
          '--phone',
          phone,
        ],
      });

    await apply(`Someone new applies to job ${job} on the careers site (simulated)`, ['new.person@example.com', 'Nora', 'Person', '(617) 555-0199']);

    await run({
      title: 'Invite the applicants again: only the new one is invited',
      args: ['interview', 'invite', '--job', job, '--applicants'],
      show: ({ stdout }) => withoutRows(stdout, /already invited|skipped/),
    });

    // The first applicant invited (in the applicants' order) takes the interview below.
    const applicants = (
      await json<{ applicants: { candidateId: number; email: string; name: string }[] }>(['tracker', 'applicants', 'list', '--job', job, '--json'])
    ).applicants;
    const invited = new Set(
      (await json<{ invitations: { email: string }[] }>(['interview', 'invitations', '--job', job, '--json'])).invitations.map(({ email }) =>
        email.toLowerCase(),
      ),
    );
    const taker = applicants.find((applicant) => applicant.email && invited.has(applicant.email.toLowerCase()));
    const marker = `[apriora:${position.positionId}/${taker?.candidateId}]`;
    // A copy: the push below changes the sandbox's record in place.
    const [before, ...more] = interviewActivities(sandbox, marker).map((activity) => structuredClone(activity));
    if (!taker || !before || more.length) {
      process.stderr.write(`${c.red('✗')} no invited applicant with exactly one interview activity in Tracker\n`);
      throw new StepFailed(1);
    }
    out();
    out(c.bold(c.cyan(`▸ ${taker.name}'s interview activity in Tracker (read back from the sandbox's database)`)));
    out(describeActivity(sandbox, before));

    part('Automations');

    await run({
      title: "Switch on Apriora's invitation automation: Applied applicants of live jobs, not those from agencies, right away",
      args: ['automations', 'enable', 'invites', '--trigger-status', 'Applied', '--rule', 'source != Agency', '--delay', '0m', '--yes'],
    });

    await run({ title: 'Both automations as Apriora holds them, and the local runner (not run yet)', args: ['automations', 'status'] });

    await run({
      title: 'Preview: whom the automation would invite now, and why the others not (read-only)',
      args: ['automations', 'preview', 'invites'],
      show: ({ stdout }) => trimTables(stdout, 6),
    });

    await apply(`Someone else applies to job ${job} (simulated)`, ['omar.quinn@example.com', 'Omar', 'Quinn', '(617) 555-0177']);

    await run({
      title: 'Run the automation once from here: the due applicants are invited, the ones invited above are not invited again',
      args: ['automations', 'run', '--once'],
      // The runner logs on stderr (stdout stays empty for scripts): one line per action, then the cycle's summary.
      quiet: true,
      show: ({ stderr }) => runnerLog(stderr, 'omar.quinn@example.com'),
    });

    await run({
      title: 'Run it again: an idle cycle reads only what is new, and invites no one twice',
      args: ['automations', 'run', '--once'],
      quiet: true,
      show: ({ stderr }) => runnerLog(stderr),
    });

    part('Results into Tracker');

    const other = positions.find((each) => each.positionId !== position.positionId) ?? position;
    const takers = [
      { email: taker.email, position, note: `${taker.name}, invited above,` },
      { email: 'grace.hopper@example.com', firstName: 'Grace', lastName: 'Hopper', position: other, note: 'A candidate new to Tracker' },
    ];
    for (const each of takers) {
      await run({
        title: `${each.note} completes the "${each.position.title}" interview (simulated)`,
        args: [
          'sandbox',
          'complete',
          '--sandbox-url',
          sandbox.url,
          '--position',
          each.position.positionId,
          '--email',
          each.email,
          ...(each.firstName ? ['--first-name', each.firstName, '--last-name', each.lastName!] : []),
        ],
      });
    }

    await run({ title: 'Push the completed interviews into Tracker as "Apriora Interview" activities', args: ['activity', 'push', '--since', '24h'] });

    await run({ title: 'Push again: every activity is found by its marker and left as it is', args: ['activity', 'push', '--since', '24h'] });

    out();
    out(c.bold(c.cyan("▸ The interview results now in Tracker (read back from the sandbox's database)")));
    out(describeActivities(sandbox));

    const after = interviewActivities(sandbox, marker);
    out();
    out(c.bold(c.cyan(`▸ ${taker.name}'s interview: still one activity, completed in place`)));
    out(`  ${c.dim('after the invitation:')} ${activityLine(before)}`);
    out(`  ${c.dim('after the push:      ')} ${after.map(activityLine).join(', ')}`);
    out(
      `  ${after.length === 1 && after[0]!.id === before.id ? c.green('✓') : c.red('✗')} ${after.length} activit${after.length === 1 ? 'y carries' : 'ies carry'} ${marker}`,
    );
    if (after.length !== 1 || after[0]!.id !== before.id || after[0]!.status !== 'Completed') throw new StepFailed(1);

    out();
    out(
      `${c.green('✓')} Done: ${steps} commands in ${((performance.now() - started) / 1000).toFixed(1)}s. Next: \`node bin/apriora.js --help\`, or README.md.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof StepFailed) return error.exitCode;
    if (error instanceof Interrupted || aborter.signal.aborted) {
      process.stderr.write(`\nInterrupted after ${steps} step${steps === 1 ? '' : 's'}; cleaning up.\n`);
      return interruptCode || 130;
    }
    process.stderr.write(`Error: the demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await sandbox?.close().catch(() => undefined);
    if (workDir) await rm(workDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

type Activity = RunningSandbox['tracker']['activities'][number];

/** An interview linked to a Tracker job, as `interview list --json` gives it. */
interface Interview {
  positionId: string;
  title: string;
  modality: string;
  externalId: string | null;
}

/** The summary line of a bulk run's table. */
function summaryOnly({ stdout }: CliRun): string {
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

/** A bulk run's table without the rows matching `hidden`, and a dim line saying how many were left out. */
function withoutRows(stdout: string, hidden: RegExp): string {
  const lines = stdout.trimEnd().split('\n');
  const kept = lines.filter((line) => !(line.startsWith('│') && hidden.test(line)));
  const left = lines.length - kept.length;
  return left ? `${kept.join('\n')}\n${c.dim(`(${left} row${left === 1 ? '' : 's'} already invited or skipped left out)`)}` : stdout;
}

/** Each table of the output cut to its first `rows` rows, with a dim line saying how many were left out. */
function trimTables(stdout: string, rows: number): string {
  const kept: string[] = [];
  let inTable = 0;
  let left = 0;
  const flush = () => {
    if (left) kept.push(c.dim(`(${left} more row${left === 1 ? '' : 's'}; run the command to see them all)`));
    left = 0;
  };
  for (const line of stdout.trimEnd().split('\n')) {
    if (line.startsWith('┌')) inTable = -1; // the header row comes first
    if (line.startsWith('│') && inTable !== 0) {
      if (inTable === -1) {
        kept.push(line);
        inTable = 1;
        continue;
      }
      if (inTable++ > rows) {
        left++;
        continue;
      }
    }
    if (line.startsWith('└')) {
      kept.push(line);
      inTable = 0;
      flush();
      continue;
    }
    kept.push(line);
  }
  flush();
  return kept.join('\n');
}

/**
 * The runner's log without its clock, the lines about `highlight` (an e-mail) marked, the "already invited" and
 * "skipped" lines counted rather than listed.
 */
function runnerLog(stderr: string, highlight?: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\d\d:\d\d:\d\d {2}/, ''));
  const hidden = (line: string) => /^(already invited|skipped) /.test(line) && !(highlight && line.includes(highlight));
  const left = lines.filter(hidden).length;
  return [
    ...lines.filter((line) => !hidden(line)).map((line) => (highlight && line.includes(highlight) ? c.green(line) : line)),
    ...(left ? [c.dim(`(${left} line${left === 1 ? '' : 's'} "already invited" or "skipped" left out)`)] : []),
  ].join('\n');
}

const isInterview = (activity: Activity): boolean => activity.type === 'Apriora Interview';

/** The "Apriora Interview" activities carrying this marker in the sandbox's database. */
function interviewActivities(sandbox: RunningSandbox, marker: string): Activity[] {
  return sandbox.tracker.activities.filter((activity) => isInterview(activity) && activity.subject.includes(marker));
}

/** An activity in one line: id, status, and how many of its custom fields hold a value. */
function activityLine(activity: Activity): string {
  const filled = activity.customFields.filter(({ value }) => String(value ?? '').trim() !== '').length;
  const status = activity.status === 'Completed' ? c.green(activity.status) : c.yellow(activity.status);
  return `activity ${activity.id}, ${status}, ${filled} of 4 fields filled`;
}

/** One activity with its candidate, status and the custom field values that are set, named as the field map names them. */
function describeActivity(sandbox: RunningSandbox, activity: Activity): string {
  const tracker = sandbox.tracker;
  const names = new Map(tracker.settings.customFields.map((field) => [field.Id, field.Name]));
  const candidate = activity.linkRecordType === 'R' && activity.linkRecordId !== null ? tracker.candidate(activity.linkRecordId) : undefined;
  const fields = activity.customFields
    .filter(({ value }) => String(value ?? '').trim() !== '')
    .map(({ id, value }) => {
      const text = String(value).split('\n');
      return `    ${c.dim(`${names.get(id) ?? id}:`)} ${text[0]}${text.length > 1 ? c.dim(` (+${text.length - 1} more lines)`) : ''}`;
    });
  return [
    `  ${c.bold(activity.subject)}`,
    `    ${c.dim('on')} ${
      candidate
        ? `${candidate.fullname} <${candidate.email}> (candidate ${candidate.id}, source ${candidate.source || '-'})`
        : `${activity.linkRecordType}${activity.linkRecordId}`
    }, ${activity.date} ${activity.time}`,
    `    ${c.dim('Status:')} ${activity.status}${fields.length ? '' : c.dim(' (the four fields empty)')}`,
    ...fields,
  ].join('\n');
}

/**
 * The "Apriora Interview" activities of the sandbox's database: the completed ones in full, the invitations still
 * waiting for their interview counted.
 */
function describeActivities(sandbox: RunningSandbox): string {
  const activities = sandbox.tracker.activities.filter(isInterview);
  const waiting = activities.filter((activity) => activity.status === 'Not Started').length;
  return [
    ...activities.filter((activity) => activity.status !== 'Not Started').map((activity) => describeActivity(sandbox, activity)),
    ...(waiting
      ? [c.dim(`  (and ${waiting} invitation${waiting === 1 ? '' : 's'} whose interview is not taken yet: Not Started, the four fields empty)`)]
      : []),
  ].join('\n');
}

process.exitCode = await main();
