import type { AprioraClient } from '../apriora/client.js';
import type { Modality, Position, Template } from '../apriora/partner.js';
import { ConflictError, InputError, NotFoundError, RemoteError } from '../errors.js';
import type { ItemError } from '../lib/items.js';
import type { TrackerClient } from '../tracker/client.js';
import { type BulkCallbacks, type BulkRun, type ItemStatus, runBulk } from './bulk.js';
import { isUncertainWrite, itemError, MAX_WRITE_ATTEMPTS } from './failures.js';
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
export function lookupEachJob(apriora: AprioraClient): PositionLookup {
  return {
    async find(jobId) {
      return positionOfJob(apriora, jobId);
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

/** Tracker jobs by id; ids Tracker does not know become failed items, not a crash. */
export async function* jobsById(ids: Iterable<number>): AsyncGenerator<JobRef> {
  for (const id of ids) yield { id };
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
}

/** Creates (or finds, or refreshes) the one position of one Tracker job. Never throws: failures are items. */
export async function generateForJob(deps: GenerateDeps, settings: GenerateSettings, ref: JobRef): Promise<GenerateItem> {
  let title: string | null = 'title' in ref ? ref.title : null;
  try {
    const job = 'descriptionHtml' in ref && ref.descriptionHtml !== undefined ? ref : jobFromRecord(await deps.tracker.getIndividualRecord('O', ref.id));
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
      return item('updated', await deps.apriora.updatePosition(position.positionId, { title: input.title, description: input.description }));
    };
    if (existing) return await settle(existing);
    if (settings.dryRun) return item('created');

    for (let attempt = 1; ; attempt++) {
      try {
        return item('created', await deps.apriora.createPosition(input));
      } catch (error) {
        if (error instanceof ConflictError && error.code === 'position_exists') {
          // Another runner linked this job first: report the position it made.
          const linked = error.existingId ? await deps.apriora.getPosition(error.existingId) : await deps.confirm.find(job.id);
          if (!linked) throw new RemoteError(`Apriora says job ${job.id} is linked to a position, but it cannot be found`, { code: 'position_unresolved' });
          return await settle(linked);
        }
        // The answer was lost: confirm with a read before creating again.
        if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
        const landed = await deps.confirm.find(job.id);
        if (landed) return item('created', landed);
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

/** Which jobs: these ids, or every open job (updated after a Tracker date-time). */
export type JobSelection = { ids: number[] } | { allOpen: true; updatedAfter?: string | undefined };

/** One position per selected job, created, found or refreshed; each job reported as it completes. */
export function generateInterviews(
  clients: { tracker: TrackerClient; apriora: AprioraClient },
  settings: GenerateSettings,
  selection: JobSelection,
  run: BulkCallbacks<GenerateItem>,
): Promise<BulkRun> {
  let source: AsyncIterable<JobRef>;
  if ('ids' in selection) {
    run.onTotal(selection.ids.length);
    source = jobsById(selection.ids);
  } else {
    source = counted(openJobs(clients.tracker, { updatedAfter: selection.updatedAfter }, run.signal), run.onTotal);
  }
  const bulk = !('ids' in selection) || selection.ids.length > PREFETCH_THRESHOLD;
  const deps: GenerateDeps = {
    ...clients,
    lookup: bulk ? prefetchPositions(clients.apriora) : lookupEachJob(clients.apriora),
    confirm: lookupEachJob(clients.apriora),
  };
  return runBulk(source, (ref) => generateForJob(deps, settings, ref), run);
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
