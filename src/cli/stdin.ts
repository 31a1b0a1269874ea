import type { Readable } from 'node:stream';
import { InputError, InterruptedError } from '../errors.js';

/** Reads the first `count` lines of stdin (secrets piped with --api-key-stdin / --password-stdin). */
export async function readStdinLines(stdin: Readable & { isTTY?: boolean }, count: number, flags: string[], signal?: AbortSignal): Promise<string[]> {
  if (stdin.isTTY) {
    throw new InputError(`${flags.join(' and ')} read from standard input, but it is a terminal`, {
      hint: `Pipe the value in, e.g. printf '%s\\n' "$SECRET" | apriora … ${flags.join(' ')}`,
    });
  }
  const lines = (await readAll(stdin, signal)).split(/\r?\n/);
  const values = lines.slice(0, count).map((line) => line.trim());
  if (values.length < count || values.some((value) => !value)) {
    throw new InputError(`expected ${count} non-empty line${count > 1 ? 's' : ''} on standard input for ${flags.join(' and ')}`, {
      hint: count > 1 ? multiLineHint(flags) : undefined,
    });
  }
  return values;
}

const STDIN_VALUES: Record<string, string> = {
  '--api-key-stdin': 'the API Key',
  '--password-stdin': 'the API Password',
  '--rest-token-stdin': 'the REST API token',
};

function multiLineHint(flags: string[]): string {
  const values = flags.map((flag) => STDIN_VALUES[flag] ?? flag);
  if (values.length === 2) return `Give ${values[0]} on the first line and ${values[1]} on the second.`;
  return `Give one value a line, in this order: ${values.join(', ')}.`;
}

/** The whole stream; Ctrl-C or SIGTERM while waiting for it is an interruption, not an empty input. */
export async function readAll(stream: Readable, signal?: AbortSignal): Promise<string> {
  const interrupted = () => new InterruptedError('Interrupted while reading standard input');
  if (signal?.aborted) throw interrupted();
  const onAbort = () => stream.destroy(interrupted());
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (error) {
    throw signal?.aborted ? interrupted() : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw interrupted();
  return Buffer.concat(chunks).toString('utf8');
}
