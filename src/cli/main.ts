import { readFileSync, writeFileSync } from 'node:fs';
import type { Command as Commander } from 'commander';
import type { Group, Loader } from './command.js';
import type { GlobalOptions, Streams } from './context.js';
import { HELP_PAGES_FILE, renderedHelpPage } from './help-pages.js';

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Said on stderr when the second signal ends the process without waiting for the work under way. */
export const AGAIN = {
  SIGINT: 'Interrupted again: stopping now, some work may be unfinished. Run the same command again to finish it: what was done is found, not repeated.',
  SIGTERM: 'Terminated again: stopping now, some work may be unfinished. Run the same command again to finish it: what was done is found, not repeated.',
} as const;

/**
 * Ctrl-C or SIGTERM aborts the running command's signal (reason: the signal's name): bulk work stops starting items,
 * servers drain. The same signal a second time exits at once.
 */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) {
        process.stderr.write(`\n${AGAIN[name]}\n`);
        process.exit(exitCodes[name]);
      }
      controller.abort(name);
    });
  }
  return controller.signal;
}

/**
 * `apriora help tracker login` and `apriora tracker help login` are `apriora tracker login --help`. At the top,
 * `apriora help <topic>` runs the help command, and a topic wins over a command of the same name (`apriora help
 * sandbox`: the topic; `apriora sandbox --help`: the command).
 */
async function helpForCommand(argv: string[], positions: number[], root: Group): Promise<string[] | undefined> {
  const words = positions.map((position) => argv[position]!);
  const at = words.indexOf('help');
  let group: Group | Loader | undefined = root;
  for (const word of words.slice(0, at)) group = typeof group === 'object' ? group.commands[word] : undefined;
  const next = words[at + 1];
  if (at < 0 || typeof group !== 'object' || next === undefined || !(next in group.commands)) return undefined;
  if (at === 0 && words.length === 2) {
    const { findHelpTopic } = await import('./help/topics.js');
    if (findHelpTopic(next)) return undefined;
  }
  return [...argv.slice(0, positions[at]), ...argv.slice(positions[at]! + 1), '--help'];
}

export async function main(argv: string[]): Promise<void> {
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-v')) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  // A shell completing --profile asks on every Tab: the config file's names, without loading any command.
  if (argv.length === 4 && argv[2] === 'completion' && argv[3] === '--list-profiles') {
    const { profileNames } = await import('./completion-profiles.js');
    process.stdout.write(
      profileNames(process.env)
        .map((name) => `${name}\n`)
        .join(''),
    );
    return;
  }
  // Off a terminal, commander would print the page rendered at build time; on one, it fits the help to its width.
  const page = process.stdout.isTTY ? undefined : renderedHelpPage(argv.slice(2));
  if (page !== undefined) {
    process.stdout.write(page);
    return;
  }
  // `apriora … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const streams: Streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  process.exitCode = await runCli(argv, streams, process.env, stopSignal());
}

