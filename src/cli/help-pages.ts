import { readFileSync } from 'node:fs';

/**
 * `apriora … --help` off a terminal, without loading commander: the build renders every command's help once
 * (`writeHelpPages` in main.ts, at the width and without the colours commander uses when stdout is not a terminal) into
 * `help-pages.json` beside this file. On a terminal, for any other spelling, or when the file is missing, commander
 * renders the help as usual.
 */
export const HELP_PAGES_FILE = new URL('./help-pages.json', import.meta.url);

const COMMAND_WORD = /^[a-z][a-z0-9-]*$/;

/** `tracker login` for `tracker login --help`; undefined for anything but command words followed by one help flag. */
export function helpPageKey(args: readonly string[]): string | undefined {
  const last = args.at(-1);
  if (last !== '--help' && last !== '-h') return undefined;
  const words = args.slice(0, -1);
  return words.every((word) => COMMAND_WORD.test(word)) ? words.join(' ') : undefined;
}

/** The pre-rendered help page that `args` asks for, if there is one. */
export function renderedHelpPage(args: readonly string[]): string | undefined {
  const key = helpPageKey(args);
  if (key === undefined) return undefined;
  try {
    const pages = JSON.parse(readFileSync(HELP_PAGES_FILE, 'utf8')) as Record<string, unknown>;
    const page = Object.hasOwn(pages, key) ? pages[key] : undefined;
    return typeof page === 'string' ? page : undefined;
  } catch {
    return undefined; // not built: commander renders it
  }
}
