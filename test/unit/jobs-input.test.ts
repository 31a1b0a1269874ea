import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobIds, openJobsFile } from '../../src/cli/jobs-input.js';
import { InputError, InterruptedError } from '../../src/errors.js';
import { IdSet } from '../../src/lib/id-set.js';

/**
 * Jobs input (src/cli/jobs-input.ts): files and stdin read as streams of ids, decoded (UTF-8, UTF-16 with a BOM),
 * checked line by line, each id once.
 */

const dir = mkdtempSync(join(tmpdir(), 'apriora-jobs-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Buffer, name = `jobs-${++files}.txt`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const noStdin = () => Readable.from([]);
const stdinOf = (...chunks: (string | Buffer)[]) => Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));

async function all(input: JobIds): Promise<number[]> {
  const ids: number[] = [];
  for await (const id of input.ids()) ids.push(id);
  return ids;
}

async function failure(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return endian === 'le' ? le : le.swap16();
}

describe('openJobsFile: plain ids and CSV', () => {
  it('reads ids in input order, skipping blank lines and # comments; repeats once, counted; CRLF and a UTF-8 BOM', async () => {
    const input = await openJobsFile(file('\uFEFF# jobs\r\n3101\r\n\r\n  3102  \n# 3103\n3101\n3104'), noStdin());
    expect(input.total).toBe(3);
    expect(input.duplicates).toBe(1);
    expect(await all(input)).toEqual([3101, 3102, 3104]);
    // A file can be read again: each run of ids() is a new pass over it.
    expect(await all(input)).toEqual([3101, 3102, 3104]);
    // Its distinct ids are known from the first pass (for reading the jobs by pages).
    expect([3101, 3102, 3103, 3104].map((id) => input.wanted?.has(id))).toEqual([true, true, false, true]);
    expect(input.wanted?.size).toBe(3);
  });

  it('a CSV with a job_id column, after comment lines: ids, and lines named right in errors', async () => {
    const input = await openJobsFile(file('# export\n\ntitle,Job_ID\n"Nurse, ICU",3101\n"Two\nlines",3102\n'), noStdin());
    expect(await all(input)).toEqual([3101, 3102]);
    const bad = await failure(openJobsFile(file('# export\n\ntitle,job_id\nNurse,3101\nDev,x\n'), noStdin()));
    expect(bad.code).toBe('invalid_job_id');
    expect(bad.message).toMatch(/jobs-\d+\.txt:5: "x" is not a Tracker job id/);
    const noColumn = await failure(openJobsFile(file('id,title\n3101,Nurse\n'), noStdin()));
    expect(noColumn).toMatchObject({ code: 'invalid_csv', message: expect.stringContaining('no job_id column (it has: id, title)') });
    const broken = await failure(openJobsFile(file('title,job_id\n"unterminated,3101\n'), noStdin()));
    expect(broken.code).toBe('invalid_csv');
  });

  it('a bad line is an error naming file:line before any id is handed on', async () => {
    const path = file('3101\n3102\nabc\n3104\n', 'jobs.txt');
    const error = await failure(openJobsFile(path, noStdin()));
    expect(error.code).toBe('invalid_job_id');
    expect(error.message).toBe(`${path}:3: "abc" is not a Tracker job id (a positive whole number)`);
    expect(error.hint).toBe('A jobs file holds one job id per line (# starts a comment), or is a CSV whose header has a job_id column.');
  });

  it('a bad line is quoted with its control characters escaped: a file cannot drive the terminal', async () => {
    const error = await failure(openJobsFile(file('3101\n\u001b]0;PWN\u0007x\u001b[2J\n'), noStdin()));
    expect(error.message).toMatch(/:2: "␛\]0;PWN␇x␛\[2J" is not a Tracker job id/);
    expect([...error.message].filter((char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f))).toEqual([]);
  });

  it('a file that is not there is unreadable_file naming it', async () => {
    const error = await failure(openJobsFile(join(dir, 'missing.txt'), noStdin()));
    expect(error).toMatchObject({ code: 'unreadable_file', message: expect.stringContaining('missing.txt') });
  });

  it('empty input is exit 2 naming the source: an empty file, only comments, empty stdin, a CSV with only its header', async () => {
    for (const [content, name] of [
      ['', 'empty.txt'],
      ['# nothing yet\n\n   \n# really\n', 'comments.txt'],
      ['job_id,title\n', 'header.csv'],
    ] as const) {
      const path = file(content, name);
      const error = await failure(openJobsFile(path, noStdin()));
      expect(error, name).toMatchObject({ code: 'no_job_ids', message: `${path} has no job ids` });
      expect(error.exitCode).toBe(2);
    }
    for (const chunks of [[], [''], ['\n\n# only a comment\n']]) {
      const error = await failure(openJobsFile('-', stdinOf(...chunks)));
      expect(error).toMatchObject({ code: 'no_job_ids', message: 'stdin has no job ids', hint: expect.stringContaining('command before the pipe failed') });
    }
  });

  it('UTF-16 LE and BE with a BOM are decoded, plain and CSV, from a file and from stdin split mid-character', async () => {
    for (const endian of ['le', 'be'] as const) {
      expect(await all(await openJobsFile(file(utf16('# ids\r\n3101\r\n3102\r\n', endian)), noStdin())), endian).toEqual([3101, 3102]);
      expect(await all(await openJobsFile(file(utf16('title,job_id\r\nNurse,3103\r\n', endian)), noStdin())), endian).toEqual([3103]);
      const bytes = utf16('3104\n3105\n', endian);
      // Chunks that cut the BOM and characters in two.
      const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4, 9), bytes.subarray(9)];
      expect(await all(await openJobsFile('-', stdinOf(...chunks))), endian).toEqual([3104, 3105]);
    }
  });

  it('binary data, Latin-1 and UTF-16 without a BOM are an error asking for UTF-8', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const latin1 = Buffer.from('title,job_id\nInfirmi\xe8re,3101\n', 'latin1');
    const bomless = Buffer.from('3101\n3102\n', 'utf16le');
    for (const [content, name] of [
      [garbage, 'garbage.bin'],
      [latin1, 'latin1.csv'],
      [bomless, 'bomless.txt'],
    ] as const) {
      const path = file(content, name);
      const error = await failure(openJobsFile(path, noStdin()));
      expect(error, name).toMatchObject({ code: 'invalid_encoding', message: expect.stringMatching(/^.*\.\w+ is not UTF-8 text/) });
      expect(error.hint).toMatch(/^Save it as UTF-8/);
    }
    const broken16 = await failure(openJobsFile(file(Buffer.concat([utf16('3101\n', 'le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])])), noStdin()));
    expect(broken16).toMatchObject({ code: 'invalid_encoding', message: expect.stringContaining('is not UTF-16LE text') });
    expect((await failure(openJobsFile('-', stdinOf(garbage)))).message).toMatch(/^stdin is not UTF-8 text/);
  });

  it('a line too long to be an id is an error, without reading the whole line into memory', async () => {
    const error = await failure(openJobsFile(file(`3101\n${'9'.repeat(200_000)}\n3102\n`), noStdin()));
    expect(error.message).toMatch(/:2: a line longer than 65536 characters/);
    const csv = await failure(openJobsFile(file(`title,job_id\n"${'x'.repeat(200_000)}",3101\n`), noStdin()));
    expect(csv.code).toBe('invalid_csv');
  });
});

describe('openJobsFile: stdin', () => {
  it('is read once, as it comes: the first id is awaited, later ids are handed on before stdin ends', async () => {
    const stdin = new PassThrough();
    stdin.write('# from a pipe\n3101\n3102\n');
    const input = await openJobsFile('-', stdin);
    expect(input.total).toBeUndefined();
    const iterator = input.ids()[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(3101);
    expect((await iterator.next()).value).toBe(3102);
    const third = iterator.next();
    stdin.end('3101\n3103\n');
    expect((await third).value).toBe(3103);
    expect((await iterator.next()).done).toBe(true);
    expect(input.duplicates).toBe(1);
    expect(input.wanted).toBeUndefined();
  });

  it('a bad line further on is an error naming stdin:line, after the ids before it', async () => {
    const input = await openJobsFile('-', stdinOf('3101\n3102\n', 'oops\n3104\n'));
    const ids: number[] = [];
    const error = await (async () => {
      for await (const id of input.ids()) ids.push(id);
    })().catch((caught: unknown) => caught);
    expect(ids).toEqual([3101, 3102]);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('stdin:3: "oops" is not a Tracker job id (a positive whole number)');
  });

  it('Ctrl-C while waiting for stdin is an interruption', async () => {
    const stdin = new PassThrough();
    const controller = new AbortController();
    const opening = openJobsFile('-', stdin, controller.signal);
    setTimeout(() => controller.abort('SIGINT'), 10);
    await expect(opening).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('openJobsFile: a large file', () => {
  it('streams 200,000 ids in order with flat memory: a first pass counts them, the second hands them on', async () => {
    const path = join(dir, 'large.txt');
    const count = 200_000;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path);
      out.on('error', reject).on('finish', resolve);
      let chunk = '# generated\n';
      for (let i = 0; i < count; i++) {
        chunk += `${1_000_000 + ((i * 7_919) % count)}\n`;
        if (i % 10 === 9) chunk += i % 20 === 19 ? '\n' : '# a comment\n';
        if (chunk.length > 60_000) {
          out.write(chunk);
          chunk = '';
        }
      }
      out.end(`${chunk}1000000\n`);
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const input = await openJobsFile(path, noStdin());
      expect(input).toMatchObject({ total: count, duplicates: 1, tooManyToCheck: false });
      let seen = 0;
      let outOfOrder = 0;
      for await (const id of input.ids()) {
        if (id !== 1_000_000 + ((seen * 7_919) % count)) outOfOrder++;
        seen++;
      }
      expect(seen).toBe(count);
      expect(outOfOrder).toBe(0);
    } finally {
      clearInterval(sample);
    }
    // Loose: reading the file whole, splitting it and keeping the ids in an array and a Set costs far more.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('IdSet', () => {
  it('adds and finds ids, sparse and dense, across the list-to-bitmap switch', () => {
    const set = new IdSet();
    const ids = [1, 65_535, 65_536, 2 ** 53 - 1, 7, ...Array.from({ length: 3_000 }, (_, i) => 200_000 + i * 3)];
    for (const id of ids) expect(set.add(id), String(id)).toBe('added');
    for (const id of ids) expect(set.add(id), String(id)).toBe('present');
    expect(set.size).toBe(ids.length);
    for (const id of ids) expect(set.has(id)).toBe(true);
    for (const id of [2, 65_537, 2 ** 53 - 2, 200_001, 200_000 + 3_000 * 3]) expect(set.has(id), String(id)).toBe(false);
  });

  it('stops remembering new ids at its budget, still knowing the ones it holds', () => {
    const set = new IdSet(4_096);
    const results = Array.from({ length: 100 }, (_, i) => set.add(i * 65_536));
    const kept = results.filter((result) => result === 'added').length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(100);
    expect(set.full).toBe(true);
    expect(set.add(0)).toBe('present');
    expect(set.add(99 * 65_536)).toBe('full');
    expect(set.has(99 * 65_536)).toBe(false);
  });

  it('walks its ids in order and counts them in a range, in lists and in bitmaps', () => {
    const set = new IdSet();
    // Sparse ids (a list page), dense ids (a bitmap page), and ids on pages far apart.
    const ids = [3, 64, 65_535, ...Array.from({ length: 2_000 }, (_, i) => 131_072 + i * 2), 9_000_000_001, 2 ** 53 - 1];
    for (const id of [...ids].reverse()) set.add(id);
    const walked: number[] = [];
    for (let id = set.nextAbove(0); id !== undefined; id = set.nextAbove(id)) walked.push(id);
    expect(walked).toEqual(ids);
    expect(set.nextAbove(-5)).toBe(3);
    expect(set.nextAbove(65_535)).toBe(131_072);
    expect(set.nextAbove(131_073)).toBe(131_074);
    expect(set.nextAbove(2 ** 53 - 1)).toBeUndefined();
    const naive = (from: number, to: number) => ids.filter((id) => id >= from && id <= to).length;
    for (const [from, to] of [
      [0, 10],
      [3, 3],
      [4, 63],
      [0, 2 ** 53],
      [131_072, 131_072 + 99],
      [131_073, 131_080],
      [65_000, 140_000],
      [131_072 + 3_990, 9_000_000_001],
      [10, 5],
    ] as const) {
      expect(set.countBetween(from, to), `${from}..${to}`).toBe(naive(from, to));
    }
  });

  it('a million dense ids take a fraction of what a Set takes', () => {
    const set = new IdSet();
    for (let i = 0; i < 1_000_000; i++) set.add(5_000_000 + i * 10);
    expect(set.size).toBe(1_000_000);
    expect(set.full).toBe(false);
    expect(set.has(5_000_000 + 999_999 * 10)).toBe(true);
    expect(set.has(5_000_001)).toBe(false);
  });
});
