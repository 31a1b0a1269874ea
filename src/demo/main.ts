/**
 * `npm run demo`: the Tracker half of Apriora's integration guide, against the local sandbox, in a few seconds.
 *
 * Every step runs the real built CLI (bin/apriora.js) in a child process, with a throwaway config dir, the file
 * credential store and no TRACKER_* / APRIORA_* variables from the caller: no network, no keychain, nothing left
 * behind. The sandbox runs in this process on a free port; it and the temp dir are removed on success, failure
 * and Ctrl-C alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { demoEnv, runCli, shellQuote, type CliRun } from './cli-runner.js';

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
  /** Secrets piped on stdin; the printed command line says so instead of showing them. */
  input?: string;
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
    const { credentials, trackerUrl } = sandbox;

    out(`${c.bold('Apriora × Tracker RMS: the Tracker side of the integration guide')}`);
    out(c.dim(`Local Tracker sandbox at ${trackerUrl}; profile "demo" in a throwaway config dir; no network, no keychain.`));

    const run = async (step: Step): Promise<CliRun> => {
      if (aborter.signal.aborted) throw aborter.signal.reason;
      steps++;
      out();
      out(c.bold(c.cyan(`▸ ${step.title}`)));
      const line = ['apriora', ...step.args].map(shellQuote).join(' ');
      out(`${c.dim('$')} ${c.bold(line)}${step.input === undefined ? '' : c.dim('   # API Key and API Password piped on stdin')}`);
      const result = await runCli(step.args, { env, input: step.input, signal: aborter.signal });
      if (aborter.signal.aborted) throw aborter.signal.reason;
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
    });

    await run({ title: 'Check the connection', args: ['tracker', 'status'] });

    await run({ title: 'Map the activity\'s custom fields to this database\'s field ids', args: ['tracker', 'fields', 'map', '--auto'] });

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

    out();
    out(`${c.green('✓')} Tracker side done: ${steps} commands in ${((performance.now() - started) / 1000).toFixed(1)}s.`);
    return 0;
  } catch (error) {
    if (error instanceof StepFailed) return error.exitCode;
    if (error instanceof Interrupted || aborter.signal.aborted) {
      process.stderr.write(`\nInterrupted after ${steps} step${steps === 1 ? '' : 's'}; cleaning up.\n`);
      return interruptCode || 130;
    }
    process.stderr.write(`Error: the demo failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 1;
  } finally {
    await sandbox?.close().catch(() => undefined);
    if (workDir) await rm(workDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main();
