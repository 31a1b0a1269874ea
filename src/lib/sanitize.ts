/**
 * Remote data is data: job titles, descriptions, error messages and webhook fields come from people who may write
 * anything into them, terminal escape sequences included (`ESC ]0;title BEL` retitles a terminal, `ESC [2J` clears
 * it, `ESC ]52;c;…` writes the clipboard, a `\r` or `\n` fakes output lines). Two cleanings, one module:
 *
 * - `terminalText` / `terminalCell`: for what is printed to a terminal. Control characters (C0, DEL, C1), the
 *   Unicode line separators and the bidirectional overrides are shown as visible symbols (`␛`, `␇`, `\u009b`)
 *   instead of acting; table cells are one line and cut with an ellipsis.
 * - `cleanText`: for what is sent to another system (Apriora, Tracker). The same characters are removed; a
 *   multi-line field keeps `\n` and `\t`. Decode HTML entities BEFORE cleaning, so that `&#27;` is removed too.
 *
 * JSON output needs neither: JSON.stringify escapes control characters, and `--json` keeps values exact.
 */

/** C0 controls (tab and line feed included), DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** What a terminal must not receive raw: controls, Unicode line/paragraph separators, bidirectional embeddings and overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Line breaks of any kind (CRLF counted once). */
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/g;

/**
 * The colour sequences this tool itself writes (picocolors: bold, dim, red, green, yellow, cyan and their resets):
 * kept when colour is on, so that styled output keeps its style. Nothing else that starts with ESC survives, so a
 * remote value can at most colour itself, never move the cursor, retitle, clear or write the clipboard.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this tool's own colour sequences start with ESC
const OWN_STYLES = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

export const ELLIPSIS = '…';

/** Longest table cell, in characters, before it is cut with an ellipsis. */
export const MAX_CELL_LENGTH = 120;

export interface TerminalOptions {
  /** Keep line breaks (as `\n`) and tabs: a block of text such as a description or an error with its details. */
  multiline?: boolean;
  /** Keep this tool's own colour sequences (only when colour is on for the stream). */
  keepStyles?: boolean;
}

/** A character shown instead of acting: ␀…␟ for C0, ␡ for DEL, `\uXXXX` for the rest. */
function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function escapeUnsafe(text: string, multiline: boolean): string {
  const flattened = multiline
    ? text.replace(/\r\n/g, '\n').replace(/[\u2028\u2029]/g, '\n')
    : text.replace(/[ \t]*(?:\r\n|[\n\r\u2028\u2029])[ \t]*/g, ' ').replace(/\t/g, ' ');
  return flattened.replace(TERMINAL_UNSAFE, (char) => (multiline && (char === '\n' || char === '\t') ? char : visible(char)));
}

/** Text that is safe to print: nothing in it acts on the terminal. One line unless `multiline`. */
export function terminalText(text: string, options: TerminalOptions = {}): string {
  const multiline = options.multiline ?? false;
  if (!options.keepStyles) return escapeUnsafe(text, multiline);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(OWN_STYLES)) {
    result += escapeUnsafe(text.slice(last, match.index), multiline) + match[0];
    last = match.index + match[0].length;
  }
  return result + escapeUnsafe(text.slice(last), multiline);
}

/** Whether the text holds a control character (C0, DEL or C1), line breaks and tabs included. */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(CONTROL.source).test(text);
}

/** At most `max` characters (code points), the last of them an ellipsis when the text was longer. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}${ELLIPSIS}`;
}

/** One table cell: one line, safe, at most `maxLength` characters. Styled cells (this tool's colours) are not cut. */
export function terminalCell(text: string, options: { maxLength?: number; keepStyles?: boolean } = {}): string {
  const safe = terminalText(text, { keepStyles: options.keepStyles ?? false }).trim();
  if (options.keepStyles && safe.includes('\u001b')) return safe;
  return truncate(safe, options.maxLength ?? MAX_CELL_LENGTH);
}

/**
 * A value for another system: control characters removed. A single-line value has its line breaks and tabs turned
 * into spaces; a multi-line one keeps `\n` (CRLF and lone CR become `\n`) and `\t`.
 */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  if (options.multiline) {
    return text.replace(LINE_BREAKS, '\n').replace(CONTROL, (char) => (char === '\n' || char === '\t' ? char : ''));
  }
  return text
    .replace(/[ \t]*(?:\r\n|[\n\r\u2028\u2029\u0085])[ \t]*/g, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '');
}
