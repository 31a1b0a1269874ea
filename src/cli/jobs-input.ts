import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import { AppError, InputError, InterruptedError } from '../errors.js';
import { IdSet } from '../lib/id-set.js';
import { withFirst } from '../lib/iterate.js';
import { terminalText } from '../lib/sanitize.js';

export function parseJobId(value: string, where: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) === 0 || !Number.isSafeInteger(Number(text))) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new InputError(`${where}: "${terminalText(shown)}" is not a Tracker job id (a positive whole number)`, {
      code: 'invalid_job_id',
      // In a file, a header that is not `job_id` is read as the first id.
      hint: where.startsWith('--') ? undefined : 'A jobs file holds one job id per line (# starts a comment), or is a CSV whose header has a job_id column.',
    });
  }
  return Number(text);
}

/** The job ids of a jobs file or of stdin, read as a stream: memory stays flat whatever the size of the input. */
export interface JobIds {
  /** The input as messages name it: the path as given, or "stdin". */
  readonly source: string;
  /**
   * How many distinct ids the run gets, known before it starts for a file (a first pass over it counts and checks
   * every line); undefined for stdin, which cannot be read twice.
   */
  readonly total: number | undefined;
  /** The ids in input order, each once; a bad line throws an InputError naming `source:line`. Read it once. */
  ids(): AsyncIterable<number>;
  /** Repeated ids skipped so far (all of them for a file, from the first pass). */
  readonly duplicates: number;
  /**
   * The input holds more distinct ids than are remembered for finding repeats (see IdSet): a repeat beyond that
   * point is processed again, which the idempotent generation reports as `exists`.
   */
  readonly tooManyToCheck: boolean;
  /**
   * The distinct ids of a file, from its first pass (for reading the jobs by list pages); undefined for stdin, and
   * when there are too many to remember.
   */
  readonly wanted: IdSet | undefined;
  /** Stops reading what is left (stdin kept open by its writer would otherwise keep the process waiting). */
  close(): Promise<void>;
}

/** A line longer than this cannot be a job id (or a sensible CSV row): the input is not a jobs file. */
const MAX_LINE = 64 * 1024;
/** Ids handed on at a time: one promise per batch rather than one per id keeps a first pass over millions fast. */
const BATCH = 1024;

/**
 * A jobs file (`-` for stdin): one id per line (blank lines and # comments skipped), or a CSV whose header has a
 * `job_id` column. UTF-8, or UTF-16 with its byte order mark; anything else is exit 2 asking for UTF-8.
 *
 * A file is read twice, as a stream both times: a first pass checks every line and counts the ids, so that a bad line
 * or an empty file is exit 2 naming it before anything is written, and the run knows its size. stdin is read once:
 * the first id is awaited before anything starts (empty input is exit 2), and a bad line further on stops the run
 * with exit 2 naming `stdin:line` after the jobs before it are reported; running the command again is safe.
 */
