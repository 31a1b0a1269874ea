import { InputError, InterruptedError } from '../errors.js';
import { terminalCell, terminalText } from '../lib/sanitize.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';

/** How the user can give the value without a prompt, for the "missing value" error. */
export interface Missing {
  flag: string;
  env?: string;
  /** What the value is, when the prompt's question does not say it. */
  what?: string;
}

function missing(question: string, how: Missing): InputError {
  return new InputError(`${how.what ?? question} is required`, {
    code: 'missing_value',
    hint: `Pass ${how.flag}${how.env ? ` or set ${how.env}` : ''} (prompts are off: no terminal, CI, or --no-input).`,
  });
}

async function prompts() {
  return import('@inquirer/prompts');
}

function promptContext(ctx: Context) {
  return { input: ctx.stdin, output: ctx.stderr, signal: ctx.signal };
}

/**
 * Inquirer's look in the colours of the rest of stderr: its own theme asks node whether process.stdout takes colour,
 * which ignores --no-color (and the prompts' stream is stderr).
 */
function theme(ctx: Context) {
  const { bold, dim, green, red, yellow, cyan } = ctx.errColors;
  return {
    prefix: { idle: cyan('?'), done: green('✔') },
    spinner: { interval: 80, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'].map((frame) => yellow(frame)) },
    style: {
      answer: (text: string) => cyan(text),
      message: (text: string) => bold(text),
      error: (text: string) => red(`> ${text}`),
      defaultAnswer: (text: string) => dim(`(${text})`),
      help: (text: string) => dim(text),
      highlight: (text: string) => cyan(text),
      key: (text: string) => cyan(bold(`<${text}>`)),
      // select and password
      disabled: (text: string) => dim(text),
      description: (text: string) => cyan(text),
      keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${bold(key)} ${dim(action)}`).join(dim(' • ')),
      // confirm: the default answer's letter is shown in capitals ("Y/n"), or in colour when it has no case
      confirmDefault: (text: string) => {
        const first = text[0] ?? '';
        return first.toLowerCase() === first.toUpperCase() ? cyan(text) : first.toUpperCase() + text.slice(1);
      },
    },
  };
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError('Interrupted');
    throw error;
  }
}

export async function askText(ctx: Context, message: string, how: Missing, defaultValue?: string): Promise<string> {
  if (!ctx.interactive) {
    if (defaultValue) return defaultValue;
    throw missing(message, how);
  }
  const { input } = await prompts();
  return guard(() => input({ message: terminalText(message), default: defaultValue, required: true, theme: theme(ctx) }, promptContext(ctx))).then((v) =>
    v.trim(),
  );
}

export async function askSecret(ctx: Context, message: string, how: Missing): Promise<string> {
  if (!ctx.interactive) throw missing(message, how);
  const { password } = await prompts();
  return guard(() =>
    password({ message: terminalText(message), mask: '*', validate: (value) => value.trim() !== '' || 'Required', theme: theme(ctx) }, promptContext(ctx)),
  ).then((v) => v.trim());
}

/** A secret the user may skip: asked only at a terminal; an empty answer (or no terminal) is undefined. */
export async function askOptionalSecret(ctx: Context, message: string): Promise<string | undefined> {
  if (!ctx.interactive) return undefined;
  const { password } = await prompts();
  const value = (await guard(() => password({ message: terminalText(message), mask: '*', theme: theme(ctx) }, promptContext(ctx)))).trim();
  return value === '' ? undefined : value;
}

export async function choose<T>(ctx: Context, message: string, choices: { name: string; value: T; description?: string }[], how: Missing): Promise<T> {
  if (!ctx.interactive) throw missing(message, how);
  const { select } = await prompts();
  // Choice names often quote remote data (Tracker field names): one safe line each.
  const shown = choices.map((choice) => ({
    ...choice,
    name: terminalCell(choice.name),
    ...(choice.description === undefined ? {} : { description: terminalText(choice.description) }),
  }));
  return guard(() => select({ message: terminalText(message), choices: shown, theme: theme(ctx) }, promptContext(ctx)));
}

/** Yes/no on a terminal; --yes answers yes; without a terminal the caller decides what "no answer" means. */
export async function confirm(ctx: Context, message: string, defaultValue = false): Promise<boolean> {
  if (ctx.yes) return true;
  if (!ctx.interactive) return false;
  const { confirm: ask } = await prompts();
  return guard(() => ask({ message: terminalText(message), default: defaultValue, theme: theme(ctx) }, promptContext(ctx)));
}

/**
 * "No" to a confirmation: the user's choice, not a failure nor an interruption (Ctrl-C at the question is exit 130).
 * Exit 0, nothing written, and the JSON data says it was declined.
 */
export function declined(ctx: Context, hint?: string): CommandResult {
  return {
    data: { declined: true, written: false },
    render: () => {
      ctx.out.line('Nothing written.');
      if (hint) ctx.out.line(ctx.out.colors.dim(hint));
    },
  };
}
