import { createRequire } from 'node:module';
import type * as Typed from '@commander-js/extra-typings';
import type { OptionValues } from '@commander-js/extra-typings';
import type { AppError } from '../errors.js';
import type { Context } from './context.js';

/*
 * commander through `require`, typed by @commander-js/extra-typings (whose runtime only re-exports commander):
 * importing the CommonJS package as ESM costs about 10 ms of every start-up, `--help` included.
 */
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');
export const Command = commander.Command as unknown as typeof Typed.Command;
// biome-ignore lint/complexity/noBannedTypes: the same defaults as @commander-js/extra-typings' Command
export type Command<Args extends unknown[] = [], Opts extends OptionValues = {}, GlobalOpts extends OptionValues = {}> = Typed.Command<
  // biome-ignore lint/suspicious/noExplicitAny: commander's own constraint on argument tuples
  Args extends any[] ? Args : never,
  Opts,
  GlobalOpts
>;
export const Option = commander.Option as unknown as typeof Typed.Option;
export const Argument = commander.Argument as unknown as typeof Typed.Argument;
export const CommanderError = commander.CommanderError;
const InvalidArgumentError = commander.InvalidArgumentError;

/**
 * What every command file exports: its commander definition (flags, defaults, help) and its run function.
 * The registry (src/cli/registry.ts) loads a command file only when the command line names it.
 */
export interface CommandResult {
  /** The `data` of the JSON envelope. */
  data: unknown;
  /** Human rendering on stdout; without it, table mode prints nothing. */
  render?: () => void | Promise<void>;
  /** A bulk run that partly failed still reports its data, with this error and its exit code. */
  error?: AppError;
  /** The command wrote its own output (ndjson streams, long-running servers): print nothing more. */
  printed?: boolean;
}

export interface CommandSpec<Args extends unknown[] = unknown[], Opts extends OptionValues = OptionValues> {
  /** A new commander command each call: commander keeps parsed values on the instance. */
  command: () => Command<Args, Opts>;
  run: (options: Opts, ctx: Context, args: Args) => Promise<CommandResult>;
}

/** A command file: its default export is the command's definition and run function. */
/** Any command, whatever its flags: what the registry and the program assembly handle. */
// biome-ignore lint/suspicious/noExplicitAny: each command's options and arguments have their own types
export type AnyCommandSpec = CommandSpec<any, any>;

export type Loader = () => Promise<{ default: AnyCommandSpec }>;

/** A command that only holds others (`tracker`, `tracker fields`). */
export interface Group {
  description: string;
  commands: Record<string, Loader | Group>;
}

/** Types `run`'s options and arguments from the definition, so a flag is declared in exactly one place. */
export function defineCommand<Args extends unknown[], Opts extends OptionValues>(
  command: () => Command<Args, Opts>,
  run: (options: Opts, ctx: Context, args: Args) => Promise<CommandResult>,
): CommandSpec<Args, Opts> {
  return { command, run };
}

/** The "Examples:" block of a command's help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

export function positiveInt(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number <= 0) {
    throw new InvalidArgumentError('must be a positive whole number.');
  }
  return number;
}

export function nonNegativeInt(value: string): number {
  return value.trim() === '0' ? 0 : positiveInt(value);
}

/** A whole number from `min` to `max`; `rule` is the error's text ("must be …"). */
function wholeNumberFrom(min: number, max: number, rule: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) throw new InvalidArgumentError(rule);
    return number;
  };
}

/** `--port`: 0 (a free port) to 65535. */
export const port = wholeNumberFrom(0, 65_535, 'must be a port number from 0 to 65535 (0 picks a free one).');

/** The most items a bulk command or the listener works on at once: beyond it, only the APIs' rate limits grow. */
export const MAX_CONCURRENCY = 32;

/** `--concurrency`: 1 to MAX_CONCURRENCY. */
export const concurrency = wholeNumberFrom(1, MAX_CONCURRENCY, `must be a whole number from 1 to ${MAX_CONCURRENCY}.`);

/** `activity listen --max-pending`: 1 to 100,000 deliveries waiting to be pushed. */
export const maxPending = wholeNumberFrom(1, 100_000, 'must be a whole number from 1 to 100000.');

/** A time budget in seconds: 1 to a day (far beyond any run, and below what a Node timer can hold). */
export const MAX_TIMEOUT_SECONDS = 86_400;
export const timeoutSeconds = wholeNumberFrom(1, MAX_TIMEOUT_SECONDS, `must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}.`);

/** `--path` of a URL: starts with "/", no query, no spaces. */
export function urlPath(value: string): string {
  if (!/^\/[^\s?#]*$/.test(value)) throw new InvalidArgumentError('must be a URL path starting with "/" (e.g. /webhooks/apriora), without spaces, "?" or "#".');
  return value;
}

export function rate(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError('must be a number from 0 to 1.');
  }
  return number;
}

/** For repeatable flags: `--job 1 --job 2` → ['1', '2']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
