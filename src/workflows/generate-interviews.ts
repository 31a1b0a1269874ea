import type { AprioraClient } from '../apriora/client.js';
import type { Modality, Position, Template } from '../apriora/partner.js';
import { ConflictError, InputError, NotFoundError, RemoteError } from '../errors.js';
import { IdSet } from '../lib/id-set.js';
import type { ItemError } from '../lib/items.js';
import type { TrackerClient } from '../tracker/client.js';
import { type BulkCallbacks, type BulkRun, type ItemStatus, runBulk } from './bulk.js';
import { confirmWrite, isUncertainWrite, itemError, MAX_WRITE_ATTEMPTS, retryRead } from './failures.js';
import { estimateJobReads, JobPages, trackerJobPage, type WantedIds } from './job-pages.js';
import { type PositionSettings, positionFromJob } from './job-position.js';
import { type JobForInterview, jobFromRecord, jobFromRow, jobsQuery } from './jobs.js';
import { positionOfJob, trackerPositions } from './positions.js';

export interface GenerateItem {
  jobId: number;
  title: string | null;
  positionId: string | null;
  interviewUrl: string | null;
  status: ItemStatus;
  error?: ItemError;
}

export interface GenerateSettings extends PositionSettings {
  /** Refresh title and description of positions that exist. */
  update: boolean;
  dryRun: boolean;
}

/** A job to process: just its id (fetched from Tracker when processed), or a job already read from a list page. */
export type JobRef = { id: number } | JobForInterview;

/** Finds the position linked to a Tracker job. */
export interface PositionLookup {
  find(jobId: number): Promise<Position | undefined>;
}

/** One filtered read per job: right for a handful of jobs, and for confirming what a failed write did. */
export function lookupEachJob(apriora: AprioraClient, signal?: AbortSignal): PositionLookup {
  return {
    async find(jobId) {
      return positionOfJob(apriora, jobId, signal);
    },
  };
}

/**
 * Every Tracker-linked position read once, page by page, for bulk runs: about one request per hundred jobs instead
 * of one per job. Positions that another runner creates meanwhile are caught by the 409 on create.
 */
export function prefetchPositions(apriora: AprioraClient, signal?: AbortSignal): PositionLookup {
  let index: Promise<Map<string, Position>> | undefined;
  const load = async () => {
    const map = new Map<string, Position>();
    for await (const position of trackerPositions(apriora, {}, signal)) {
      if (position.externalId) map.set(position.externalId, position);
    }
    return map;
  };
  return {
    async find(jobId) {
      if (!index) {
        index = load();
        // A failed read is not kept: the next job tries again instead of every job failing with it.
        index.catch(() => {
          index = undefined;
        });
      }
      return (await index).get(String(jobId));
    },
  };
}

/**
 * For a stream of ids whose length is unknown (stdin): one lookup per job for the first `threshold` jobs, then every
 * linked position read once, as for a long list.
 */
export function lookupAsNeeded(apriora: AprioraClient, threshold: number): PositionLookup {
  const each = lookupEachJob(apriora);
  let index: PositionLookup | undefined;
  let finds = 0;
  return {
    find(jobId) {
      if (++finds <= threshold) return each.find(jobId);
      index ??= prefetchPositions(apriora);
      return index.find(jobId);
    },
  };
}

/** Tracker jobs by id; ids Tracker does not know become failed items, not a crash. */
export async function* jobsById(ids: Iterable<number> | AsyncIterable<number>): AsyncGenerator<JobRef> {
  for await (const id of ids) yield { id };
}

/**
 * Tracker jobs by id, in input order, read from the pages of the job list where that saves requests (see JobPages);
 * the ids the pages do not show are read singly, as by jobsById.
 */
export async function* jobsFromPages(
  tracker: TrackerClient,
  ids: Iterable<number> | AsyncIterable<number>,
  wanted: WantedIds,
  signal?: AbortSignal,
): AsyncGenerator<JobRef> {
  const pages = new JobPages(wanted, trackerJobPage(tracker, wanted, signal), signal);
  for await (const id of ids) yield await pages.take(id);
}

/** Open jobs page by page (one getRecords per page, never one call per job). */
export async function* openJobs(tracker: TrackerClient, options: { updatedAfter?: string; pageSize?: number }, signal?: AbortSignal): AsyncGenerator<JobRef> {
  for await (const row of tracker.iterateRecords(jobsQuery({ state: 'open', updatedAfter: options.updatedAfter, pageSize: options.pageSize }), signal, {
    readAhead: true,
  })) {
    yield jobFromRow(row);
  }
}

