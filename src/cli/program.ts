import { type AnyCommandSpec, Command, examples, type Group, type Loader } from './command.js';
import { HELP_TOPICS } from './help/topics.js';

/** What the entry point does when a command runs: build the context, run it, map the outcome to an exit code. */
export type Runner = (spec: AnyCommandSpec, options: object, args: unknown[], command: Command) => Promise<void>;

/** Global options that take a value: the word after them is not a command name. */
const LONG_VALUE_OPTIONS = new Set(['--profile', '--output']);
const SHORT_VALUE_OPTIONS = new Set(['p', 'o']);

function isGroup(entry: Loader | Group): entry is Group {
  return typeof entry !== 'function';
}

/** The command words of argv (options and their values skipped), for finding which command files to load. */
export function commandWords(argv: string[]): string[] {
  return commandWordPositions(argv).map((i) => argv[i]!);
}

/**
 * Where in argv the command words are, up to a help flag (what follows `--help` is not where help is asked for):
 * `-p acme`, `-yp acme` and `--profile acme` take the next word; `-pacme` and `--profile=acme` do not.
 */
export function commandWordPositions(argv: string[]): number[] {
  const positions: number[] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '-h' || arg === '--help') break;
    if (arg.startsWith('--')) {
      if (LONG_VALUE_OPTIONS.has(arg)) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const at = [...arg.slice(1)].findIndex((flag) => SHORT_VALUE_OPTIONS.has(flag));
      if (at === arg.length - 2) i++;
    } else {
      positions.push(i);
    }
  }
  return positions;
}

export interface ProgramOptions {
  version: string;
  run: Runner;
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
  onUsageError: (message: string) => void;
}

function rootCommand(root: Group, options: ProgramOptions): Command {
  return new Command('apriora')
    .description(root.description)
    .version(options.version, '-v, --version', 'print the version')
    .option('-p, --profile <name>', 'profile (one per customer); env APRIORA_PROFILE')
    .option('--json', 'print one JSON document on stdout')
    .option('-o, --output <format>', 'table | json | ndjson')
    .option('--no-color', 'disable colour')
    .option('--debug', 'trace HTTP requests on stderr (secrets redacted); env APRIORA_DEBUG=1')
    .option('--no-input', 'never prompt; missing values are an error')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wide', "tables in full, not fitted to the terminal's width")
    .exitOverride()
    .configureOutput({ writeOut: options.writeOut, writeErr: options.writeErr, outputError: options.onUsageError })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      `${examples(
        'apriora tracker login --region us',
        'apriora tracker fields map --auto',
        'apriora login',
        'apriora tracker connect',
        'apriora interview generate --all-open --modality phone',
        'apriora sandbox start',
      )}\nHelp topics (apriora help <topic>):\n${HELP_TOPICS.map((topic) => `  ${topic.name.padEnd(14)}${topic.summary}`).join('\n')}\n`,
    );
}

function attach(parent: Command, name: string, spec: AnyCommandSpec, options: ProgramOptions): void {
  const command = spec.command() as Command;
  command.name(name);
  parent.addCommand(command);
  // A command's own help settings (completion hides the global options) win over the inherited ones.
  const own = command.configureHelp();
  command.copyInheritedSettings(parent);
  command.configureHelp({ ...command.configureHelp(), ...own });
  command.action(async (...args: unknown[]) => {
    await options.run(spec, args.at(-2) as object, args.slice(0, -2), args.at(-1) as Command);
  });
}

/**
 * Builds the commander program for one command line. Along the path the words name, only the command that runs is
 * loaded; where the words stop at a group (or name nothing known), that group's own commands are loaded so that its
 * help lists them and a mistyped name gets a suggestion. `words: undefined` loads every command (docs, tests).
 */
export async function buildProgram(root: Group, words: string[] | undefined, options: ProgramOptions): Promise<Command> {
  const program = rootCommand(root, options);
  await addGroup(program, root, words, options);
  return program;
}

async function addGroup(parent: Command, group: Group, words: string[] | undefined, options: ProgramOptions): Promise<void> {
  const [word, ...rest] = words ?? [];
  const named = word === undefined ? undefined : group.commands[word];
  if (words && word !== undefined && named) {
    if (isGroup(named)) {
      await addGroup(subgroup(parent, word, named), named, rest, options);
    } else {
      attach(parent, word, (await named()).default, options);
    }
    return;
  }
  const entries = Object.entries(group.commands);
  const loaded = await Promise.all(entries.map(async ([, entry]) => (isGroup(entry) ? undefined : (await entry()).default)));
  for (const [index, [name, entry]] of entries.entries()) {
    if (isGroup(entry)) {
      const child = subgroup(parent, name, entry);
      if (!words) await addGroup(child, entry, undefined, options);
    } else {
      attach(parent, name, loaded[index]!, options);
    }
  }
}

function subgroup(parent: Command, name: string, group: Group): Command {
  return parent.command(name).description(group.description) as unknown as Command;
}