export async function openJobsFile(path: string, stdin: Readable, signal?: AbortSignal): Promise<JobIds> {
  if (path === '-') return openStdin(stdin, signal);
  // A FIFO or a device would block the two passes (a FIFO with no writer never answers): only a regular file, or stdin.
  const kind = await stat(path).then(
    (info) => (info.isFile() ? 'file' : info.isDirectory() ? 'a directory' : 'not a regular file'),
    (error: NodeJS.ErrnoException) => {
      throw new InputError(`Cannot read the jobs file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { code: 'unreadable_file' });
    },
  );
  if (kind !== 'file') {
    throw new InputError(`The jobs file ${path} is ${kind}`, {
      code: 'unreadable_file',
      hint: 'Give a file of job ids (one per line, or a CSV with a job_id column), or pipe them with --jobs-file -.',
    });
  }
  // The file is opened when a pass starts reading, not before: a pass that never starts leaves nothing open.
  const open = async function* () {
    yield* readIds(createReadStream(path, { highWaterMark: 64 * 1024 }), path, signal);
  };
  let total = 0;
  const seen = new IdSet();
  let duplicates = 0;
  for await (const batch of open()) {
    for (const id of batch) {
      if (seen.add(id) === 'present') duplicates++;
      else total++;
    }
  }
  if (total === 0) throw emptyInput(path);
  const tooManyToCheck = seen.full;
  return {
    source: path,
    total,
    duplicates,
    tooManyToCheck,
    wanted: tooManyToCheck ? undefined : seen,
    ids: () => distinct(open(), new IdSet(), () => {}),
    // Each pass closes the file when it ends or is left.
    close: async () => {},
  };
}

async function openStdin(stdin: Readable, signal?: AbortSignal): Promise<JobIds> {
  const batches = readIds(stdin, 'stdin', signal)[Symbol.asyncIterator]();
  // Wait for the first id: an empty pipe (the command before it failed) is an error, not "No jobs."
  let first: IteratorResult<number[]>;
  do first = await batches.next();
  while (!first.done && first.value.length === 0);
  if (first.done) throw emptyInput('stdin');
  const seen = new IdSet();
  const state = { duplicates: 0 };
  const rest = withFirst(first.value, batches);
  return {
    source: 'stdin',
    total: undefined,
    get duplicates() {
      return state.duplicates;
    },
    get tooManyToCheck() {
      return seen.full;
    },
    wanted: undefined,
    ids: () =>
      distinct(rest, seen, () => {
        state.duplicates++;
      }),
    close: async () => {
      await batches.return?.(undefined);
    },
  };
}

function emptyInput(source: string): InputError {
  return new InputError(`${source} has no job ids`, {
    code: 'no_job_ids',
    hint:
      source === 'stdin'
        ? 'Pipe job ids in, one per line. Empty input usually means that the command before the pipe failed.'
        : 'Put one Tracker job id per line (# starts a comment), or a CSV with a job_id column.',
  });
}

/** Each id once, in input order; ids beyond what the set can remember pass through. */
async function* distinct(batches: AsyncIterable<number[]>, seen: IdSet, onDuplicate: () => void): AsyncGenerator<number> {
  for await (const batch of batches) {
    for (const id of batch) {
      if (seen.add(id) === 'present') onDuplicate();
      else yield id;
    }
  }
}

/** The ids of `stream`, in batches, duplicates included. */
async function* readIds(stream: Readable, source: string, signal?: AbortSignal): AsyncGenerator<number[]> {
  const texts = decode(stream, source, signal)[Symbol.asyncIterator]();
  // The format is chosen by the first line that is neither blank nor a comment: a comma or "job_id" makes it CSV.
  // The lines before it are skipped (both formats skip them) and counted, so that messages name the right line.
  let pending = '';
  let skipped = 0;
  let header: string | undefined;
  while (header === undefined) {
    const next = await texts.next();
    if (next.done) {
      if (pending.trim() !== '' && !pending.trim().startsWith('#')) header = pending;
      break;
    }
    pending += next.value;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end).trim();
      if (line !== '' && !line.startsWith('#')) {
        header = line;
        break;
      }
      pending = pending.slice(end + 1);
      skipped++;
    }
    if (header === undefined && pending.length > MAX_LINE) throw tooLong(source, skipped + 1);
  }
  if (header === undefined) return;
  const rest = replay(pending, texts);
  if (/,|job_id/i.test(header)) yield* csvIds(rest, source, skipped);
  else yield* plainIds(rest, source, skipped);
}

/** `first`, then the rest of `texts`. */
async function* replay(first: string, texts: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield first;
    for (let next = await texts.next(); !next.done; next = await texts.next()) yield next.value;
  } finally {
    await texts.return?.();
  }
}

async function* plainIds(texts: AsyncIterable<string>, source: string, skipped: number): AsyncGenerator<number[]> {
  let line = skipped;
  let rest = '';
  const idOf = (text: string, from: number, to: number): number | undefined => {
    line++;
    const id = plainId(text, from, to);
    if (id !== null) return id;
    const trimmed = text.slice(from, to).trim();
    return trimmed === '' || trimmed.startsWith('#') ? undefined : parseJobId(trimmed, `${source}:${line}`);
  };
  for await (const text of texts) {
    const chunk = rest + text;
    const batch: number[] = [];
    let start = 0;
    try {
      for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
        const id = idOf(chunk, start, end);
        if (id !== undefined) batch.push(id);
        start = end + 1;
      }
      rest = chunk.slice(start);
      if (rest.length > MAX_LINE) throw tooLong(source, line + 1);
    } catch (error) {
      // The ids before a bad line are handed on first: a streamed run processes everything up to the line it names.
      if (batch.length) yield batch;
      throw error;
    }
    if (batch.length) yield batch;
  }
  const last = idOf(rest, 0, rest.length);
  if (last !== undefined) yield [last];
}

/**
 * The usual line, read in place without making strings (a first pass over millions of lines makes no garbage): the
 * id of `text[from, to)` when it is only ASCII digits (up to 15) between spaces, tabs or a CR; undefined when it is
 * blank or a # comment; null for anything else, which parseJobId then reads (and names if it is bad).
 */
function plainId(text: string, from: number, to: number): number | undefined | null {
  let start = from;
  let end = to;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end || text.charCodeAt(start) === 0x23) return undefined;
  if (end - start > 15) return null;
  let id = 0;
  for (let at = start; at < end; at++) {
    const digit = text.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return null;
    id = id * 10 + digit;
  }
  return id === 0 ? null : id;
}

const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0d;

async function* csvIds(texts: AsyncIterable<string>, source: string, skipped: number): AsyncGenerator<number[]> {
  const { parse } = await import('csv-parse');
  const parser = parse({
    columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
    skip_empty_lines: true,
    info: true,
    comment: '#',
    trim: true,
    max_record_size: MAX_LINE,
  });
  const feeding = pipeline(Readable.from(texts), parser);
  // Errors reach the loop below through the parser; this only keeps the pipeline's own promise from going unhandled.
  feeding.catch(() => {});
  let batch: number[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!('job_id' in record)) {
        const columns = terminalText(Object.keys(record).join(', '));
        throw new InputError(`${source}: the CSV header has no job_id column (it has: ${columns})`, { code: 'invalid_csv' });
      }
      batch.push(parseJobId(record.job_id ?? '', `${source}:${info.lines + skipped}`));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (batch.length) yield batch;
    if (error instanceof AppError) throw error;
    const line = (error as { lines?: number }).lines;
    const message = terminalText((error as Error).message);
    throw new InputError(`${source}${line ? `:${line + skipped}` : ''}: not valid CSV: ${message}`, { code: 'invalid_csv' });
  } finally {
    parser.destroy();
  }
  if (batch.length) yield batch;
}

function tooLong(source: string, line: number): InputError {
  return new InputError(`${source}:${line}: a line longer than ${MAX_LINE} characters: this is not a list of job ids`, { code: 'invalid_job_id' });
}

/**
 * The text of `stream`: UTF-8 (a BOM is dropped), or UTF-16 LE/BE when it starts with that byte order mark. Bytes
 * that are not text in that encoding (binary data, Latin-1, UTF-16 without its BOM) are an error asking for UTF-8.
 * Ctrl-C while waiting for input is an interruption; a file that cannot be read is exit 2 naming it.
 */
async function* decode(stream: Readable, source: string, signal?: AbortSignal): AsyncGenerator<string> {
  const interrupted = () => new InterruptedError(`Interrupted while reading ${source === 'stdin' ? 'standard input' : source}`);
  if (signal?.aborted) {
    stream.destroy();
    throw interrupted();
  }
  const onAbort = () => stream.destroy(interrupted());
  signal?.addEventListener('abort', onAbort, { once: true });
  let decoder: TextDecoder | undefined;
  let head: Buffer = Buffer.alloc(0);
  const text = (bytes: Buffer | undefined): string => {
    let result: string;
    try {
      result = bytes ? decoder!.decode(bytes, { stream: true }) : decoder!.decode();
    } catch {
      throw notText(source, decoder!.encoding);
    }
    // NUL never occurs in a text file; it does in UTF-16 saved without a BOM, and in binary files.
    if (result.includes('\0')) throw notText(source, decoder!.encoding);
    return result;
  };
  try {
    for await (const chunk of stream) {
      let bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (!decoder) {
        head = Buffer.concat([head, bytes]);
        if (head.length < 3) continue;
        decoder = decoderFor(head);
        bytes = head;
      }
      const decoded = text(bytes);
      if (decoded) yield decoded;
    }
    if (!decoder) {
      if (head.length === 0) return;
      decoder = decoderFor(head);
      const decoded = text(head);
      if (decoded) yield decoded;
    }
    const last = text(undefined);
    if (last) yield last;
  } catch (error) {
    if (signal?.aborted) throw interrupted();
    if (error instanceof AppError) throw error;
    throw new InputError(`Cannot read the jobs file ${source}: ${(error as Error).message}`, { code: 'unreadable_file' });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stops reading a file (or stdin) that is left before its end: a bad line, or an interrupted run.
    if (!stream.readableEnded) stream.destroy();
  }
}

function decoderFor(head: Buffer): TextDecoder {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true });
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true });
  return new TextDecoder('utf-8', { fatal: true });
}

function notText(source: string, encoding: string): InputError {
  const what = encoding === 'utf-8' ? 'UTF-8 text' : `${encoding.toUpperCase()} text`;
  return new InputError(`${source} is not ${what}: it looks like a binary file or another encoding`, {
    code: 'invalid_encoding',
    hint: 'Save it as UTF-8 (in Excel: "CSV UTF-8"), or as UTF-16 with its byte order mark, and run the command again.',
  });
}