export interface GenerateDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  lookup: PositionLookup;
  /** Live per-job lookup, used to confirm an uncertain create. */
  confirm: PositionLookup;
  /** Waits between read-backs that failed (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** Stops the job's requests (a run's time budget); without it, a job under way always finishes. */
  signal?: AbortSignal;
}

/** Creates (or finds, or refreshes) the one position of one Tracker job. Never throws: failures are items. */
export async function generateForJob(deps: GenerateDeps, settings: GenerateSettings, ref: JobRef): Promise<GenerateItem> {
  let title: string | null = 'title' in ref ? ref.title : null;
  try {
    const job =
      'descriptionHtml' in ref && ref.descriptionHtml !== undefined ? ref : jobFromRecord(await deps.tracker.getIndividualRecord('O', ref.id, deps.signal));
    title = job.title;
    const input = positionFromJob(job, settings);
    const item = (status: ItemStatus, position?: Position): GenerateItem => ({
      jobId: job.id,
      title,
      positionId: position?.positionId ?? null,
      interviewUrl: position?.interviewUrl ?? null,
      status,
    });
    const existing = await deps.lookup.find(job.id);
    const settle = async (position: Position): Promise<GenerateItem> => {
      if (!settings.update) return item('exists', position);
      if (settings.dryRun) return item('updated', position);
      return item('updated', await deps.apriora.updatePosition(position.positionId, { title: input.title, description: input.description }, deps.signal));
    };
    if (existing) return await settle(existing);
    if (settings.dryRun) return item('created');

    for (let attempt = 1; ; attempt++) {
      try {
        return item('created', await deps.apriora.createPosition(input, deps.signal));
      } catch (error) {
        if (error instanceof ConflictError && error.code === 'position_exists') {
          // Another runner linked this job first: report the position it made.
          const existingId = error.existingId;
          const linked = await retryRead(() => (existingId ? deps.apriora.getPosition(existingId, deps.signal) : deps.confirm.find(job.id)), deps.sleep);
          if (!linked) throw new RemoteError(`Apriora says job ${job.id} is linked to a position, but it cannot be found`, { code: 'position_unresolved' });
          return await settle(linked);
        }
        if (!isUncertainWrite(error)) throw error;
        // The answer was lost, but the create may have been committed: read back before creating again, and before
        // reporting the job failed after the last attempt.
        const landed = await confirmWrite(() => deps.confirm.find(job.id), error, deps.sleep);
        if (landed) return item('created', landed);
        if (attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    return {
      jobId: ref.id,
      title,
      positionId: null,
      interviewUrl: null,
      status: 'failed',
      error: describeFailure(error, ref.id),
    };
  }
}

function describeFailure(error: unknown, jobId: number): ItemError {
  const details = error instanceof NotFoundError ? (error.details as { recordtype?: string } | undefined) : undefined;
  if (details?.recordtype === 'O') return { code: 'job_not_found', message: `Tracker has no job with id ${jobId}` };
  return itemError(error);
}

/** Above this many jobs, reading every linked position once beats one lookup per job. */
const PREFETCH_THRESHOLD = 20;
/** Above this many ids, the jobs are read from the job list's pages rather than one request each. */
const PAGES_THRESHOLD = 20;

/**
 * Which jobs: these ids (a list, or a stream such as a jobs file, with its length when known, and the set of its
 * distinct ids when it could be kept), or every open job (updated after a Tracker date-time).
 */
export type JobSelection =
  | { ids: Iterable<number> | AsyncIterable<number>; total?: number | undefined; wanted?: WantedIds | undefined }
  | { allOpen: true; updatedAfter?: string | undefined }
  /** The open jobs already listed (by listOpenJobs, to count them before asking): not read again. */
  | { listed: JobRef[] };

type IdSelection = Extract<JobSelection, { ids: unknown }>;

/** The ids to read from the job list's pages: a long list whose distinct ids are known. */
function pagedIds(selection: IdSelection): WantedIds | undefined {
  const total = Array.isArray(selection.ids) ? selection.ids.length : selection.total;
  if (total === undefined || total <= PAGES_THRESHOLD) return undefined;
  if (selection.wanted) return selection.wanted;
  if (!Array.isArray(selection.ids)) return undefined;
  const wanted = new IdSet();
  for (const id of selection.ids as number[]) wanted.add(id);
  return wanted.full ? undefined : wanted;
}

/**
 * About the Tracker reads that the ids of `selection` take, assuming every id exists: list pages and single reads
 * (one read per id when they are not read by pages).
 */
export async function trackerReads(selection: IdSelection): Promise<{ pages: number; singles: number }> {
  const wanted = pagedIds(selection);
  if (wanted) return estimateJobReads(wanted);
  return { pages: 0, singles: Array.isArray(selection.ids) ? selection.ids.length : (selection.total ?? 0) };
}

/** One position per selected job, created, found or refreshed; each job reported as it completes. */
export function generateInterviews(
  clients: { tracker: TrackerClient; apriora: AprioraClient },
  settings: GenerateSettings,
  selection: JobSelection,
  run: BulkCallbacks<GenerateItem>,
): Promise<BulkRun> {
  let source: AsyncIterable<JobRef>;
  let lookup: PositionLookup;
  if ('ids' in selection) {
    const total = Array.isArray(selection.ids) ? selection.ids.length : selection.total;
    if (total === undefined) {
      source = counted(jobsById(selection.ids), run.onTotal);
      lookup = lookupAsNeeded(clients.apriora, PREFETCH_THRESHOLD);
    } else {
      run.onTotal(total);
      const wanted = pagedIds(selection);
      source = wanted ? jobsFromPages(clients.tracker, selection.ids, wanted, run.signal) : jobsById(selection.ids);
      lookup = total > PREFETCH_THRESHOLD ? prefetchPositions(clients.apriora) : lookupEachJob(clients.apriora);
    }
  } else if ('listed' in selection) {
    run.onTotal(selection.listed.length);
    source = fromList(selection.listed);
    lookup = prefetchPositions(clients.apriora);
  } else {
    source = counted(openJobs(clients.tracker, { updatedAfter: selection.updatedAfter }, run.signal), run.onTotal);
    lookup = prefetchPositions(clients.apriora);
  }
  const deps: GenerateDeps = { ...clients, lookup, confirm: lookupEachJob(clients.apriora) };
  return runBulk(source, (ref) => generateForJob(deps, settings, ref), run);
}

/** Every open job (updated after a Tracker date-time), read before anything is written: what a confirmation counts. */
export async function listOpenJobs(tracker: TrackerClient, updatedAfter: string | undefined, signal: AbortSignal): Promise<JobRef[]> {
  const jobs: JobRef[] = [];
  for await (const job of openJobs(tracker, { updatedAfter }, signal)) jobs.push(job);
  return jobs;
}

async function* fromList<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function* counted<T>(source: AsyncIterable<T>, onEnd: (count: number) => void): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    count++;
    yield item;
  }
  onEnd(count);
}

/** An interview template by id or by name (any case). */
export async function findTemplate(apriora: AprioraClient, wanted: string, signal: AbortSignal): Promise<Template> {
  const templates = await apriora.listTemplates(signal);
  const key = wanted.trim().toLowerCase();
  const match = templates.find((template) => template.templateId === wanted.trim()) ?? templates.find((template) => template.name.trim().toLowerCase() === key);
  if (!match) {
    throw new InputError(`Apriora has no interview template "${wanted}"`, {
      code: 'unknown_template',
      hint: `Templates: ${templates.map((template) => `${template.name} (${template.templateId}, ${template.modality})`).join('; ') || 'none'}.`,
    });
  }
  return match;
}

/** The flag's modality, else the template's, else the profile's default; it must agree with the template. */
export function chooseModality(flag: Modality | undefined, template: Template | undefined, profileDefault: Modality | undefined): Modality {
  const modality = flag ?? template?.modality ?? profileDefault;
  if (!modality) {
    throw new InputError('Which modality, phone or video?', {
      code: 'missing_value',
      hint: 'Pass --modality phone|video, or set a default with `apriora login --modality phone|video`.',
    });
  }
  if (template && template.modality !== modality) {
    throw new InputError(`Template "${template.name}" is a ${template.modality} interview, not ${modality}`, {
      hint: `Drop --modality, or pick a ${modality} template.`,
    });
  }
  return modality;
}