/** Parses and runs one command line against the given streams and environment; resolves to the exit code. */
export async function runCli(argv: string[], streams: Streams, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  // Loaded here, not at the top: `--version` needs none of it.
  const [{ CommanderError }, { buildProgram, commandWords, commandWordPositions }, { REGISTRY }, { terminalText }] = await Promise.all([
    import('./command.js'),
    import('./program.js'),
    import('./registry.js'),
    import('../lib/sanitize.js'),
  ]);
  let words = commandWords(argv);
  const rewritten = await helpForCommand(argv, commandWordPositions(argv), REGISTRY);
  if (rewritten) {
    argv = rewritten;
    words = commandWords(argv);
  }
  // Usage errors: exit 2, in the JSON envelope when asked for one.
  const usageError = (message: string, hint: string, tryLine = hint): number => {
    if (wantsJson(argv)) {
      streams.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'usage_error', message, hint, details: null }, warnings: [] })}\n`);
    } else {
      streams.stderr.write(`Error: ${terminalText(message)}\nTry: ${tryLine}\n`);
    }
    return 2;
  };
  const refused = unknownCommandForHelp(argv, REGISTRY, commandWords) ?? secretAsFlag(argv, words);
  if (refused) return usageError(refused.message, refused.hint);
  let exitCode = 0;
  let usageMessage = '';
  const program = await buildProgram(REGISTRY, words, {
    version: version(),
    writeOut: (text) => streams.stdout.write(text),
    writeErr: (text) => streams.stderr.write(terminalText(text, { multiline: true })),
    onUsageError: (message) => {
      usageMessage = message;
    },
    run: async (spec, options, args, command) => {
      // Loaded only when a command runs: --help and --version need none of it.
      const [{ createContext }, { execute, reportFailure }] = await Promise.all([import('./context.js'), import('./run.js')]);
      const globals = command.optsWithGlobals() as GlobalOptions;
      let ctx: ReturnType<typeof createContext>;
      try {
        ctx = createContext(globals, streams, env, signal, everyCommand);
      } catch (error) {
        exitCode = reportFailure({ mode: globals.json ? 'json' : 'table', ...streams, debug: false, warnings: [] }, error);
        return;
      }
      exitCode = await execute(ctx, () => spec.run(options, ctx, args));
    },
  });
  try {
    await program.parseAsync(argv);
    // Stopped by SIGTERM rather than Ctrl-C: the exit status a terminated process has (128 + 15).
    return exitCode === 130 && signal.reason === 'SIGTERM' ? 143 : exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return 0;
    }
    // An unknown option is echoed without its value: `--apikey=<secret>` misspelled must not print the secret.
    const message = (usageMessage || error.message)
      .replace(/^error: /, '')
      .replace(/(unknown option '--[^'=]*)=[^']*'/g, "$1=…'")
      .replace(/(unknown option '-[^-'])[^']+'/g, "$1…'")
      .trim();
    return usageError(message, 'Run with --help for usage.', `${['apriora', ...commandPath(program, words)].join(' ')} --help`);
  }
}

/**
 * Help asked for a command that does not exist (`apriora foo --help`, `apriora -h foo`, `apriora tracker help foo`):
 * commander would print the parent's help and exit 0, which a script would take for success. Words after the help flag
 * count here: only where the help is shown ignores them.
 */
function unknownCommandForHelp(argv: string[], root: Group, commandWords: (argv: string[]) => string[]): { message: string; hint: string } | undefined {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv.slice(2) : argv.slice(2, end);
  let asked = options.some((arg) => arg === '--help' || arg === '-h');
  let group: Group = root;
  const path: string[] = [];
  for (const word of commandWords(argv.filter((arg, i) => i < 2 || (end >= 0 && i >= end) || (arg !== '--help' && arg !== '-h')))) {
    const next = group.commands[word];
    if (next === undefined && word === 'help' && group !== root) {
      asked = true; // `apriora tracker help foo`: the group's own help word
      continue;
    }
    if (next === undefined) {
      if (!asked) return undefined;
      const names = Object.keys(group.commands).join(', ');
      return { message: `unknown command '${word}'`, hint: `${['apriora', ...path].join(' ')} --help (commands: ${names})` };
    }
    if (typeof next === 'function') return undefined; // a command: what follows are its arguments
    group = next;
    path.push(word);
  }
  return undefined;
}

/** The commands that read a secret from stdin, and the flag each offers for which secret. */
const STDIN_SECRET_FLAGS: Record<string, Record<string, string>> = {
  login: { '--api-key': '--api-key-stdin' },
  'tracker login': { '--api-key': '--api-key-stdin', '--password': '--password-stdin', '--rest-token': '--rest-token-stdin' },
  'activity listen': { '--secret': '--secret-stdin', '--webhook-secret': '--secret-stdin' },
};

/**
 * A secret given as a flag value is refused before anything runs, with the safe ways this command offers: its
 * `--…-stdin` flag when it has one, and the environment variable.
 */
function secretAsFlag(argv: string[], words: string[]): { message: string; hint: string } | undefined {
  const command = words[0] === 'login' ? 'login' : words.slice(0, 2).join(' ');
  const apiKeyVariables = words[0] === 'tracker' ? 'TRACKER_API_KEY' : command === 'login' ? 'APRIORA_API_KEY' : 'TRACKER_API_KEY or APRIORA_API_KEY';
  const variables: Record<string, string> = {
    '--api-key': apiKeyVariables,
    '--password': 'TRACKER_PASSWORD',
    '--rest-token': 'TRACKER_REST_TOKEN',
    '--secret': 'APRIORA_WEBHOOK_SECRET',
    '--webhook-secret': 'APRIORA_WEBHOOK_SECRET',
  };
  for (const arg of argv.slice(2)) {
    if (arg === '--') return undefined;
    const flag = arg.split('=')[0]!;
    if (!Object.hasOwn(variables, flag)) continue;
    const stdinFlag = STDIN_SECRET_FLAGS[command]?.[flag];
    const example = stdinFlag === '--api-key-stdin' && command === 'login' ? ` (printf '%s\\n' "$KEY" | apriora login --api-key-stdin)` : '';
    const hint = stdinFlag ? `pipe it with ${stdinFlag}${example}, or set ${variables[flag]}` : `set ${variables[flag]} in the environment`;
    return { message: `${flag} takes no value on the command line: a secret there stays in the shell's history and the process list`, hint };
  }
  return undefined;
}

