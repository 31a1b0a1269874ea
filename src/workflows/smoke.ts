import type { AprioraClient } from '../apriora/client.js';
import type { Modality } from '../apriora/partner.js';
import { AppError, InputError, NotFoundError, RemoteError } from '../errors.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import { activityDateTime, linkedCandidateId, sameText, subjectOf } from './activity-content.js';
import { confirmWrite, isUncertainWrite, MAX_WRITE_ATTEMPTS } from './failures.js';
import { ACTIVITY_FIELDS, assertFieldValues, type FieldKey, type FieldMap, type FieldTypes, fieldKind, fieldValueProblem } from './field-map.js';
import { generateForJob, lookupEachJob } from './generate-interviews.js';

/**
 * `apriora smoke`: a write round trip against a Tracker sandbox database. The smoke activity never carries an
 * `[apriora:…]` marker, so no push takes it for a report's or an invitation's activity; it carries `[apriora smoke]`
 * and its run id instead, for people and for the read-back.
 */

/** What marks a smoke record, in its subject and note. */
export const SMOKE_MARKER = '[apriora smoke]';

export type SmokeStepStatus = 'ok' | 'fail' | 'skip';

export interface SmokeStep {
  id: string;
  title: string;
  status: SmokeStepStatus;
  detail: string;
  elapsedMs: number;
}

/** The steps of a run, in order: each timed, the first failure ends the run and the rest are reported skipped. */
export const SMOKE_STEPS = [
  { id: 'doctor', title: 'Doctor checks' },
  { id: 'sandbox', title: 'Profile marked as a sandbox' },
  { id: 'candidate', title: 'Test candidate exists' },
  { id: 'interview', title: 'Interview of the job created or found' },
  { id: 'write', title: 'Smoke activity written' },
  { id: 'read-back', title: 'Activity read back field by field' },
  { id: 'mark', title: 'Activity marked as a smoke record' },
] as const;

export type SmokeStepId = (typeof SMOKE_STEPS)[number]['id'];

/** The run's time budget: every step races it, and a step still running when it ends fails with `smoke_timeout`. */
export class SmokeBudget {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal;

  constructor(
    readonly seconds: number,
    outer: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(this.timeoutError()), seconds * 1000);
    this.timer.unref?.();
    this.signal = AbortSignal.any([outer, this.controller.signal]);
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  timeoutError(): RemoteError {
    return new RemoteError(`The smoke run did not finish within its time budget of ${this.seconds} s`, {
      code: 'smoke_timeout',
      hint: "Give it more time with --timeout SECONDS; the report's steps (data.steps with --json) show which one was slow.",
    });
  }

