import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { generateTrackerSeed, type RunningSandbox, type SandboxOptions, startSandbox, type TrackerSeedOptions } from '../../src/sandbox/index.js';
import { type CliResult, cliEnv, cliResult, outputWaiter } from './cli-common.js';

export { type CliResult, expectEnvelope } from './cli-common.js';

/**
 * The CLI in this process: `runCli` against in-memory streams, a throwaway config/data dir and an environment that can
 * never reach the user's keychain, config or a real host. What only a real process shows (signals, pipes, start-up
 * loading) is tested in test/e2e.
 */

/** Standard input: write or pipe text into it, then end it; `isTTY` says whether the command sees a terminal. */
export class MemoryStdin extends PassThrough {
  isTTY = false;
}

/** stdout or stderr: collects what the command writes; `isTTY` says whether the command sees a terminal. */
export class MemoryOutput extends Writable {
  isTTY = false;
  /** The width of the "terminal": prompts wrap their question at it. */
  columns = 200;
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.emit('text');
    callback();
  }

  /**
   * Like process.stdout and process.stderr, never ended: a prompt pipes its output here and ends that pipe when it
   * is answered, and the next prompt or line must still be written.
   */
  override end(...args: unknown[]): this {
    const [chunk] = args;
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) this.write(chunk);
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return this;
  }
}

export interface RunOptions {
  /** Written to stdin, which is then ended. Without it, `run` ends stdin empty and `start` leaves it open. */
  input?: string;
  /** Added to (or, as undefined, removed from) the test environment. */
  env?: Record<string, string | undefined>;
  /** Which streams look like a terminal (none by default). */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
}

export interface RunningCli {
  stdin: MemoryStdin;
  stdout: MemoryOutput;
  stderr: MemoryOutput;
  /** The command's stop signal: aborting it is what Ctrl-C does. */
  controller: AbortController;
  /** Resolves when the command has ended. */
  done: Promise<CliResult>;
  /** Resolves once the output so far satisfies `predicate`; rejects if the command ends first. */
  until(predicate: (stdout: string, stderr: string) => boolean): Promise<void>;
  /**
   * Waits for a prompt asking `question` on stderr (after the previous answer), then types `keys`: text and "\r"
   * (Enter), or DOWN.
   */
  answer(question: string, keys: string): Promise<void>;
}

/** What a terminal shows of `text`: its colour (SGR) sequences removed, as prompts colour their parts. */
export function withoutColour(text: string): string {
  return text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
}

/** The down-arrow key, for choosing in a list. */
export const DOWN = '\x1b[B';

/**
 * A person at a terminal: stdin and stderr are TTYs and CI is not set, so commands may prompt (on stderr). stdout is
 * left a pipe, so that what the command prints can be read without colour.
 */
export const AT_TERMINAL = { tty: { stdin: true, stderr: true }, env: { CI: undefined } } satisfies RunOptions;

/** One user's machine: a config dir, a data dir, an environment. Every `run` is one command line of that user. */
export class TestCli {
  readonly configDir = mkdtempSync(join(tmpdir(), 'apriora-cli-'));
  readonly dataDir = join(this.configDir, 'data');

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    return cliEnv(this.configDir, extra);
  }

  /** Runs `apriora …args` to the end. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    const running = this.start(args, options);
    if (options.input === undefined) running.stdin.end();
    return running.done;
  }

  /** Starts `apriora …args` without waiting: for output read while it runs, and for aborting it. */
  start(args: string[], options: RunOptions = {}): RunningCli {
    const stdin = new MemoryStdin();
    const stdout = new MemoryOutput();
    const stderr = new MemoryOutput();
    stdin.isTTY = Boolean(options.tty?.stdin);
    stdout.isTTY = Boolean(options.tty?.stdout);
    stderr.isTTY = Boolean(options.tty?.stderr);
    if (options.input !== undefined) stdin.end(options.input);
    const controller = new AbortController();
    let ended = false;
    const waiter = outputWaiter(
      () => ({ stdout: stdout.text, stderr: stderr.text }),
      () => (ended ? 'the command ended' : undefined),
    );
    stdout.on('text', waiter.changed);
    stderr.on('text', waiter.changed);
    const done = runCli(['node', 'apriora', ...args], { stdin, stdout, stderr }, this.env(options.env), controller.signal).then(
      (code) => cliResult(code, stdout.text, stderr.text),
      (error: unknown) => {
        throw new Error(`runCli threw instead of resolving to an exit code:\n${stderr.text}`, { cause: error });
      },
    );
    const end = () => {
      ended = true;
      waiter.changed();
    };
    void done.then(end, end);
    let answered = 0;
    const running: RunningCli = {
      stdin,
      stdout,
      stderr,
      controller,
      done,
      async answer(question, keys) {
        let at = -1;
        await running.until((_stdout, err) => {
          at = err.indexOf(question, answered);
          return at >= 0;
        });
        answered = at + question.length;
        stdin.write(keys);
      },
      until: waiter.until,
    };
    return running;
  }

  /** The parsed config.json, or undefined when nothing was saved. */
  config(): any {
    const file = join(this.configDir, 'config.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  }

  /** The parsed credentials file of the file store, or undefined when nothing was stored. */
  storedSecrets(): Record<string, string> | undefined {
    const file = join(this.configDir, 'credentials.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).secrets as Record<string, string>) : undefined;
  }

  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}

/** Both emulators in this process on a free port; a small generated Tracker database unless told otherwise. */
export function startTestSandbox(seed: TrackerSeedOptions = { jobs: 12, candidates: 20 }, options: Omit<SandboxOptions, 'seed'> = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, seed: generateTrackerSeed(seed), ...options });
}

