import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { terminalCell, terminalText } from '../lib/sanitize.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson'] as const;

export type OutputMode = (typeof OUTPUT_FORMATS)[number];

export interface Colors {
  /** Colour is on: this tool's own colour sequences are kept when text is made safe for the terminal. */
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain: Colors = { enabled: false, bold: String, dim: String, green: String, red: String, yellow: String, cyan: String };

/** Colour honours NO_COLOR, FORCE_COLOR, --no-color and TERM=dumb, and is only on for a terminal. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): Colors {
  if (!flag || 'NO_COLOR' in env || env.TERM === 'dumb') return plain;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (!forced && !stream.isTTY) return plain;
  // Loaded only when colour is on: picocolors' own detection opens stdout and loads `tty` as it is imported.
  const c = (createRequire(import.meta.url)('picocolors') as typeof import('picocolors')).createColors(true);
  return { enabled: true, bold: c.bold, dim: c.dim, green: c.green, red: c.red, yellow: c.yellow, cyan: c.cyan };
}

export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
  /**
   * When the table is wider than the terminal: higher is more important, the columns of the lowest priority are
   * dropped first (ties: the rightmost). Default 0.
   */
  priority?: number;
  /** Display columns this column keeps before columns are dropped; its content is cut with an ellipsis below that. */
  minWidth?: number;
  /**
   * false for values a user copies (URLs, e-mails, phone numbers, ids): never cut, the column is shown whole or
   * dropped. Give such columns a high priority so that the others go first. Default true.
   */
  cut?: boolean;
}

/**
 * The width tables are fitted to: the terminal's columns (COLUMNS, else 80, when it does not say). Off a terminal
 * only an explicit COLUMNS fits them, so that piped output keeps all of its content; `--wide` never fits them.
 */
export function tableWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv, wide: boolean): number | undefined {
  if (wide) return undefined;
  const fromEnv = /^\s*\d+\s*$/.test(env.COLUMNS ?? '') && Number(env.COLUMNS) > 0 ? Number(env.COLUMNS) : undefined;
  if (!stream.isTTY) return fromEnv;
  return stream.columns !== undefined && stream.columns > 0 ? stream.columns : (fromEnv ?? 80);
}

/**
 * Text for a terminal stream (src/lib/sanitize.ts): control characters of remote data shown, not acted on; this
 * tool's own colours kept when colour is on. Every human line on stdout and stderr goes through here.
 */
export function safeText(text: string, colors: Pick<Colors, 'enabled'>, multiline = true): string {
  return terminalText(text, { multiline, keepStyles: colors.enabled });
}

/**
 * Human output on stdout. Machine modes never call these: the runner prints the envelope instead. Everything
 * written is made safe for the terminal here, so that no command can print a remote value raw.
 */
export class HumanOutput {
  constructor(
    private readonly stdout: Writable,
    readonly colors: Colors,
    /** Tables are fitted to this many display columns; undefined (--wide, piped without COLUMNS): printed in full. */
    readonly width?: number,
  ) {}

  line(text = ''): void {
    this.stdout.write(`${safeText(text, this.colors)}\n`);
  }

  /** Aligned "key  value" lines, for one record; the lines of a multi-line value are indented under its first. */
  fields(pairs: [string, string | number | boolean | null | undefined][]): void {
    const width = Math.max(...pairs.map(([key]) => key.length));
    const indent = ' '.repeat(width + 2);
    for (const [key, value] of pairs) {
      const shown =
        value === undefined || value === null || value === '' ? this.colors.dim('-') : safeText(String(value), this.colors).replace(/\n(?=.)/g, `\n${indent}`);
      this.line(`${this.colors.bold(key.padEnd(width))}  ${shown}`);
    }
  }

  async table<Row>(columns: TableColumn<Row>[], rows: Iterable<Row>, empty = 'Nothing to show.'): Promise<void> {
    const list = [...rows];
    if (list.length === 0) {
      this.line(this.colors.dim(empty));
      return;
    }
    // Unfitted (--wide, piped without COLUMNS), no cell is cut, however long.
    const maxLength = this.width === undefined ? Number.POSITIVE_INFINITY : undefined;
    const cell = (text: string) => terminalCell(text, { keepStyles: this.colors.enabled, maxLength });
    let header = columns.map((column) => cell(column.header));
    let cells = list.map((row) =>
      columns.map((column) => {
        const value = column.value(row);
        return value === undefined || value === null ? '' : cell(String(value));
      }),
    );
    let hidden: string[] = [];
    if (this.width !== undefined) {
      const { fitTable } = await import('./table-fit.js');
      ({
        header,
        rows: cells,
        hidden,
      } = fitTable(
        columns.map((column, i) => ({ ...column, header: header[i]! })),
        cells,
        this.width,
      ));
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: header.map((text) => this.colors.bold(text)),
      style: { head: [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    table.push(...cells);
    this.line(table.toString());
    if (hidden.length > 0) this.line(this.colors.dim(hiddenNote(hidden, this.width)));
  }
}

/** The line under a fitted table naming the columns it dropped; shorter when that does not fit the width. */
export function hiddenNote(hidden: string[], width: number | undefined): string {
  const count = hidden.length === 1 ? '1 column' : `${hidden.length} columns`;
  const full = `${count} hidden (${hidden.join(', ')}): use --wide`;
  if (width === undefined || full.length <= width) return full;
  for (const note of [`${count} hidden: use --wide`, `${hidden.length} hidden: use --wide`]) if (note.length <= width) return note;
  return `${hidden.length} hidden: --wide`;
}

export interface Envelope {
  ok: boolean;
  data?: unknown;
  warnings?: string[];
  error?: { code: string; message: string; hint: string | null; details: unknown };
}

export function writeJson(stream: Writable, document: unknown, pretty: boolean): void {
  stream.write(`${JSON.stringify(document, null, pretty ? 2 : undefined)}\n`);
}
