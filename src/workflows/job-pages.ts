import type { TrackerClient } from '../tracker/client.js';
import { type JobForInterview, jobFromRow, jobsQuery } from './jobs.js';

/** The distinct job ids a run wants, in bounded memory (an IdSet). */
export interface WantedIds {
  readonly size: number;
  has(id: number): boolean;
  /** The smallest wanted id above `id`, or undefined. */
  nextAbove(id: number): number | undefined;
  /** How many wanted ids lie in [from, to]. */
  countBetween(from: number, to: number): number;
}

/** Rows a page of the job list holds (Tracker's most). */
export const PAGE_SIZE = 100;

/** Jobs read from pages and waiting for their turn in the input are kept up to about this size; beyond, read singly. */
const HELD_BYTES = 32 * 1024 * 1024;

/** A page of every job of the database, sorted by id: what is needed of it, never its rows. */
export interface ListPage {
  rows: number;
  firstId: number;
  lastId: number;
  /** The ids go up row after row (else the list is not sorted as asked, and is not used). */
  ascending: boolean;
  /** How many of its jobs are wanted, and those jobs (a page that only counts them has none). */
  found: number;
  jobs: JobForInterview[];
}

/** Where the list was read last: the rows after `lastId` are on `nextPage` or further. */
interface Cursor {
  nextPage: number;
  lastId: number;
  /**
   * The ids that a page spans at the density read so far (at least PAGE_SIZE: ids are distinct whole numbers);
   * undefined before a full page was read.
   */
  span: number | undefined;
}

type Step = { read: number } | { seek: { target: number; from: number; to: number } } | { skip: number };

/**
 * What to do to cover the next wanted id above `covered`: read the next page; look for the page holding it (a binary
 * search, when the pages in between are more than the search costs); or leave the ids a page would cover to single
 * reads, when paging to them costs more requests than it saves.
 */
function nextStep(wanted: WantedIds, covered: number, cursor: Cursor): Step | undefined {
  const target = wanted.nextAbove(covered);
  if (target === undefined) return undefined;
  // At most target - lastId - 1 rows lie between the cursor and the target, and none of them is wanted.
  const most = Math.floor((target - cursor.lastId - 1) / PAGE_SIZE);
  const likely = Math.min(most, Math.floor((target - cursor.lastId - 1) / (cursor.span ?? PAGE_SIZE)));
  const search = 1 + Math.ceil(Math.log2(most + 1));
  // The wanted ids that the page holding the target likely holds. Before a page shows how dense the ids are, as if
  // the wanted ids were all the page holds: a first look costs a search, and then the density is known.
  const gain =
    cursor.span === undefined
      ? Math.min(PAGE_SIZE, wanted.countBetween(target, Number.MAX_SAFE_INTEGER))
      : wanted.countBetween(target, target + cursor.span - 1);
  if (Math.min(likely + 1, search) > gain) return { skip: target + (cursor.span ?? PAGE_SIZE) - 1 };
  if (likely + 1 <= search) return { read: cursor.nextPage };
  return { seek: { target, from: cursor.nextPage, to: cursor.nextPage + most } };
}

/**
 * Resolves job ids from the job list read page by page (all states, sorted by id, 100 a page), so that a long list
 * of ids costs about a request per hundred jobs instead of one each. Ids are taken in input order: the pages are
 * read as far as the id asked for (the next one ahead of time), from the page of the lowest wanted id, and never
 * past the highest. The wanted jobs of a page wait for their turn (the rest of the page is dropped); an id the pages
 * did not show (no such job, a list lagging behind, a page that could not be read, or too many jobs waiting) is
 * left to a single read, which says what it is.
 */
export class JobPages {
  private cursor: Cursor;
  /** Every wanted id up to this one was on a page read (and is held), or is left to a single read. */
  private covered = 0;
  private readonly held = new Map<number, JobForInterview>();
  private heldBytes = 0;
  private ahead: { page: number; data: Promise<ListPage> } | undefined;
  /** Pages requested so far. */
  pagesRead = 0;
  /** Wanted jobs that the pages read held. */
  found = 0;

  /** `span`: the ids a page spans, when known in advance (estimates). */
  constructor(
    private readonly wanted: WantedIds,
    private readonly readPage: (page: number) => Promise<ListPage>,
    private readonly signal?: AbortSignal,
    span?: number,
  ) {
    this.cursor = { nextPage: 0, lastId: 0, span };
  }

  /** The job of `id` read from a page, or just the id (read it singly). Ids are taken one at a time. */
  async take(id: number): Promise<JobForInterview | { id: number }> {
    while (id > this.covered) await this.advance();
    const job = this.held.get(id);
    if (!job) return { id };
    this.held.delete(id);
    this.heldBytes -= sizeOf(job);
    return job;
  }

  /** Reads every page that covering all the wanted ids takes (for estimates). */
  async readAll(): Promise<void> {
    while (this.covered < Number.POSITIVE_INFINITY && this.wanted.nextAbove(this.covered) !== undefined) await this.advance();
  }