/** `apriora tracker login --sandbox` against the sandbox, the secrets piped on stdin. */
export function trackerLogin(
  cli: TestCli,
  sandbox: RunningSandbox,
  extra: string[] = [],
  input?: string,
  env?: Record<string, string | undefined>,
): Promise<CliResult> {
  const { apiKey, password, username } = sandbox.credentials;
  return cli.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--username', username, '--api-key-stdin', '--password-stdin', ...extra], {
    input: input ?? `${apiKey}\n${password}\n`,
    env,
  });
}

/** `apriora login --sandbox` against the sandbox's Apriora emulator, the key piped on stdin. */
export function aprioraLogin(cli: TestCli, sandbox: RunningSandbox, extra: string[] = [], key = sandbox.credentials.aprioraApiKey): Promise<CliResult> {
  return cli.run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', ...extra], { input: `${key}\n` });
}

export interface LoginSteps {
  /** `apriora tracker fields map --auto` after the Tracker login (default true). */
  fieldMap?: boolean;
  /** Log in to the Apriora emulator too (default true). */
  apriora?: boolean;
  /** The profile's default modality (default phone; null: none). */
  modality?: 'phone' | 'video' | null;
  /**
   * Log in with --sandbox (default true). Without it the profile looks like a customer's: at a terminal, writes ask
   * for confirmation first.
   */
  sandboxProfile?: boolean;
  /** Log the sandbox's Tracker REST API token in too (default false: the applicant commands need it). */
  restToken?: boolean;
  /** `apriora tracker connect --yes` last, so Apriora's integration holds the profile's credentials (default false). */
  connect?: boolean;
}

/** A new TestCli whose default profile is logged in to the sandbox: Tracker, field map, Apriora. */
export function loggedInCli(sandbox: RunningSandbox, steps: LoginSteps = {}): Promise<TestCli> {
  return logIn(new TestCli(), sandbox, steps);
}

/** Logs the default profile of `cli` in to the sandbox: Tracker, field map, Apriora (as `steps` say). */
export async function logIn(cli: TestCli, sandbox: RunningSandbox, steps: LoginSteps = {}): Promise<TestCli> {
  const { apiKey, password, username, aprioraApiKey, restToken } = sandbox.credentials;
  const mark = steps.sandboxProfile === false ? [] : ['--sandbox'];
  const rest = steps.restToken ? ['--rest-token-stdin'] : [];
  // The whole minute's budget of Tracker requests at once: these tests are about what a command does, not its pace.
  const tracker = await cli.run(
    [
      'tracker',
      'login',
      '--base-url',
      sandbox.trackerUrl,
      ...mark,
      '--username',
      username,
      '--api-key-stdin',
      '--password-stdin',
      '--rate-burst',
      '90',
      ...rest,
    ],
    { input: `${apiKey}\n${password}\n${steps.restToken ? `${restToken}\n` : ''}` },
  );
  expect(tracker.code, tracker.stderr).toBe(0);
  if (steps.fieldMap !== false) {
    const mapped = await cli.run(['tracker', 'fields', 'map', '--auto']);
    expect(mapped.code, mapped.stderr).toBe(0);
  }
  if (steps.apriora !== false) {
    const modality = steps.modality === undefined ? 'phone' : steps.modality;
    const apriora = await cli.run(['login', ...mark, '--base-url', sandbox.aprioraUrl, '--api-key-stdin', ...(modality ? ['--modality', modality] : [])], {
      input: `${aprioraApiKey}\n`,
    });
    expect(apriora.code, apriora.stderr).toBe(0);
  }
  if (steps.connect) {
    const connected = await cli.run(['tracker', 'connect', '--yes']);
    expect(connected.code, connected.stderr).toBe(0);
  }
  return cli;
}