  /** Resolves as `work` does, or rejects once the budget ends (or the run is interrupted). */
  race<T>(work: Promise<T>): Promise<T> {
    work.catch(() => {}); // a step abandoned at the deadline must not go unhandled
    if (this.signal.aborted) return Promise.reject(this.expired ? this.timeoutError() : this.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(this.expired ? this.timeoutError() : this.signal.reason);
      this.signal.addEventListener('abort', stop, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', stop);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', stop);
          reject(this.expired ? this.timeoutError() : error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** What stopped a run from outside, in words: Ctrl-C (SIGINT), SIGTERM, or an interruption of another kind. */
export function stopDescription(reason: unknown): string {
  if (reason === 'SIGINT') return 'interrupted (Ctrl-C)';
  if (reason === 'SIGTERM') return 'stopped (SIGTERM)';
  return 'interrupted';
}

/** The steps run so far; `run` times one step and records its outcome. */
export class SmokeSteps {
  readonly steps: SmokeStep[] = [];

  constructor(
    private readonly budget: SmokeBudget,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async run<T>(id: SmokeStepId, work: () => Promise<{ value: T; detail: string }>): Promise<T> {
    const started = this.now();
    const title = SMOKE_STEPS.find((step) => step.id === id)!.title;
    try {
      const { value, detail } = await this.budget.race(work());
      this.steps.push({ id, title, status: 'ok', detail, elapsedMs: Math.round(this.now() - started) });
      return value;
    } catch (error) {
      const stopped = this.budget.signal.aborted && !this.budget.expired ? stopDescription(this.budget.signal.reason) : undefined;
      const detail = stopped ?? (error instanceof Error ? error.message : String(error));
      this.steps.push({ id, title, status: 'fail', detail, elapsedMs: Math.round(this.now() - started) });
      throw error;
    }
  }

  /** Steps not reached, reported as skipped. */
  skipRest(reason: string): void {
    for (const step of SMOKE_STEPS) {
      if (!this.steps.some((done) => done.id === step.id)) this.steps.push({ ...step, status: 'skip', detail: reason, elapsedMs: 0 });
    }
  }
}

/** A run id: sortable, unique enough, safe in a Tracker search (no brackets, spaces or `%`). */
export function smokeRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `smk_${stamp}_${suffix}`;
}

/** `Apriora smoke check smk_… — written [apriora smoke]`; the mark step replaces "written" with "passed". */
export function smokeSubject(runId: string, state: 'written' | 'passed'): string {
  return `Apriora smoke check ${runId} — ${state} ${SMOKE_MARKER}`;
}

export function smokeNote(runId: string, jobId: number, positionId: string): string {
  return [
    `Written by apriora smoke (run ${runId}) to check that the integration can write to this database.`,
    'Not an interview result: no report is behind it, and apriora activity push never rewrites it.',
    `Tracker job ${jobId}, Apriora interview ${positionId}.`,
    '',
    `${SMOKE_MARKER} ${runId}`,
  ].join('\n');
}

/** A value each mapped field can hold, by its saved type, carrying the run id where the type allows. */
export function smokeFieldValues(runId: string, types: FieldTypes, today: string, interviewUrl: string | null): Record<FieldKey, string> {
  const valueFor = (key: FieldKey): string => {
    const kind = fieldKind(types[key]);
    if (kind === 'number') return '0';
    if (kind === 'date') return today;
    if (key === 'reportLink' && interviewUrl && !fieldValueProblem(types[key], interviewUrl)) return interviewUrl;
    if (kind === 'memo') return `Apriora smoke check ${runId}\nNot an interview result.`;
    return `Apriora smoke check ${runId}`;
  };
  return Object.fromEntries(ACTIVITY_FIELDS.map((field) => [field.key, valueFor(field.key)])) as Record<FieldKey, string>;
}

/** Whether Tracker gave back what was sent: numbers by value ("82" is 82.00), text ignoring line-end changes. */
export function sameFieldValue(type: string | undefined, sent: string, got: unknown): boolean {
  if (fieldKind(type) === 'number' && got !== null && got !== undefined && String(got).trim() !== '') return Number(sent) === Number(got);
  if (fieldKind(type) === 'date' && typeof got === 'string') return got.trim().slice(0, 10) === sent;
  return sameText(sent, got);
}

export interface SmokeDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  fieldMap: FieldMap;
  fieldTypes: FieldTypes;
  activityType: string;
  modality: Modality;
  signal: AbortSignal;
  /** Unix seconds. */
  now?: () => number;
}

export interface SmokeInterview {
  jobId: number;
  title: string | null;
  positionId: string;
  interviewUrl: string | null;
  status: 'created' | 'exists';
}

export interface SmokeFieldCheck {
  field: FieldKey;
  customFieldId: number;
  type: string | null;
  sent: string;
  got: string | number | boolean | null;
  same: boolean;
}

export interface SmokeActivity {
  id: number | null;
  type: string;
  subject: string;
  linkRecordType: 'R';
  linkRecordId: number;
  fields: SmokeFieldCheck[];
}

/** The interview of the job, created or found, as `interview generate` does it (one per job, never doubled). */
export async function smokeInterview(deps: SmokeDeps, jobId: number): Promise<SmokeInterview> {
  const lookup = lookupEachJob(deps.apriora, deps.signal);
  const item = await generateForJob(
    { tracker: deps.tracker, apriora: deps.apriora, lookup, confirm: lookup, signal: deps.signal },
    { modality: deps.modality, update: false, dryRun: false },
    { id: jobId },
  );
  if (item.status === 'failed' || !item.positionId) {
    const code = item.error?.code ?? 'interview_failed';
    const message = item.error?.message ?? `The interview of job ${jobId} was not created`;
    if (code === 'job_not_found') {
      throw new InputError(`${message}: the smoke job must be a job of this database`, {
        code,
        hint: 'Pass --job ID (or set APRIORA_SMOKE_JOB) to a job of `apriora tracker jobs list`.',
      });
    }
    throw new RemoteError(message, { code });
  }
  return {
    jobId,
    title: item.title,
    positionId: item.positionId,
    interviewUrl: item.interviewUrl,
    status: item.status === 'created' ? 'created' : 'exists',
  };
}

/** Checks that the test candidate is a Tracker candidate (exit 2 naming the flag when not). */
export async function smokeCandidate(deps: SmokeDeps, candidateId: number): Promise<string> {
  try {
    const record = (await deps.tracker.getIndividualRecord('R', candidateId, deps.signal)) as { name?: unknown };
    return typeof record.name === 'string' ? record.name : '';
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new InputError(`Tracker has no candidate with id ${candidateId}`, {
        code: 'candidate_not_found',
        hint: 'Pass --candidate ID (or set APRIORA_SMOKE_CANDIDATE) to a test candidate of this database (a Tracker resource id).',
      });
    }
    throw error;
  }
}

/** The smoke activity's content: built (and each value checked against its field) before anything is written. */
export function smokeActivityContent(deps: SmokeDeps, runId: string, interview: SmokeInterview, candidateId: number) {
  const { date, time } = activityDateTime((deps.now ?? (() => Date.now() / 1000))());
  const values = smokeFieldValues(runId, deps.fieldTypes, date, interview.interviewUrl);
  assertFieldValues(values, deps.fieldMap, deps.fieldTypes);
  return {
    values,
    activity: {
      subject: smokeSubject(runId, 'written'),
      type: deps.activityType,
      date,
      time,
      status: 'Not Started',
      note: smokeNote(runId, interview.jobId, interview.positionId),
      linkRecordType: 'R' as const,
      linkRecordId: candidateId,
    },
    customfields: ACTIVITY_FIELDS.map((field) => ({ id: Number(deps.fieldMap[field.key].trim()), value: values[field.key] })),
  };
}

/** The activities carrying the run id in their subject (a search on the id, checked on each row). */
export async function smokeActivities(tracker: TrackerClient, runId: string, signal?: AbortSignal): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of tracker.iterateRecords({ recordtype: 'A', searchtext: runId, includecustomfields: true, numrecords: 100 }, signal)) {
    if (subjectOf(row).includes(runId) && subjectOf(row).includes(SMOKE_MARKER)) rows.push(row);
  }
  return rows;
}