  private async advance(): Promise<void> {
    const step = nextStep(this.wanted, this.covered, this.cursor);
    try {
      if (!step) this.covered = Number.POSITIVE_INFINITY;
      else if ('skip' in step) this.covered = step.skip;
      else if ('read' in step) this.accept(step.read, await this.page(step.read), true);
      else await this.seek(step.seek.target, step.seek.from, step.seek.to);
    } catch (error) {
      if (this.signal?.aborted) throw error;
      // The list cannot be read: every id not read yet is read singly, and fails or succeeds on its own.
      this.stopPaging();
    }
  }

  /**
   * Lands on the first page from `from` to `to` whose last id reaches `target` (or that ends the list): a binary
   * search that looks at `from`, the page after the cursor, first.
   */
  private async seek(target: number, from: number, to: number): Promise<void> {
    let landing: { page: number; data: ListPage } | undefined;
    let low = from;
    let high = to;
    for (let probe = from; low <= high; probe = Math.floor((low + high) / 2)) {
      const data = await this.page(probe);
      if (!data.ascending) {
        this.stopPaging();
        return;
      }
      if (data.rows < PAGE_SIZE || data.lastId >= target) {
        landing = { page: probe, data };
        high = probe - 1;
      } else {
        low = probe + 1;
      }
    }
    // The bound holds for a list sorted by distinct ids; a list changing under the search may break it.
    if (landing) this.accept(landing.page, landing.data, false);
    else this.stopPaging();
  }

  private page(page: number): Promise<ListPage> {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead?.page === page) return ahead.data;
    this.pagesRead++;
    return this.readPage(page);
  }

  /** Takes in the page read at the cursor (`next`) or found by a search, then reads the next one ahead if it is due. */
  private accept(page: number, data: ListPage, next: boolean): void {
    const stalled = next && data.rows > 0 && data.firstId <= this.cursor.lastId;
    if (!data.ascending || stalled) {
      this.stopPaging();
      return;
    }
    this.found += data.found;
    for (const job of data.jobs) this.hold(job);
    if (data.rows < PAGE_SIZE) {
      this.covered = Number.POSITIVE_INFINITY;
      return;
    }
    this.cursor = { nextPage: page + 1, lastId: data.lastId, span: Math.max(PAGE_SIZE, data.lastId - data.firstId + 1) };
    this.covered = Math.max(this.covered, data.lastId);
    const step = nextStep(this.wanted, this.covered, this.cursor);
    if (step && 'read' in step) {
      const pending = this.readPage(step.read);
      this.pagesRead++;
      // Awaited when its turn comes; this only keeps a read-ahead that is no longer needed from going unhandled.
      pending.catch(() => {});
      this.ahead = { page: step.read, data: pending };
    }
  }

  private hold(job: JobForInterview): void {
    // Without its description the job is read singly anyway; one already covered was handed out (or read singly).
    if (job.descriptionHtml === undefined || job.id <= this.covered || this.held.has(job.id)) return;
    const size = sizeOf(job);
    if (this.heldBytes + size > HELD_BYTES) return;
    this.held.set(job.id, job);
    this.heldBytes += size;
  }

  private stopPaging(): void {
    this.covered = Number.POSITIVE_INFINITY;
    this.ahead = undefined;
  }
}

/** About what a job costs in memory. */
function sizeOf(job: JobForInterview): number {
  let chars = 0;
  for (const value of Object.values(job)) if (typeof value === 'string') chars += value.length;
  return 128 + 2 * chars;
}

/** A page of every Tracker job (open, closed, won), sorted by id, with the wanted jobs it holds. */
export function trackerJobPage(tracker: TrackerClient, wanted: WantedIds, signal?: AbortSignal): (page: number) => Promise<ListPage> {
  const query = jobsQuery({ state: 'all', pageSize: PAGE_SIZE });
  return async (pagenum) => {
    const { results } = await tracker.getRecords({ ...query, pagenum }, signal);
    const jobs: JobForInterview[] = [];
    let ascending = true;
    for (let at = 0; at < results.length; at++) {
      const row = results[at]!;
      if (at > 0 && row.id <= results[at - 1]!.id) ascending = false;
      if (wanted.has(row.id)) jobs.push(jobFromRow(row));
    }
    return { rows: results.length, firstId: results[0]?.id ?? 0, lastId: results.at(-1)?.id ?? 0, ascending, found: jobs.length, jobs };
  };
}

/**
 * About what resolving `wanted` by pages costs, assuming every id exists: the pages of a list holding every id from
 * the lowest wanted one on (the densest list, so the most pages), and the single reads of the ids left to them.
 */
export async function estimateJobReads(wanted: WantedIds): Promise<{ pages: number; singles: number }> {
  const lowest = wanted.nextAbove(0);
  if (lowest === undefined) return { pages: 0, singles: 0 };
  const dense = async (page: number): Promise<ListPage> => {
    const firstId = lowest + page * PAGE_SIZE;
    const lastId = firstId + PAGE_SIZE - 1;
    return { rows: PAGE_SIZE, firstId, lastId, ascending: true, found: wanted.countBetween(firstId, lastId), jobs: [] };
  };
  const pages = new JobPages(wanted, dense, undefined, PAGE_SIZE);
  await pages.readAll();
  return { pages: pages.pagesRead, singles: wanted.size - pages.found };
}