function wantsJson(argv: string[]): boolean {
  return argv.includes('--json') || argv.some((arg, i) => (arg === '--output' || arg === '-o' ? /json/.test(argv[i + 1] ?? '') : /^--output=.*json/.test(arg)));
}

/** The deepest command named on the line, for the "Try: … --help" hint. */
interface CommandLike {
  name(): string;
  readonly commands: readonly CommandLike[];
}

function commandPath(program: CommandLike, words: string[]): string[] {
  const path: string[] = [];
  let current = program;
  for (const word of words) {
    const next = current.commands.find((command) => command.name() === word);
    if (!next) continue;
    path.push(word);
    current = next;
  }
  return path;
}

/** One runnable command as `apriora --help` and its groups list it. */
export interface CommandReference {
  /** `tracker jobs show` */
  path: string;
  /** `apriora tracker jobs show <id>` (every command also takes options: see its --help) */
  usage: string;
  description: string;
}

/** The program with every command loaded (nothing runs): its definitions, for docs and completion scripts. */
async function everyCommand(): Promise<Commander> {
  const ignore = () => {};
  const [{ buildProgram }, { REGISTRY }] = await Promise.all([import('./program.js'), import('./registry.js')]);
  return (await buildProgram(REGISTRY, undefined, {
    version: '0',
    run: async () => {},
    writeOut: ignore,
    writeErr: ignore,
    onUsageError: ignore,
  })) as unknown as Commander;
}

/** Every runnable command, in help order, read from the command definitions themselves. */
export async function commandReference(): Promise<CommandReference[]> {
  const program = await everyCommand();
  const rows: CommandReference[] = [];
  const walk = (command: Commander, path: string[]) => {
    for (const child of command.commands) {
      const childPath = [...path, child.name()];
      if (child.commands.length) walk(child, childPath);
      else
        rows.push({
          path: childPath.join(' '),
          usage: `apriora ${childPath.join(' ')} ${child.usage().replace(/^\[options\]\s*/, '')}`.trim(),
          description: child.description(),
        });
    }
  };
  walk(program, []);
  return rows;
}

/** The README's command table (between its `commands:start` / `commands:end` markers); `npm run docs` writes it. */
export async function commandTableMarkdown(): Promise<string> {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = (await commandReference()).map((row) => `| \`${cell(row.usage)}\` | ${cell(row.description)} |`);
  return ['| Command | What it does |', '|---|---|', ...rows].join('\n');
}

/**
 * Build step (`npm run build`): every command's `--help` as commander prints it when stdout is not a terminal
 * (80 columns, no colour), keyed by its command words, into the file help-pages.ts reads.
 */
export async function writeHelpPages(): Promise<void> {
  const [{ buildProgram }, { REGISTRY }] = await Promise.all([import('./program.js'), import('./registry.js')]);
  let captured = '';
  const program = (await buildProgram(REGISTRY, undefined, {
    version: '0',
    run: async () => {},
    writeOut: (text) => {
      captured += text;
    },
    writeErr: () => {},
    onUsageError: () => {},
  })) as unknown as Commander;
  const pages: Record<string, string> = {};
  const walk = (command: Commander, path: string[]) => {
    command.configureOutput({ getOutHelpWidth: () => 80, getOutHasColors: () => false });
    captured = '';
    command.outputHelp();
    pages[path.join(' ')] = captured;
    for (const child of command.commands) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  writeFileSync(HELP_PAGES_FILE, `${JSON.stringify(pages)}\n`);
}
