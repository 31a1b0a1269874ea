import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InputError, InterruptedError } from '../errors.js';
import { withFirst } from '../lib/iterate.js';
import { terminalText } from '../lib/sanitize.js';

/** A candidate named on the command line or in a file: a Tracker candidate id, or an e-mail to resolve. */
export type CandidateInput = { candidateId: number } | { email: string };

const EMAIL = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;
/** A line longer than this is neither an id nor an e-mail: the input is not a list of candidates. */
const MAX_LINE = 1024;

/** `--candidate` or a line of a candidates file: a positive whole number (a Tracker id) or an e-mail address. */
export function parseCandidate(value: string, where: string): CandidateInput {
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) > 0 && Number.isSafeInteger(Number(text))) return { candidateId: Number(text) };
  if (EMAIL.test(text)) return { email: text };
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new InputError(`${where}: "${terminalText(shown)}" is neither a Tracker candidate id nor an e-mail address`, { code: 'invalid_candidate' });
}

/** The same candidate twice (an id again, or an e-mail again ignoring case). */
export function candidateKey(input: CandidateInput): string {
  return 'candidateId' in input ? `id:${input.candidateId}` : `email:${input.email.toLowerCase()}`;
}

export interface CandidateList {
  readonly source: string;
  /** Known before the run for a file (a first pass checks every line); undefined for stdin. */
  readonly total: number | undefined;
  /** Each candidate once, in input order; a bad line throws an InputError naming `source:line`. */
  candidates(): AsyncIterable<CandidateInput>;
  /** Repeats skipped so far. */
  readonly duplicates: number;
  close(): Promise<void>;
}

/**
 * A candidates file (`-` for stdin): one Tracker candidate id or e-mail per line; blank lines and # comments are
 * skipped. A file is read twice as a stream (a first pass checks and counts every line, so a bad line is exit 2
 * before anything is written); stdin once, a bad line stopping the run after the candidates before it.
 */
export async function openCandidatesFile(path: string, stdin: Readable, signal?: AbortSignal): Promise<CandidateList> {
  if (path === '-') return fromStdin(stdin, signal);
  const kind = await stat(path).then(
    (info) => (info.isFile() ? 'file' : info.isDirectory() ? 'a directory' : 'not a regular file'),
    (error: NodeJS.ErrnoException) => {
      throw new InputError(`Cannot read the candidates file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { code: 'unreadable_file' });
    },
  );
  if (kind !== 'file') {
    throw new InputError(`The candidates file ${path} is ${kind}`, {
      code: 'unreadable_file',
      hint: 'Give a file with one Tracker candidate id or e-mail per line, or pipe them with --candidates-file -.',
    });
  }
  const read = () => readCandidates(createReadStream(path), path, signal);
  const seen = new Set<string>();
  let duplicates = 0;
  for await (const input of read()) {
    const key = candidateKey(input);
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  if (seen.size === 0) throw empty(path);
  return { source: path, total: seen.size, duplicates, candidates: () => distinct(read(), new Set(), () => {}), close: async () => {} };
}

async function fromStdin(stdin: Readable, signal?: AbortSignal): Promise<CandidateList> {
  const lines = readCandidates(stdin, 'stdin', signal)[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw empty('stdin');
  const state = { duplicates: 0 };
  const rest = withFirst(first.value, lines);
  return {
    source: 'stdin',
    total: undefined,
    get duplicates() {
      return state.duplicates;
    },
    candidates: () =>
      distinct(rest, new Set(), () => {
        state.duplicates++;
      }),
    close: async () => {
      await lines.return?.(undefined);
    },
  };
}

function empty(source: string): InputError {
  return new InputError(`${source} names no candidates`, {
    code: 'no_candidates',
    hint: 'One Tracker candidate id or e-mail per line (# starts a comment). Empty stdin usually means that the command before the pipe failed.',
  });
}

async function* distinct(inputs: AsyncIterable<CandidateInput>, seen: Set<string>, onDuplicate: () => void): AsyncGenerator<CandidateInput> {
  for await (const input of inputs) {
    const key = candidateKey(input);
    if (seen.has(key)) onDuplicate();
    else {
      seen.add(key);
      yield input;
    }
  }
}

async function* readCandidates(stream: Readable, source: string, signal?: AbortSignal): AsyncGenerator<CandidateInput> {
  if (signal?.aborted) {
    stream.destroy();
    throw new InterruptedError(`Interrupted while reading ${source}`);
  }
  const onAbort = () => stream.destroy(new InterruptedError(`Interrupted while reading ${source}`));
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.setEncoding?.('utf8');
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      const line = (number === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.length > MAX_LINE || line.includes('\0')) {
        throw new InputError(`${source}:${number}: this is not a list of candidate ids or e-mails`, { code: 'invalid_candidate' });
      }
      yield parseCandidate(line, `${source}:${number}`);
    }
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError(`Interrupted while reading ${source}`);
    if (error instanceof InputError) throw error;
    throw new InputError(`Cannot read the candidates file ${source}: ${(error as Error).message}`, { code: 'unreadable_file' });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    lines.close();
    if (!stream.readableEnded) stream.destroy();
  }
}
