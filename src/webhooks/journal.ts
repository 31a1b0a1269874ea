import { randomUUID } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasControlCharacters } from '../lib/sanitize.js';
import { ensurePrivateDir } from '../store/paths.js';
import { writePrivateFile } from '../store/private-file.js';

/**
 * The webhook listener's write-ahead journal: JSON lines in `<dataDir>/<profile>/webhooks.jsonl` (dir 0700, file
 * 0600).
 *
 * - `{"type":"accepted","id","reportId","event","receivedAt","candidateId"?,"candidateEmail"?,"positionId"?}` is appended and
 *   fsync'ed BEFORE the delivery is answered with a 2xx, so an acknowledged delivery survives a crash (the two hints
 *   are kept when the webhook gave them; lines written without them still load);
 * - `{"type":"done","id","status"}` is appended once its push has finished (success, or a final failure).
 *
 * At start-up the journal is read, every accepted entry without a done record is handed back for replay, and the
 * file is rewritten (atomically) with only those entries, so it never grows beyond the work still to do. A torn
 * last line (a crash in the middle of a write, i.e. before the delivery was acknowledged) is dropped with a warning.
 *
 * One process at a time: whoever opens the journal holds its pid lock first (./lock.ts).
 */

export const JOURNAL_FILE = 'webhooks.jsonl';

export interface AcceptedRecord {
  type: 'accepted';
  /** Unique per accepted delivery. */
  id: string;
  reportId: string;
  event: string;
  /** ISO 8601. */
  receivedAt: string;
  /** The Apriora candidate as the webhook gave it (a hint: the report stays authoritative). */
  candidateId?: string;
  /** The candidate's e-mail as the webhook gave it (a hint, used only for the candidate the report names). */
  candidateEmail?: string;
  /** The report's position id as the webhook gave it (a hint). */
  positionId?: string;
}

/** What a delivery says besides its report id, kept only when it is plausible data. */
export type DeliveryHints = Pick<AcceptedRecord, 'candidateId' | 'candidateEmail' | 'positionId'>;

const MAX_EMAIL_LENGTH = 254;
const MAX_ID_LENGTH = 128;

/**
 * The hints of a webhook body's `data` (or of a journal line), trimmed: a value that is not a string, is too long,
 * or holds a control, invisible or bidirectional character or a blank is left out, never cleaned into something else.
 */
export function deliveryHints(data: unknown): DeliveryHints {
  const source = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const hints: DeliveryHints = {};
  const email = plausible(source.candidateEmail, MAX_EMAIL_LENGTH);
  if (email && /^[^@]+@[^@]+$/.test(email)) hints.candidateEmail = email;
  const candidateId = plausible(source.candidateId, MAX_ID_LENGTH);
  if (candidateId) hints.candidateId = candidateId;
  const positionId = plausible(source.positionId, MAX_ID_LENGTH);
  if (positionId) hints.positionId = positionId;
  return hints;
}

function plausible(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text || text.length > maxLength || hasControlCharacters(text) || /[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u.test(text)) return undefined;
  return text;
}

export interface DoneRecord {
  type: 'done';
  id: string;
  status: string;
}

export type JournalRecord = AcceptedRecord | DoneRecord;

export interface JournalLoad {
  /** Accepted entries without a done record, oldest first, one per report id. */
  pending: AcceptedRecord[];
  /** Report ids whose push finished with a status other than `failed` (a redelivery of them is a duplicate). */
  finished: string[];
  /** Lines that could not be read (torn or corrupt), already warned about. */
  skippedLines: number;
}

export function journalPath(dataDir: string, profile: string): string {
  return join(dataDir, profile, JOURNAL_FILE);
}

export function newDeliveryId(): string {
  return `dlv_${randomUUID()}`;
}

function parseRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'string' || !record.id) return undefined;
  if (record.type === 'accepted' && typeof record.reportId === 'string' && record.reportId) {
    return {
      type: 'accepted',
      id: record.id,
      reportId: record.reportId,
      event: typeof record.event === 'string' ? record.event : 'session.completed',
      receivedAt: typeof record.receivedAt === 'string' ? record.receivedAt : new Date(0).toISOString(),
      ...deliveryHints(record),
    };
  }
  if (record.type === 'done' && typeof record.status === 'string') return { type: 'done', id: record.id, status: record.status };
  return undefined;
}

/** Reads a journal's text: what is still to do, and what finished. Pure, for tests. */
export function readJournalText(text: string, warn: (message: string) => void = () => {}): JournalLoad {
  const lines = text.split('\n');
  // A file written by us ends with "\n": the last element is then empty. Anything else there is a torn write.
  const tail = lines.pop() ?? '';
  const accepted = new Map<string, AcceptedRecord>();
  const done = new Map<string, string>();
  let skippedLines = 0;
  const take = (line: string, index: number, torn: boolean) => {
    if (line.trim() === '') return;
    const record = parseRecord(line);
    if (!record) {
      skippedLines++;
      warn(
        torn
          ? `webhook journal: ignoring an incomplete last line (${line.length} bytes; ` +
              'the process stopped while writing it, before that delivery was acknowledged)'
          : `webhook journal: ignoring unreadable line ${index + 1}`,
      );
      return;
    }
    if (record.type === 'accepted') accepted.set(record.id, record);
    else done.set(record.id, record.status);
  };
  lines.forEach((line, index) => {
    take(line, index, false);
  });
  take(tail, lines.length, true);

  const pending: AcceptedRecord[] = [];
  const pendingReports = new Set<string>();
  const finished = new Set<string>();
  for (const record of accepted.values()) {
    const status = done.get(record.id);
    if (status === undefined) {
      if (pendingReports.has(record.reportId)) continue; // the same report twice: pushed once
      pendingReports.add(record.reportId);
      pending.push(record);
    } else if (status !== 'failed') {
      finished.add(record.reportId);
    } else {
      finished.delete(record.reportId);
    }
  }
  for (const reportId of pendingReports) finished.delete(reportId);
  return { pending, finished: [...finished], skippedLines };
}

export function serializeRecords(records: JournalRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort: some file systems refuse to sync a directory
  }
}

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The open journal. Appends are group-committed: every record queued while a write+fsync is running goes out in the
 * next single write+fsync, so a burst of deliveries costs a few fsyncs, not one each.
 */
export class WebhookJournal {
  private queue: Waiting[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private torn = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Reads and compacts the journal at `path`, then opens it for appending. Returns what is left to do. `warn`
   * receives the torn/corrupt line warnings. The caller holds the journal's lock (./lock.ts).
   */
  static async open(path: string, warn: (message: string) => void = () => {}): Promise<{ journal: WebhookJournal; load: JournalLoad }> {
    const dir = ensurePrivateDir(dirname(path));
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const load = readJournalText(text, warn);
    // Compaction: only the unfinished entries survive (atomic rewrite: temp file, fsync, rename).
    writePrivateFile(path, serializeRecords(load.pending));
    fsyncDir(dir);
    const handle = await open(path, 'a', 0o600);
    return { journal: new WebhookJournal(path, handle), load };
  }

  /** Appends one record; resolves once it is on disk (fsync'ed). */
  append(record: JournalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the webhook journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          // After a failed write part of a line may be on disk: start the next batch on a fresh line.
          await this.handle.write(`${this.torn ? '\n' : ''}${batch.map((item) => item.line).join('')}`);
          await this.handle.sync();
          this.torn = false;
          for (const item of batch) item.resolve();
        } catch (error) {
          this.torn = true;
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Refuses further appends, waits for the appends under way (flushed and fsync'ed), closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    await this.handle.close();
  }
}
