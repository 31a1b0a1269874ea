import type { Writable } from 'node:stream';
import pc from 'picocolors';

export type OutputMode = 'table' | 'json' | 'ndjson';

export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain: Colors = { bold: String, dim: String, green: String, red: String, yellow: String, cyan: String };

/** Colour honours NO_COLOR, FORCE_COLOR, --no-color and TERM=dumb, and is only on for a terminal. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): Colors {
  if (!flag || 'NO_COLOR' in env || env.TERM === 'dumb') return plain;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (!forced && !stream.isTTY) return plain;
  const c = pc.createColors(true);
  return { bold: c.bold, dim: c.dim, green: c.green, red: c.red, yellow: c.yellow, cyan: c.cyan };
}

export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/** Human output on stdout. Machine modes never call these: the runner prints the envelope instead. */
export class HumanOutput {
  constructor(
    private readonly stdout: Writable,
    readonly colors: Colors,
  ) {}

  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** Aligned "key  value" lines, for one record. */
  fields(pairs: [string, string | number | boolean | null | undefined][]): void {
    const width = Math.max(...pairs.map(([key]) => key.length));
    for (const [key, value] of pairs) {
      this.line(`${this.colors.bold(key.padEnd(width))}  ${value === undefined || value === null || value === '' ? this.colors.dim('-') : String(value)}`);
    }
  }

  async table<Row>(columns: TableColumn<Row>[], rows: Iterable<Row>, empty = 'Nothing to show.'): Promise<void> {
    const list = [...rows];
    if (list.length === 0) {
      this.line(this.colors.dim(empty));
      return;
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: columns.map((column) => this.colors.bold(column.header)),
      style: { head: [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const row of list) {
      table.push(
        columns.map((column) => {
          const value = column.value(row);
          return value === undefined || value === null ? '' : String(value);
        }),
      );
    }
    this.line(table.toString());
  }
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
