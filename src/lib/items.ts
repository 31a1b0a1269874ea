/**
 * The items of bulk runs (`data.items[]`): what happened to each. Down here so that the workflows that make items
 * and the webhook queue that carries push items (it sits below the workflows) share one definition.
 */
export const ITEM_STATUSES = ['created', 'exists', 'updated', 'skipped', 'failed', 'duplicate'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * Statuses that make a bulk run exit 3: `failed`, and `duplicate` (the write happened, but a read-back found the
 * record twice in Tracker: another machine wrote it at the same time).
 */
export const PROBLEM_STATUSES: ReadonlySet<ItemStatus> = new Set(['failed', 'duplicate']);

/** A failed item's `error`. */
export interface ItemError {
  code: string;
  message: string;
}

/** One report pushed into Tracker: an item of `activity push`, and what `activity listen` logs per delivery. */
export interface PushItem {
  reportId: string;
  candidateEmail: string | null;
  trackerCandidateId: number | null;
  /** The Tracker candidate was created by this push (or would be, in a dry run). */
  candidateCreated: boolean;
  jobId: number | null;
  subject: string | null;
  /** The "Apriora Interview" activity written, updated or found (null before one is known, or a dry run's new one). */
  activityId: number | null;
  status: Exclude<ItemStatus, 'exists'>;
  /** failed: what went wrong; duplicate: which records are doubled (code duplicate_activity or duplicate_candidate). */
  error?: ItemError;
  /** duplicate: the Tracker records found twice (or more), oldest first. */
  duplicates?: { activityIds?: number[]; candidateIds?: number[] };
}

/** A push that failed before it learned anything about the report's candidate or job. */
export function failedPushItem(reportId: string, error?: ItemError): PushItem {
  return {
    reportId,
    candidateEmail: null,
    trackerCandidateId: null,
    candidateCreated: false,
    jobId: null,
    subject: null,
    activityId: null,
    status: 'failed',
    ...(error ? { error } : {}),
  };
}