/** How long an interrupted run may look for the activity it wrote, to name it. */
const NAME_LOOKUP_MS = 3_000;

/** The id of the run's activity (the oldest one carrying the run id), looked up briefly; undefined when not found in time. */
export async function findSmokeActivityId(tracker: TrackerClient, runId: string): Promise<number | undefined> {
  try {
    const rows = await smokeActivities(tracker, runId, AbortSignal.timeout(NAME_LOOKUP_MS));
    return rows.length ? Math.min(...rows.map((row) => row.id)) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the activity; an answer lost on the way is looked up before writing again, so one run writes one activity. */
export async function writeSmokeActivity(deps: SmokeDeps, runId: string, content: ReturnType<typeof smokeActivityContent>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.tracker.createActivity(content.activity, content.customfields, deps.signal);
      return;
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      if ((await smokeActivities(deps.tracker, runId, deps.signal)).length > 0) return;
    }
  }
}

/**
 * Reads the run's activity back and compares it with what was sent: the type, the link to the candidate and each of
 * the four fields. A difference fails with `smoke_mismatch` naming the field, what was sent and what came back.
 */
export async function readBackSmokeActivity(
  deps: SmokeDeps,
  runId: string,
  content: ReturnType<typeof smokeActivityContent>,
): Promise<{ row: RecordRow; activity: SmokeActivity }> {
  const rows = await smokeActivities(deps.tracker, runId, deps.signal);
  if (rows.length === 0) {
    throw new RemoteError(`Tracker took the smoke activity (run ${runId}) but does not list it`, { code: 'smoke_activity_missing' });
  }
  const row = rows.reduce((oldest, next) => (next.id < oldest.id ? next : oldest));
  const fields = ACTIVITY_FIELDS.map((field): SmokeFieldCheck => {
    const id = Number(deps.fieldMap[field.key].trim());
    const got = row.customfields.find((value) => value.id === id)?.value ?? null;
    const sent = content.values[field.key];
    return {
      field: field.key,
      customFieldId: id,
      type: deps.fieldTypes[field.key] ?? null,
      sent,
      got,
      same: sameFieldValue(deps.fieldTypes[field.key], sent, got),
    };
  });
  const activity: SmokeActivity = {
    id: row.id,
    type: content.activity.type,
    subject: subjectOf(row),
    linkRecordType: 'R',
    linkRecordId: content.activity.linkRecordId,
    fields,
  };
  const gotType = row.details.ActivityTypeName ?? row.details.activitytypename ?? row.details.type;
  if (typeof gotType === 'string' && gotType.trim().toLowerCase() !== content.activity.type.trim().toLowerCase()) {
    throw mismatch(runId, 'activity type', content.activity.type, gotType, { activity });
  }
  const linked = linkedCandidateId(row);
  if (linked !== content.activity.linkRecordId) {
    throw mismatch(runId, 'link', `candidate ${content.activity.linkRecordId}`, linked === undefined ? 'no candidate' : `candidate ${linked}`, { activity });
  }
  const different = fields.find((field) => !field.same);
  if (different) {
    const label = ACTIVITY_FIELDS.find((field) => field.key === different.field)!.label;
    throw mismatch(runId, `${label} (custom field ${different.customFieldId})`, different.sent, different.got, { activity });
  }
  return { row, activity };
}

