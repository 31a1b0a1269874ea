import type { Applicant, ApplicantPage } from '../tracker/rest.js';
import { REST_MAX_PAGE_ROWS } from '../tracker/rest.js';

/**
 * Incremental reads of Tracker's applicant rows (REST v1 search), for the automation runner. Rows come in ascending
 * id in 1-based pages of (at most) 10, and a new application appears at the end: a cycle reads the page holding the
 * last row it has seen and the pages after it, not the whole database.
 *
 * The page is estimated from how many rows there were up to the last seen id (`rowsUpToLast`). Rows deleted before
 * it move it to an earlier page: the page read is then checked (its first row must not be after the last seen id)
 * and the read walks back a page at a time. Rows that appear before it (the search index catching up) move it to a
 * later page: rows are taken by id (after the last seen one), so reading on from an earlier page only costs a page.
 * After MAX_WALK_BACK pages back the estimate is given up and every row is read. A last seen id past the end (its
 * rows were deleted) reads the last page, finds nothing new, and stays.
 *
 * An idle cycle costs one request (two when the database shrank).
 */

/** What reads applicant rows: the REST client, or a fake in tests. */
export interface ApplicantPages {
  searchPage(pageNumber: number, pageSize?: number, signal?: AbortSignal): Promise<ApplicantPage>;
  applicants(options: { signal?: AbortSignal }): AsyncIterable<Applicant>;
}

/** Where the last read stopped. */
export interface ApplicantCursor {
  lastApplicationId: number | null;
  /** Rows up to and including lastApplicationId when it was read. */
  rowsUpToLast: number | null;
}

/** A row read, with the number of rows up to and including it (its position, 1-based). */
export interface PositionedApplicant {
  row: Applicant;
  rowsUpTo: number;
}

export interface ApplicantRead {
  /** In ascending id, each once. */
  rows: PositionedApplicant[];
  /** Every row was read (no cursor, or the cursor could not be placed). */
  full: boolean;
  /** Search requests made. */
  requests: number;
  totalRecords: number;
}

/** Pages walked back before the estimate is given up for a full read. */
export const MAX_WALK_BACK = 5;

/** Every row, in order (the REST client reads ahead). */
export async function readAllApplicants(source: ApplicantPages, signal?: AbortSignal): Promise<ApplicantRead> {
  const rows: PositionedApplicant[] = [];
  const seen = new Set<number>();
  let count = 0;
  for await (const row of source.applicants(signal ? { signal } : {})) {
    count++;
    if (seen.has(row.applicationId)) continue;
    seen.add(row.applicationId);
    rows.push({ row, rowsUpTo: count });
  }
  rows.sort((a, b) => a.row.applicationId - b.row.applicationId);
  return { rows, full: true, requests: Math.max(1, Math.ceil(count / REST_MAX_PAGE_ROWS)), totalRecords: count };
}

/** The rows after the cursor (every row when there is none). */
export async function readApplicantsAfter(source: ApplicantPages, cursor: ApplicantCursor, signal?: AbortSignal): Promise<ApplicantRead> {
  const last = cursor.lastApplicationId;
  if (last === null) return readAllApplicants(source, signal);
  const size = REST_MAX_PAGE_ROWS;
  let requests = 0;
  const read = async (pageNumber: number) => {
    requests++;
    return source.searchPage(pageNumber, size, signal);
  };
  let pageNumber = cursor.rowsUpToLast ? Math.floor((cursor.rowsUpToLast - 1) / size) + 1 : 1;
  let page = await read(pageNumber);
  if (page.applicants.length === 0 && pageNumber > 1) {
    // Past the end: the database shrank. Its last page.
    const lastPage = Math.max(1, Math.ceil(page.totalRecords / size));
    if (lastPage < pageNumber) {
      pageNumber = lastPage;
      page = await read(pageNumber);
    }
  }
  // Walk back while the page starts after the last seen row: rows before it were deleted.
  for (let walked = 0; pageNumber > 1 && (page.applicants.length === 0 || page.applicants[0]!.applicationId > last); walked++) {
    if (walked >= MAX_WALK_BACK) {
      const all = await readAllApplicants(source, signal);
      return { ...all, rows: all.rows.filter((entry) => entry.row.applicationId > last), requests: requests + all.requests };
    }
    pageNumber--;
    page = await read(pageNumber);
  }
  const rows: PositionedApplicant[] = [];
  const seen = new Set<number>();
  for (;;) {
    page.applicants.forEach((row, index) => {
      if (row.applicationId > last && !seen.has(row.applicationId)) {
        seen.add(row.applicationId);
        rows.push({ row, rowsUpTo: (pageNumber - 1) * size + index + 1 });
      }
    });
    const end = page.applicants.length < size || pageNumber * size >= page.totalRecords;
    if (end) break;
    pageNumber++;
    page = await read(pageNumber);
  }
  rows.sort((a, b) => a.row.applicationId - b.row.applicationId);
  return { rows, full: false, requests, totalRecords: page.totalRecords };
}
