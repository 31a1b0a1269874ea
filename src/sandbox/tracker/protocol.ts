import { z } from 'zod';
import type { CustomFieldValue, TrackerUser } from './model.js';
import type { TrackerState } from './state.js';
import { isDate, normalizeTimestamp } from './time.js';

/** The in-body status codes of the Widget API (`apriora help api`). */
export const WidgetStatus = {
  Success: 0,
  UserNotFound: 1,
  UserNotActive: 2,
  RecordExists: 3,
  InvalidRequest: 99,
} as const;
export type WidgetStatusCode = (typeof WidgetStatus)[keyof typeof WidgetStatus];

export interface WidgetResponse {
  status: WidgetStatusCode;
  message: string;
  count: number;
  [key: string]: unknown;
}

export function success(extra: Record<string, unknown> = {}, message = 'success', count = 0): WidgetResponse {
  return { status: WidgetStatus.Success, message, count, ...extra };
}

/** Thrown by an operation to answer HTTP 200 with a non-zero status; `extra` joins the body (e.g. recordId: 0). */
export class WidgetFailure extends Error {
  constructor(
    readonly status: Exclude<WidgetStatusCode, 0>,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WidgetFailure';
  }

  toResponse(): WidgetResponse {
    return { status: this.status, message: this.message, count: 0, ...this.extra };
  }
}

export const invalid = (message: string): WidgetFailure => new WidgetFailure(WidgetStatus.InvalidRequest, message);

/** Messages in the style of Tracker's raw server errors (.NET), which is what status 99 often carries. */
export const RAW = {
  nullReference: 'Object reference not set to an instance of an object.',
  badDate: 'String was not recognized as a valid DateTime.',
  invalidColumn: (column: string) => `Invalid column name '${column}'.`,
} as const;

// Tracker's own samples send ids as numbers or strings: accept both. Booleans are JSON booleans only: SQL Server
// behind Tracker does not read "false" as a bit, so the stricter reading refuses a string (`apriora help sandbox`).
export const intLike = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform(Number),
]);
export const boolLike = z.boolean({ error: 'expected a JSON boolean (true or false)' });
export const textLike = z.union([z.string(), z.number().transform(String)]);
// Enumerated values are matched exactly, in the letter case the spec gives (`apriora help sandbox`).
export const listName = z.enum(['short', 'long']);
export const shortlistedBy = z.enum(['user', 'resource']);
/** Tracker's record-type codes (`apriora help api`), upper case. */
export const RECORD_TYPES = ['C', 'N', 'L', 'O', 'P', 'T', 'R', 'X', 'A'] as const;
export const recordType = z.enum(RECORD_TYPES, { error: `expected a record type, one of ${RECORD_TYPES.join(', ')}` });

const FULL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Exactly "YYYY-MM-DD HH:MM:SS" (a date alone is refused); "" means not given. */
export const timestampLike = z.string().transform((value, ctx) => {
  if (value === '') return undefined;
  const normalized = FULL_TIMESTAMP.test(value) ? normalizeTimestamp(value) : undefined;
  if (normalized === undefined) {
    ctx.issues.push({ code: 'custom', message: RAW.badDate, input: value });
    return z.NEVER;
  }
  return normalized;
});

export const customFieldInput = z.object({
  id: intLike,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? '' : String(value))),
});

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Clients often send null for "not given": treat it like an absent key so that defaults apply. */
function withoutNulls(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null));
}

/** Parses one part of the call (`instructions`, `resource`, …); a mismatch answers status 99 naming the path. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(withoutNulls(value));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = [path, ...(issue?.path ?? [])].join('.');
  throw invalid(`Error converting value at '${where}': ${issue?.message ?? 'invalid value'}`);
}

export function objectAt(container: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = container[key];
  return isPlainObject(value) ? value : undefined;
}

/** What a Text custom field holds (an nvarchar(255) column). */
export const TEXT_FIELD_MAX_LENGTH = 255;

/** Why a value cannot be stored in a field of this type (Tracker's database error), or undefined when it fits. */
function typeProblem(type: string, value: string): string | undefined {
  switch (type.trim().toLowerCase()) {
    case 'text':
      return value.length > TEXT_FIELD_MAX_LENGTH ? 'String or binary data would be truncated.' : undefined;
    case 'number':
      return value.trim() === '' || Number.isFinite(Number(value)) ? undefined : `Error converting value "${value}" to type 'System.Decimal'.`;
    case 'date':
      return value.trim() === '' || isDate(value.trim()) ? undefined : RAW.badDate;
    default:
      return undefined;
  }
}

/**
 * Unknown ids, and ids of another association (a Resource "Overall Score" on an activity), answer 99: the sandbox
 * is stricter than Tracker is known to be, so that a client that picks a look-alike field fails here first. A value
 * its field's type cannot hold (Text over 255 characters, Number not numeric, Date not a date) answers 99 too, and
 * nothing of the call is written.
 */
export function checkCustomFields(state: TrackerState, values: readonly CustomFieldValue[], association: string): CustomFieldValue[] {
  for (const value of values) {
    const field = state.customField(value.id);
    if (!field) throw invalid(`Custom field ${value.id} does not exist.`);
    if (field.Association !== association) {
      throw invalid(`Custom field ${value.id} ("${field.Name}") belongs to ${field.Association} records and cannot be set on ${association} records.`);
    }
    const problem = typeProblem(field.Type, String(value.value));
    if (problem) throw invalid(problem);
  }
  return values.map((value) => ({ ...value }));
}

export interface WidgetContext {
  state: TrackerState;
  /** Where checkPerson's recordLink points (the sandbox's base URL, standing in for Tracker's web app). */
  recordLink: string;
}

/** One authenticated call: the object under `trackerrms.<op>` and the user its credentials resolved to. */
export interface WidgetCall {
  op: string;
  payload: Record<string, unknown>;
  user: TrackerUser;
}

export type WidgetOperation = (call: WidgetCall, context: WidgetContext) => WidgetResponse;
