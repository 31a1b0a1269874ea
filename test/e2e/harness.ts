import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type CliResult as CommandResult, cliEnv, cliResult, outputWaiter } from '../support/cli-common.js';

export { expectEnvelope } from '../support/cli-common.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'apriora.js');

/** The exit code is null when the process was killed by a signal. */
export type CliResult = CommandResult<number | null>;

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Leave stdin open (`input` is written first): the test writes to `child.stdin` and ends it. */
  stdinOpen?: boolean;
  extraNodeArgs?: string[];
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the CLI has ended. */
  done: Promise<CliResult>;
  /** Resolves once the output so far satisfies `predicate`; rejects if the CLI ends first. */
  until(predicate: (stdout: string, stderr: string) => boolean): Promise<void>;
}

/** A throwaway config dir and an environment that can never reach the user's keychain or real Tracker. */
export class CliSandbox {
  readonly configDir = mkdtempSync(join(tmpdir(), 'apriora-e2e-'));

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    return cliEnv(this.configDir, extra);
  }

  run(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return this.start(args, options).done;
  }

  /** Spawns the CLI without waiting for it: for output read while it runs, signals, and concurrent runs. */
  start(args: string[], options: CliOptions = {}): RunningCli {
    const child = spawn(process.execPath, [...(options.extraNodeArgs ?? []), BIN, ...args], {
      env: this.env(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let closed = false;
    const waiter = outputWaiter(
      () => ({ stdout, stderr }),
      () => (closed ? `the CLI ended (${child.exitCode ?? child.signalCode})` : undefined),
    );
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      waiter.changed();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      waiter.changed();
    });
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        closed = true;
        resolve(cliResult(code, stdout, stderr));
        waiter.changed();
      });
    });
    if (options.stdinOpen) child.stdin.write(options.input ?? '');
    else child.stdin.end(options.input ?? '');
    return { child, done, until: waiter.until };
  }

  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}

/** The sandbox's own credentials and URLs: what the setup of a logged-in profile needs. */
interface SandboxLike {
  trackerUrl: string;
  aprioraUrl: string;
  credentials: { apiKey: string; password: string; username: string; aprioraApiKey?: string; restToken?: string };
  tracker: { jobs: { id: number }[]; jobState(job: { id: number }): string };
}

/**
 * `run` and `finished` over the file's CliSandbox (made in beforeAll, hence the getter) that keep every result, for
 * the end-of-file check that no secret was ever printed.
 */
export function recordedRuns(cli: () => CliSandbox): {
  results: CliResult[];
  run: (args: string[], input?: string, env?: Record<string, string>) => Promise<CliResult>;
  finished: (running: RunningCli) => Promise<CliResult>;
} {
  const results: CliResult[] = [];
  const keep = (result: CliResult) => {
    results.push(result);
    return result;
  };
  return {
    results,
    run: async (args, input, env) => keep(await cli().run(args, { ...(input === undefined ? {} : { input }), ...(env ? { env } : {}) })),
    finished: async (running) => keep(await running.done),
  };
}

/** `apriora tracker login` of the sandbox (no client-side rate limit), the secrets piped; with the REST API token when asked. */
export function logInTracker(
  run: (args: string[], input?: string) => Promise<CliResult>,
  sandbox: SandboxLike,
  options: { restToken?: boolean } = {},
): Promise<CliResult> {
  const { apiKey, password, username, restToken } = sandbox.credentials;
  const args = ['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--rate-limit', '100000', '--username', username];
  return run(
    [...args, '--api-key-stdin', '--password-stdin', ...(options.restToken ? ['--rest-token-stdin'] : [])],
    `${apiKey}\n${password}\n${options.restToken ? `${restToken}\n` : ''}`,
  );
}

/**
 * Logs a profile in to both emulators (secrets piped on stdin, no client-side rate limit), maps the activity fields
 * and generates the interview of the first open job; returns that interview's position id. With `restToken`, the
 * Tracker login adds the REST API token (and so caches the profile's first JWT).
 */
export async function logInWithInterview(
  run: (args: string[], input?: string) => Promise<CliResult>,
  sandbox: SandboxLike,
  options: { restToken?: boolean } = {},
): Promise<string> {
  const tracker = await logInTracker(run, sandbox, options);
  expect(tracker.code, tracker.stderr).toBe(0);
  const steps: [string[], string?][] = [
    [['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${sandbox.credentials.aprioraApiKey}\n`],
    [['tracker', 'fields', 'map', '--auto']],
  ];
  for (const [args, input] of steps) {
    const result = await run(args, input);
    expect(result.code, result.stderr).toBe(0);
  }
  const jobId = sandbox.tracker.jobs.find((job) => sandbox.tracker.jobState(job) === 'open')!.id;
  const generated = await run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  return generated.json().data.items[0].positionId;
}
