import type { Command as Commander, Option as CommanderOption } from 'commander';
import { HELP_TOPICS } from './help/topics.js';
import { OUTPUT_FORMATS } from './output.js';

/** One flag as a shell completes it. */
export interface CompletionOption {
  /** `['-p', '--profile']` */
  flags: string[];
  description: string;
  /** The word after the flag is its value, not a command or an argument. */
  takesValue: boolean;
  /** The values the flag accepts, when it lists them. */
  choices: string[];
  /** The value is a profile name: read from the config file when completing. */
  profile: boolean;
}

/** A command or a group of commands, by its path of words (`[]` is `apriora` itself). */
export interface CompletionCommand {
  path: string[];
  description: string;
  /** Names of the commands under it (a group), in help order. */
  subcommands: { name: string; description: string }[];
  /** Its own flags; the global ones are in CompletionTree.globalOptions. */
  options: CompletionOption[];
  /** The values its first argument accepts, when it lists them. */
  argumentChoices: string[];
}

export interface CompletionTree {
  /** Flags every command accepts (apriora's own options, and --help). */
  globalOptions: CompletionOption[];
  /** Every command and group, `apriora` itself first. */
  commands: CompletionCommand[];
}

const HELP_OPTION: CompletionOption = { flags: ['-h', '--help'], description: 'display help for command', takesValue: false, choices: [], profile: false };

function completionOption(option: CommanderOption): CompletionOption {
  const flags = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
  // --output is validated where the output mode is chosen, so commander does not know its values.
  const choices = option.argChoices ?? (option.long === '--output' ? [...OUTPUT_FORMATS] : []);
  return {
    flags,
    description: option.description,
    takesValue: option.required || option.optional,
    choices: [...choices],
    profile: option.long === '--profile',
  };
}

function visibleOptions(command: Commander): CompletionOption[] {
  return command.options.filter((option) => !option.hidden).map(completionOption);
}

/** Reads the command definitions of a program holding every command, so that a command added later is completed too. */
export function completionTree(program: Commander): CompletionTree {
  const commands: CompletionCommand[] = [];
  const walk = (command: Commander, path: string[]) => {
    const ownOptions = path.length === 0 ? [] : visibleOptions(command);
    commands.push({
      path,
      description: command.description(),
      subcommands: command.commands.map((child) => ({ name: child.name(), description: child.description() })),
      options: ownOptions,
      argumentChoices: [...(command.registeredArguments[0]?.argChoices ?? [])],
    });
    for (const child of command.commands) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  // `help` takes a topic or a command name: its argument lists no choices, since `help tracker jobs` must parse.
  const help = commands.find((command) => command.path.length === 1 && command.path[0] === 'help');
  if (help !== undefined && help.argumentChoices.length === 0) {
    const names = [...HELP_TOPICS.map((topic) => topic.name), ...program.commands.map((child) => child.name()).filter((name) => name !== 'help')];
    help.argumentChoices = [...new Set(names)];
  }
  const rootOptions = visibleOptions(program);
  // --version only at the top; the other root options anywhere (commander reads them after a subcommand too).
  commands[0]!.options = rootOptions.filter((option) => option.flags.includes('--version'));
  return { globalOptions: [...rootOptions.filter((option) => !option.flags.includes('--version')), HELP_OPTION], commands };
}
