/**
 * `npm run demo`: Apriora's Tracker integration guide end to end — the Tracker side (support request, login, field
 * map, jobs), then the Apriora side (login, `tracker connect`, interviews generated from the open jobs) — against the
 * local sandbox, in a few seconds.
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
    const secrets = [credentials.apiKey, credentials.password, credentials.aprioraApiKey];

    out(`${c.bold('Apriora × Tracker RMS: the integration guide, end to end')}`);
    out(c.dim(`Local sandbox: Tracker at ${trackerUrl}, Apriora at ${aprioraUrl}.`));
    out(c.dim('Profile "demo" in a throwaway config dir; no network, no keychain.'));

    const part = (title: string) => {
      out();
      out(c.bold(`━━ ${title}`));
    };

    const run = async (step: Step): Promise<CliRun> => {
      if (aborter.signal.aborted) throw aborter.signal.reason;
      steps++;
      out();
      out(c.bold(c.cyan(`▸ ${step.title}`)));
      const line = ['apriora', ...step.args].map(shellQuote).join(' ');
      out(`${c.dim('$')} ${c.bold(line)}${step.input === undefined ? '' : c.dim(`   # ${step.inputNote ?? 'secrets'} piped on stdin`)}`);
      const result = await runCli(step.args, { env, input: step.input, signal: aborter.signal });
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
      const shown = step.show ? step.show(result) : result.stdout;
      if (shown) out(shown.replace(/\n+$/, ''));
      if (result.stderr.trim()) process.stderr.write(result.stderr); // warnings, if any
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
      title: 'Log in with the API credentials Tracker Support issued (verified, then stored)',
      args: ['tracker', 'login', '--sandbox', '--base-url', trackerUrl, '--username', credentials.username, '--api-key-stdin', '--password-stdin'],
      input: `${credentials.apiKey}\n${credentials.password}\n`,
      inputNote: 'API Key and API Password',
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

    part('Results into Tracker');

    const interviews = await runCli(['interview', 'list', '--json'], { env, signal: aborter.signal });
    const positions = (JSON.parse(interviews.stdout) as { data: { interviews: { positionId: string; title: string }[] } }).data.interviews;
    const known = sandbox.tracker.candidates[0];
    const takers = [
      { email: known?.email ?? 'known@example.com', note: 'a candidate Tracker already has' },
      { email: 'grace.hopper@example.com', firstName: 'Grace', lastName: 'Hopper', note: 'a candidate new to Tracker' },
    ];
    for (const [index, taker] of takers.entries()) {
      const position = positions[index % positions.length]!;
      await run({
        title: `${taker.note[0]!.toUpperCase()}${taker.note.slice(1)} completes the "${position.title}" interview (simulated)`,
        args: [
          'sandbox',
          'complete',
          '--sandbox-url',
          sandbox.url,
          '--position',
          position.positionId,
          '--email',
          taker.email,
          ...(taker.firstName ? ['--first-name', taker.firstName, '--last-name', taker.lastName!] : []),
        ],
      });
    }

    await run({ title: 'Push the completed interviews into Tracker as "Apriora Interview" activities', args: ['activity', 'push', '--since', '24h'] });

    await run({ title: 'Push again: every activity is found by its marker and left as it is', args: ['activity', 'push', '--since', '24h'] });

    out();
    out(c.bold(c.cyan("▸ The activities now in Tracker (read back from the sandbox's database)")));
    out(describeActivities(sandbox));

    out();
    out(`${c.green('✓')} Done: ${steps} commands in ${((performance.now() - started) / 1000).toFixed(1)}s. Next: \`apriora --help\`, or README.md.`);
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

/** The "Apriora Interview" activities with their candidate and custom field values, named as the field map names them. */
function describeActivities(sandbox: RunningSandbox): string {
  const tracker = sandbox.tracker;
  const names = new Map(tracker.settings.customFields.map((field) => [field.Id, field.Name]));
  return tracker.activities
    .filter((activity) => activity.type === 'Apriora Interview')
    .map((activity) => {
      const candidate = activity.linkRecordType === 'R' && activity.linkRecordId !== null ? tracker.candidate(activity.linkRecordId) : undefined;
      const fields = activity.customFields.map(({ id, value }) => {
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
        ...fields,
      ].join('\n');
    })
    .join('\n');
}

process.exitCode = await main();