/** Adds a job to a running sandbox's Tracker through its admin endpoint (an open one unless `status` says else). */
export async function addSandboxJob(sandbox: RunningSandbox, fields: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${sandbox.url}/__sandbox/tracker/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'Open', ...fields }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { job: { id: number } }).job.id;
}

/** A new TestCli for each test of the file (vitest hooks): no profile, no sandbox. */
export function useCli(): { readonly cli: TestCli } {
  let cli: TestCli | undefined;
  beforeEach(() => {
    cli = new TestCli();
  });
  afterEach(() => cli?.cleanup());
  return {
    get cli() {
      if (!cli) throw new Error('no CLI: use it inside a test or hook');
      return cli;
    },
  };
}

export interface SandboxFixtureOptions {
  /** The generated Tracker database (startTestSandbox's small one by default). */
  seed?: TrackerSeedOptions;
  /** Log the CLI's default profile in to the sandbox, as loggedInCli does; without it, the CLI has no profile. */
  loggedIn?: LoginSteps;
  /**
   * A new CLI for each test (the default), one for the whole file (made once the sandbox is up), or none: the tests
   * make their own.
   */
  cliPer?: 'test' | 'file' | 'none';
}

/**
 * The usual setup of a test file (vitest hooks): one sandbox for the file, reset before each test, and a CLI; both
 * removed at the end. Read `sandbox` and `cli` inside tests and hooks.
 */
export function useSandbox(options: SandboxFixtureOptions = {}): { readonly sandbox: RunningSandbox; readonly cli: TestCli } {
  const { seed, loggedIn, cliPer = 'test' } = options;
  let sandbox: RunningSandbox | undefined;
  let cli: TestCli | undefined;
  const fixture = {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox is started before the tests: use it inside a test or hook');
      return sandbox;
    },
    get cli() {
      if (!cli) throw new Error(`no CLI (cliPer: '${cliPer}'): use it inside a test or hook`);
      return cli;
    },
  };
  const newCli = () => (loggedIn ? loggedInCli(fixture.sandbox, loggedIn) : new TestCli());

  beforeAll(async () => {
    sandbox = await startTestSandbox(seed);
    if (cliPer === 'file') cli = await newCli();
  });
  afterAll(async () => {
    if (cliPer === 'file') cli?.cleanup();
    await sandbox?.close();
  });
  beforeEach(async () => {
    fixture.sandbox.reset();
    if (cliPer === 'test') cli = await newCli();
  });
  afterEach(() => {
    if (cliPer === 'test') cli?.cleanup();
  });
  return fixture;
}

/** The profile's saved field map, as numbers. */
export function savedFieldMap(cli: TestCli): Record<'overallScore' | 'reportLink' | 'gradingCriteria' | 'feedback', number> {
  const fieldMap = cli.config().profiles.default.tracker.fieldMap as Record<string, string>;
  return Object.fromEntries(Object.entries(fieldMap).map(([key, id]) => [key, Number(id)])) as never;
}

/** Every secret of the sandbox, and the Basic credentials made of them: none may appear in any output. */
export function sandboxSecrets(sandbox: RunningSandbox): string[] {
  const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
  return [apiKey, password, aprioraApiKey, Buffer.from(`${username}:${password}`).toString('base64')];
}

export function expectNoSecrets(secrets: string[], results: CliResult[]): void {
  for (const result of results) {
    for (const secret of secrets) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }
}

/** The lines of --output ndjson, parsed. */
export function ndjson(stdout: string): any[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** The open Tracker jobs of the sandbox, by id. */
export function openJobIds(sandbox: RunningSandbox): number[] {
  return sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').map((job) => job.id);
}

/** The run's environment that leaves the store to the profile: the OS keychain unless the profile chose the file. */
export const KEYCHAIN_STORE = { APRIORA_CREDENTIAL_STORE: undefined };

/**
 * No OS keychain for the tests of the file (vitest hooks), whatever the machine has, as on a server, in a container
 * or in CI: the native keyring reads this process's environment, so D-Bus is pointed at a socket nobody listens on.
 * Runs need KEYCHAIN_STORE in their env to use the keychain at all.
 */
export function useNoKeychain(): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tmpdir(), `apriora-no-bus-${process.pid}`)}`;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
  });
}

/** A URL on this machine where nothing listens: every request to it is refused at once (and retried). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The process warnings (MaxListenersExceededWarning…) emitted while `work` runs: what a user would see on stderr. */
export async function warningsDuring<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const result = await work();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off('warning', onWarning);
  }
}
