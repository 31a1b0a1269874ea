import { createRequire } from 'node:module';

/*
 * Fitting a table to the terminal's width. Widths are display columns, measured as cli-table3 measures them (its own
 * `string-width`), so that its padding agrees with ours: a CJK character or an emoji takes two columns, colour codes
 * none.
 */
const stringWidth = createRequire(import.meta.url)('string-width') as (text: string) => number;

const ELLIPSIS = '…';

/** The colour sequences a cell may hold (this tool's own, kept by sanitising): zero columns wide. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour sequences start with ESC
const STYLE = /\u001b\[[0-9;]*m/g;

/** A column narrower than this is cut no further unless its content is narrower. */
export const DEFAULT_MIN_WIDTH = 8;

export interface FitColumn {
  header: string;
  /** Higher is more important: the columns of the lowest priority are dropped first (ties: the rightmost). Default 0. */
  priority?: number;
  /** Columns this column keeps before any column is dropped (DEFAULT_MIN_WIDTH when absent). */
  minWidth?: number;
  /**
   * false: the values are copied (URLs, e-mails, phone numbers, ids), so they are shown whole or the column is
   * dropped; its minimum width is its longest value. Default true.
   */
  cut?: boolean;
}

export interface FittedTable {
  /** The headers and rows of the columns kept, each cell cut to its column's width. */
  header: string[];
  rows: string[][];
  /** Headers of the columns dropped, in table order; a column with no value in any row is dropped unnamed. */
  hidden: string[];
}

/** How many columns the text takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text in at most `width` columns (at least 1), its last column an ellipsis when cut. Colour sequences are all
 * kept, the ones after the cut included, so that every style opened is closed as in the original.
 */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const room = width - 1;
  let used = 0;
  let full = false;
  let result = '';
  let last = 0;
  const visible = (chunk: string) => {
    for (const { segment } of graphemes.segment(chunk)) {
      const size = displayWidth(segment);
      if (full || used + size > room) {
        if (!full) result = `${result.trimEnd()}${ELLIPSIS}`;
        full = true;
        continue;
      }
      used += size;
      result += segment;
    }
  };
  for (const match of text.matchAll(STYLE)) {
    visible(text.slice(last, match.index));
    result += match[0];
    last = match.index + match[0].length;
  }
  visible(text.slice(last));
  return result;
}

/** Width of a table line around its cells (cli-table3: one space of padding each side, a border between columns). */
function frame(columnCount: number): number {
  return columnCount * 3 + 1;
}

/**
 * Drops and cuts columns so that every line of the table takes at most `maxWidth` columns. Each kept column first
 * gets its minimum (or less, when its content is narrower; all of it when it is not to be cut); while even that does
 * not fit, the columns with no value in any row are dropped first, then those of the lowest priority; the room left
 * goes to the most important columns first, so the least important are cut.
 */
export function fitTable(columns: FitColumn[], rows: string[][], maxWidth: number): FittedTable {
  const natural = columns.map((column, i) => Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const whole = columns.map((column) => column.cut === false);
  const floor = columns.map((column, i) => (whole[i] ? natural[i]! : Math.max(1, Math.min(natural[i]!, column.minWidth ?? DEFAULT_MIN_WIDTH))));
  const empty = columns.map((_, i) => rows.every((row) => displayWidth(row[i] ?? '') === 0));
  // Empty columns go before any column with content, whatever their priority; then the lowest priority, rightmost.
  const rank = (i: number) => (empty[i] ? Number.NEGATIVE_INFINITY : (columns[i]!.priority ?? 0));
  let kept = columns.map((_, i) => i);
  const floorWidth = (of: number[]) => of.reduce((total, i) => total + floor[i]!, 0) + frame(of.length);
  const naturalWidth = (of: number[]) => of.reduce((total, i) => total + natural[i]!, 0) + frame(of.length);
  // A column with nothing in it goes before any cell is cut.
  while (kept.length > 1 && kept.some((i) => empty[i]) && naturalWidth(kept) > maxWidth) {
    const drop = kept.findLast((i) => empty[i])!;
    kept = kept.filter((i) => i !== drop);
  }
  while (kept.length > 1 && floorWidth(kept) > maxWidth) {
    const drop = kept.reduce((lowest, i) => (rank(i) <= rank(lowest) ? i : lowest));
    kept = kept.filter((i) => i !== drop);
  }
  const budget = Math.max(kept.length, maxWidth - frame(kept.length));
  // A column not to be cut keeps its full width even when it alone is wider than the terminal.
  const widths = new Map(kept.map((i) => [i, whole[i] ? natural[i]! : Math.min(floor[i]!, budget)]));
  // The room left goes to the most important columns first (ties: the leftmost), each up to its full width.
  let room = budget - kept.reduce((total, i) => total + widths.get(i)!, 0);
  const byImportance = kept.toSorted((a, b) => (columns[b]!.priority ?? 0) - (columns[a]!.priority ?? 0) || a - b);
  for (const i of byImportance) {
    const grow = Math.max(0, Math.min(room, natural[i]! - widths.get(i)!));
    widths.set(i, widths.get(i)! + grow);
    room -= grow;
  }
  return {
    header: kept.map((i) => cutToWidth(columns[i]!.header, widths.get(i)!)),
    rows: rows.map((row) => kept.map((i) => cutToWidth(row[i] ?? '', widths.get(i)!))),
    hidden: columns.filter((_, i) => !kept.includes(i) && !empty[i]).map((column) => column.header),
  };
}
