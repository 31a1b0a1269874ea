import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, InterruptedError } from '../errors.js';
import { readAll } from './stdin.js';

export function parseJobId(value: string, where: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) === 0 || !Number.isSafeInteger(Number(text))) {
    throw new InputError(`${where}: "${value}" is not a Tracker job id (a positive whole number)`, { code: 'invalid_job_id' });
  }
  return Number(text);
}

/**
 * A jobs file: one id per line (blank lines and # comments skipped), or a CSV whose header has a `job_id` column.
 * Any bad line is an error naming it, before anything is written.
 */
export async function readJobsFile(path: string, stdin: Readable, signal?: AbortSignal): Promise<number[]> {
  const name = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = path === '-' ? await readAll(stdin, signal) : await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    throw new InputError(`Cannot read the jobs file ${name}: ${(error as Error).message}`, { code: 'unreadable_file' });
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trim().startsWith('#')) ?? '';
  return /,|job_id/i.test(firstLine) ? await idsFromCsv(text, name) : idsFromLines(text, name);
}

function idsFromLines(text: string, name: string): number[] {
  const ids: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    ids.push(parseJobId(trimmed, `${name}:${index + 1}`));
  });
  return ids;
}

async function idsFromCsv(text: string, name: string): Promise<number[]> {
  const { parse } = await import('csv-parse/sync');
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
      skip_empty_lines: true,
      info: true,
      comment: '#',
      trim: true,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new InputError(`${name}${line ? `:${line}` : ''}: not valid CSV: ${(error as Error).message}`, { code: 'invalid_csv' });
  }
  const ids: number[] = [];
  for (const { record, info } of rows) {
    if (!('job_id' in record)) {
      throw new InputError(`${name}: the CSV header has no job_id column (it has: ${Object.keys(record).join(', ')})`, { code: 'invalid_csv' });
    }
    ids.push(parseJobId(record.job_id ?? '', `${name}:${info.lines}`));
  }
  return ids;
}