function mismatch(runId: string, what: string, sent: unknown, got: unknown, details: Record<string, unknown>): RemoteError {
  const show = (value: unknown) => (value === null || value === undefined ? '(nothing)' : JSON.stringify(String(value)));
  return new RemoteError(`Read-back mismatch on the smoke activity (run ${runId}): ${what} sent ${show(sent)}, got ${show(got)}`, {
    code: 'smoke_mismatch',
    hint: 'Tracker changed or dropped a value: check the field types (`apriora tracker fields list --association Activity`) and `apriora doctor`.',
    details: { field: what, sent, got, ...details },
  });
}

/**
 * Marks the activity as a passed smoke record (subject and status) and reads the subject back. An answer lost on the
 * way is settled by that read: the mark landed (the run passes), or it is sent again; setting a subject twice is harmless.
 */
export async function markSmokeActivity(deps: SmokeDeps, runId: string, activityId: number): Promise<string> {
  const subject = smokeSubject(runId, 'passed');
  const readSubject = async () => {
    const page = await deps.tracker.getRecords({ recordtype: 'A', recordid: activityId }, deps.signal);
    return page.results[0] ? subjectOf(page.results[0]) : undefined;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.tracker.updateRecord(
        {
          recordtype: 'A',
          recordid: activityId,
          updates: [
            { column: 'subject', value: subject },
            { column: 'taskstatus', value: 'Completed' },
          ],
        },
        deps.signal,
      );
      break;
    } catch (error) {
      if (!isUncertainWrite(error)) throw error;
      const got = await confirmWrite(readSubject, error).catch((unconfirmed: unknown) => {
        throw markNotConfirmed(unconfirmed, activityId);
      });
      if (sameText(got, subject)) return subject;
      if (attempt >= MAX_WRITE_ATTEMPTS) throw markNotConfirmed(error, activityId);
    }
  }
  const got = await readSubject();
  if (!sameText(got, subject)) throw mismatch(runId, 'subject', subject, got ?? null, { activityId });
  return subject;
}

/** The mark's failure with the fix that holds for smoke: a run again writes a new activity, this one stays unmarked. */
function markNotConfirmed(error: unknown, activityId: number): RemoteError {
  const code = error instanceof AppError ? error.code : 'server_error';
  return new RemoteError(error instanceof Error ? error.message : String(error), {
    code,
    hint: `Run \`apriora smoke\` again when Tracker answers: a new run writes a new smoke activity (activity ${activityId} of this run stays marked "written").`,
    details: { activityId },
    cause: error,
  });
}

/** The error a run stops with: an AppError as it is; anything else is a bug, thrown on to be reported as one (exit 1). */
export function stepError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  throw error;
}
