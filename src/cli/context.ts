import type { Readable, Writable } from 'node:stream';
import type { Command as Commander } from 'commander';
import { InputError } from '../errors.js';
import { validateProfileName } from '../store/profile-name.js';
import { Factory } from './factory.js';
import { type Colors, colorsFor, HumanOutput, type OutputMode, safeText, tableWidth } from './output.js';

export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  output?: string;
  color?: boolean;
  debug?: boolean;
  input?: boolean;
  yes?: boolean;
  wide?: boolean;
}

export interface Streams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

/** Everything a command needs from the outside world; tests build one with their own streams and env. */
export interface Context extends Streams {
  readonly env: NodeJS.ProcessEnv;
  readonly profileName: string;
  readonly mode: OutputMode;
  readonly debug: boolean;
  /** Prompts are allowed: stdin and stderr are terminals, not CI, no --no-input. */
  readonly interactive: boolean;
  /** Progress and spinners may be drawn on stderr. */
  readonly showProgress: boolean;
  readonly yes: boolean;
  readonly out: HumanOutput;
  /** What a person reads before a confirmation: stdout in table mode, stderr when stdout carries JSON. */
  readonly preview: HumanOutput;
  /** Colours for stderr (progress, warnings, logs), honouring --no-color like stdout's. */
  readonly errColors: Colors;
  /** Aborted on Ctrl-C or SIGTERM (the reason is the signal's name): long work stops starting new items. */
  readonly signal: AbortSignal;
  /** The profile, secrets and API clients, each built on first use. */
  readonly factory: Factory;
  /** Redacted HTTP trace on stderr with --debug, otherwise undefined. */
  readonly trace: ((line: string) => void) | undefined;
  warn(message: string): void;
  readonly warnings: string[];
  /** The program with every command loaded, for what reads the command definitions (completion scripts). */
  readonly allCommands: () => Promise<Commander>;
}

export function createContext(
  options: GlobalOptions,
  streams: Streams,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  allCommands: () => Promise<Commander>,
): Context {
  const mode = outputMode(options);
  const debug = Boolean(options.debug) || env.APRIORA_DEBUG === '1' || env.APRIORA_DEBUG === 'true';
  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  const interactive = options.input !== false && !ci && Boolean(streams.stdin.isTTY) && Boolean(streams.stderr.isTTY);
  // An empty APRIORA_PROFILE (a CI variable left undefined) is unset, like every other empty variable.
  const profileName = validateProfileName(options.profile ?? (env.APRIORA_PROFILE || undefined) ?? 'default');
  const warnings: string[] = [];
  const errColors = colorsFor(streams.stderr, env, options.color !== false);
  const wide = Boolean(options.wide);
  const out = new HumanOutput(streams.stdout, colorsFor(streams.stdout, env, options.color !== false), tableWidth(streams.stdout, env, wide));
  const trace = debug ? (line: string) => streams.stderr.write(`${errColors.dim(`[debug] ${safeText(line, plainColors, false)}`)}\n`) : undefined;
  const warn = (message: string) => {
    warnings.push(message);
    if (mode === 'table') streams.stderr.write(`${errColors.yellow('Warning:')} ${safeText(message, plainColors, false)}\n`);
  };
  return {
    ...streams,
    env,
    profileName,
    mode,
    debug,
    interactive,
    showProgress: !ci && Boolean(streams.stderr.isTTY),
    yes: Boolean(options.yes),
    out,
    preview: mode === 'table' ? out : new HumanOutput(streams.stderr, errColors, tableWidth(streams.stderr, env, wide)),
    errColors,
    signal,
    factory: new Factory({ env, profileName, trace, warn }),
    trace,
    warnings,
    warn,
    allCommands,
  };
}

/** Remote text inside a line: nothing of it is kept as a style. */
const plainColors = { enabled: false };

function outputMode(options: GlobalOptions): OutputMode {
  if (options.output !== undefined) {
    if (options.output !== 'table' && options.output !== 'json' && options.output !== 'ndjson') {
      throw new InputError(`--output must be table, json or ndjson, not "${options.output}"`);
    }
    if (options.json && options.output !== 'json') {
      throw new InputError(`--json conflicts with --output ${options.output}`);
    }
    return options.output;
  }
  return options.json ? 'json' : 'table';
}
