import { readFileSync } from 'node:fs';
import { CommanderError } from '@commander-js/extra-typings';
import type { GlobalOptions } from './context.js';
import { buildProgram } from './program.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Ctrl-C aborts the running command's signal (bulk work stops starting items); a second Ctrl-C exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('Interrupted'));
  });
  return controller.signal;
}

export async function main(argv: string[]): Promise<void> {
  // `apriora … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const signal = interruptSignal();
  let usageMessage = '';
  const program = buildProgram(version, async (load, options, args, command) => {
    // Loaded only when a command runs: --help and --version need none of it.
    const [{ createContext }, { execute, reportFailure }] = await Promise.all([import('./context.js'), import('./run.js')]);
    const globals = command.optsWithGlobals() as GlobalOptions;
    let ctx;
    try {
      ctx = createContext(globals, streams, process.env, signal);
    } catch (error) {
      process.exitCode = reportFailure({ mode: globals.json ? 'json' : 'table', ...streams, debug: false, warnings: [] }, error);
      return;
    }
    process.exitCode = await execute(ctx, async () => (await load()).default, options as never, args);
  }, (message) => { usageMessage = message; });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      process.exitCode = 0;
      return;
    }
    // Usage errors: exit 2, in the JSON envelope when asked for one.
    const wantsJson = argv.includes('--json') || argv.some((arg, i) => arg === '--output' || arg === '-o' ? /json/.test(argv[i + 1] ?? '') : /^--output=.*json/.test(arg));
    const message = (usageMessage || error.message).replace(/^error: /, '').trim();
    if (wantsJson) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'usage_error', message, hint: 'Run with --help for usage.', details: null }, warnings: [] })}\n`);
    } else {
      process.stderr.write(`Error: ${message}\nTry: ${commandPath(program, argv)} --help\n`);
    }
    process.exitCode = 2;
  }
}

/** The deepest command named on the line, for the "Try: … --help" hint. */
interface CommandLike { name(): string; readonly commands: readonly CommandLike[] }

function commandPath(program: CommandLike, argv: string[]): string {
  const path = ['apriora'];
  let current = program;
  for (const word of argv.slice(2)) {
    const next = current.commands.find((command) => command.name() === word);
    if (!next) continue;
    path.push(word);
    current = next;
  }
  return path.join(' ');
}
