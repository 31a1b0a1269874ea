import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { hasControlCharacters } from '../lib/sanitize.js';
import { id, list, nullableString, type Report, text, unixSeconds } from './schemas.js';

/**
 * EVERY assumption (the "Assumed" part of `apriora help api`) about the partner endpoints that
 * Apriora's web app uses but does not document publicly: paths, fields, error codes, page size, the report-link
 * fallback and the webhook signature. When Apriora documents them, correct them here and nowhere else.
 */

// ---------------------------------------------------------------------------------------------------------------
// Paths

const segment = (value: string) => encodeURIComponent(value);

export const PATHS = {
  templates: '/templates',
  positions: '/positions',
  position: (positionId: string) => `/positions/${segment(positionId)}`,
  invitations: '/invitations',
  trackerIntegration: '/integrations/tracker',
} as const;

/**
 * The call `apriora login` makes to check a key: it must be authenticated and free of side effects. `GET /templates`
 * is the smallest partner read (a short list, no filter needed). Change it here if Apriora offers a `whoami`.
 */
export const KEY_CHECK_PATH = PATHS.templates;

/** Partner list endpoints take `limit` (at most this) and `offset`. */
export const MAX_PAGE_SIZE = 100;

export { DEFAULT_APRIORA_BASE_URL } from './hosts.js';

/** The value of `externalSource` that links a position to a Tracker job. */
export const EXTERNAL_SOURCE = 'tracker';

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** Non-2xx answers carry `{"error": {"code": "<snake_case>", "message": "…", …}}`; conflicts add an id. */
export const errorBody = z.looseObject({
  error: z.looseObject({
    code: z.string().nullish(),
    message: z.string().nullish(),
  }),
});

export interface AprioraErrorInfo {
  code: string | undefined;
  message: string | undefined;
  /** The whole `error` object, for the ids that some codes carry. */
  fields: Record<string, unknown>;
}

/** The error object of a non-2xx answer, or nothing when the body is not the documented shape. */
export function parseErrorBody(body: unknown): AprioraErrorInfo | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  return { code: error.code || undefined, message: error.message || undefined, fields: error };
}

/** 409 codes, each with the field of the error object that names the record that already exists. */
export const CONFLICT_CODES = {
  /** `POST /positions` for an external id that is already linked. */
  position_exists: 'positionId',
  /** `POST /invitations` for a candidate already invited to that position. */
  already_invited: 'invitationId',
} as const;
export type ConflictCode = keyof typeof CONFLICT_CODES;

/**
 * 422 codes that name what is wrong with one item (surfaced as the item's error code instead of
 * `apriora_invalid_input`), each with what it means.
 */
export const INVALID_INPUT_CODES = {
  /** `POST /invitations` to a phone position without `candidate.phone`. */
  phone_required: "a phone interview needs the candidate's phone number (E.164)",
  /** `POST /invitations` with a phone number Apriora does not accept. */
  invalid_phone: 'the phone number is not a valid E.164 number',
  /** `POST /invitations` with an e-mail Apriora does not accept. */
  invalid_email: 'the e-mail address is not valid',
  /** `POST /invitations` to a closed position. */
  position_closed: 'the interview (position) is closed',
  /** `PATCH /integrations/tracker`: a rule or filter of an automation (its index in `error.details.index`). */
  invalid_rule: 'a rule of the automation is not valid',
  /** `PATCH /integrations/tracker`: another part of an automation (delay, blackout, modality, template). */
  invalid_automation: 'the automation is not valid',
} as const;
export type InvalidInputCode = keyof typeof INVALID_INPUT_CODES;

export function isInvalidInputCode(code: string | undefined): code is InvalidInputCode {
  return code !== undefined && Object.hasOwn(INVALID_INPUT_CODES, code);
}

/** `GET /invitations` filters: `createdAfter` is Unix seconds. Answers come newest first. */
export const INVITATION_QUERY = { positionId: 'positionId', email: 'email', createdAfter: 'createdAfter' } as const;

/** The id of the existing record that a 409 names, when its code is one we know. */
export function conflictExistingId(info: AprioraErrorInfo | undefined): string | undefined {
  if (!info?.code || !Object.hasOwn(CONFLICT_CODES, info.code)) return undefined;
  const value = info.fields[CONFLICT_CODES[info.code as ConflictCode]];
  return typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export const MODALITIES = ['phone', 'video'] as const;
export type Modality = (typeof MODALITIES)[number];
const modality = z.enum(MODALITIES);

export const POSITION_STATUSES = ['draft', 'active', 'closed'] as const;
export type PositionStatus = (typeof POSITION_STATUSES)[number];

export const INVITATION_STATUSES = ['scheduled', 'sent', 'started', 'completed', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const TRACKER_REGIONS = ['us', 'ca', 'uk'] as const;
export type TrackerRegion = (typeof TRACKER_REGIONS)[number];

export const template = z.looseObject({
  templateId: id,
  name: text,
  modality,
});
export type Template = z.infer<typeof template>;
export const templateList = z.array(template);

/** A position (the web app's "job" or "interview"); linked to at most one ATS job by `externalSource`/`externalId`. */
export const position = z.looseObject({
  positionId: id,
  title: text,
  modality,
  status: z.enum(POSITION_STATUSES),
  externalSource: nullableString,
  externalId: nullableString,
  interviewUrl: nullableString,
  createdAt: unixSeconds.nullish().transform((value) => value ?? null),
});
export type Position = z.infer<typeof position>;
export const positionList = z.array(position);

export const invitation = z.looseObject({
  invitationId: id,
  positionId: id,
  candidateId: nullableString,
  email: z.string(),
  status: z.enum(INVITATION_STATUSES),
  interviewLink: nullableString,
  createdAt: unixSeconds.nullish().transform((value) => value ?? null),
  /**
   * The Tracker candidate id sent with the invitation, when Apriora echoes it back (not in the listed shape: read
   * only when present). Tells which of two Tracker records sharing an e-mail the invitation was recorded on.
   */
  externalCandidateId: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((value) => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim())),
});
export type Invitation = z.infer<typeof invitation>;

/** The Tracker candidate id an invitation was sent for, when Apriora gives it back and it is one. */
export function invitedTrackerId(invitation: Pick<Invitation, 'externalCandidateId'>): number | undefined {
  const id = invitation.externalCandidateId === null ? Number.NaN : Number(invitation.externalCandidateId);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
export const invitationList = z.array(invitation);

// ---------------------------------------------------------------------------------------------------------------
// Automations (`TrackerIntegration.automations`): read tolerantly, a missing part takes Apriora's default.

export const RULE_OPS = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'not_in'] as const;
export type RuleOp = (typeof RULE_OPS)[number];
/** Ops whose value is a list (every other op takes one text). */
export const LIST_RULE_OPS: readonly RuleOp[] = ['in', 'not_in'];

/** A condition on one field; text comparisons are case-insensitive and all rules of a list must hold. */
export interface Rule {
  field: string;
  op: RuleOp;
  value: string | string[];
}

/** No phone invitation goes out between `start` and `end` (HH:MM, local time of `timezone`); may cross midnight. */
export interface Blackout {
  start: string;
  end: string;
  timezone: string;
}

export interface InvitesAutomation {
  enabled: boolean;
  /** The applicant pipeline statuses (Tracker's labels) that make an applicant due for an invitation. */
  trigger: { statuses: string[] };
  rules: Rule[];
  /** 0–10080: how long after the application the invitation goes out. */
  delayMinutes: number;
  onePerCandidatePerDay: boolean;
  blackout: Blackout | null;
}

export interface InterviewCreationAutomation {
  enabled: boolean;
  modality: Modality;
  templateId: string | null;
  filters: Rule[];
}

export interface Automations {
  invites: InvitesAutomation;
  interviewCreation: InterviewCreationAutomation;
}

/** The longest delay Apriora accepts: 7 days. */
export const MAX_DELAY_MINUTES = 10_080;

/** The trigger when Apriora names none. */
export const DEFAULT_TRIGGER_STATUSES: readonly string[] = ['Applied'];

/** What Apriora holds for an automation that was never set: both off. */
export function defaultAutomations(): Automations {
  return {
    invites: {
      enabled: false,
      trigger: { statuses: [...DEFAULT_TRIGGER_STATUSES] },
      rules: [],
      delayMinutes: 0,
      onePerCandidatePerDay: true,
      blackout: null,
    },
    interviewCreation: { enabled: false, modality: 'video', templateId: null, filters: [] },
  };
}

const orDefault = <T extends z.ZodType, D>(schema: T, fallback: () => D) => schema.nullish().transform((value) => (value ?? fallback()) as z.output<T> | D);

export const ruleSchema = z
  .looseObject({
    field: z.string().min(1),
    op: z.enum(RULE_OPS),
    value: z.union([z.string(), z.array(z.string())]),
  })
  .transform(({ field, op, value }): Rule => ({ field, op, value }));

export const blackoutSchema = z
  .looseObject({ start: z.string(), end: z.string(), timezone: z.string() })
  .transform(({ start, end, timezone }): Blackout => ({ start, end, timezone }));

export const invitesAutomationSchema = z
  .looseObject({
    enabled: orDefault(z.boolean(), () => false),
    trigger: orDefault(z.looseObject({ statuses: list(z.string()) }), () => ({ statuses: [...DEFAULT_TRIGGER_STATUSES] })),
    rules: list(ruleSchema),
    delayMinutes: orDefault(z.number(), () => 0),
    onePerCandidatePerDay: orDefault(z.boolean(), () => true),
    blackout: orDefault(blackoutSchema, () => null),
  })
  .transform(
    (value): InvitesAutomation => ({
      enabled: value.enabled,
      trigger: { statuses: value.trigger.statuses.length > 0 ? value.trigger.statuses : [...DEFAULT_TRIGGER_STATUSES] },
      rules: value.rules,
      delayMinutes: value.delayMinutes,
      onePerCandidatePerDay: value.onePerCandidatePerDay,
      blackout: value.blackout,
    }),
  );

export const interviewCreationAutomationSchema = z
  .looseObject({
    enabled: orDefault(z.boolean(), () => false),
    modality: orDefault(modality, (): Modality => 'video'),
    templateId: nullableString,
    filters: list(ruleSchema),
  })
  .transform(
    (value): InterviewCreationAutomation => ({
      enabled: value.enabled,
      modality: value.modality,
      templateId: value.templateId,
      filters: value.filters,
    }),
  );

export const automationsSchema = z
  .looseObject({
    invites: orDefault(invitesAutomationSchema, () => defaultAutomations().invites),
    interviewCreation: orDefault(interviewCreationAutomationSchema, () => defaultAutomations().interviewCreation),
  })
  .nullish()
  .transform(
    (value): Automations => ({
      invites: value?.invites ?? defaultAutomations().invites,
      interviewCreation: value?.interviewCreation ?? defaultAutomations().interviewCreation,
    }),
  );

/** A Tracker customfield id; Tracker ids are integers that sometimes travel as numeric strings. */
const customFieldId = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((value) => value ?? null);

export const trackerIntegration = z.looseObject({
  hasCredentials: z.boolean(),
  region: z
    .enum(TRACKER_REGIONS)
    .nullish()
    .transform((value) => value ?? null),
  username: nullableString,
  activityType: text,
  activityFields: z.looseObject({
    overallScore: customFieldId,
    reportLink: customFieldId,
    gradingCriteria: customFieldId,
    feedback: customFieldId,
  }),
  automations: automationsSchema,
});
export type TrackerIntegration = z.infer<typeof trackerIntegration>;

/** The activity type whose custom fields receive a report (`activityType`). */
export const DEFAULT_ACTIVITY_TYPE = 'Apriora Interview';

export interface ActivityFieldIds {
  overallScore: number | null;
  reportLink: number | null;
  gradingCriteria: number | null;
  feedback: number | null;
}

/**
 * What `PATCH /integrations/tracker` may set besides the credentials. `hasCredentials` is computed by Apriora;
 * `region` and `username` travel inside `credentials`. Nested objects are sent whole (read, change, write back), so
 * the request means the same whether Apriora merges or replaces them.
 */
export interface TrackerIntegrationWritable {
  activityType: string;
  activityFields: ActivityFieldIds;
  automations: Partial<Automations>;
}

/** Write-only: Apriora stores them and never returns them. */
export interface TrackerIntegrationCredentials {
  apiKey: string;
  username: string;
  password: string;
  region: TrackerRegion | null;
}

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// Report link

export const REPORT_URL_BASE = 'https://app.apriora.ai/reports/';

/** The report's page in Apriora's web app: the link when the PDF's cannot be used. */
export function reportAppLink(reportId: string): string {
  return `${REPORT_URL_BASE}${segment(reportId)}`;
}

/**
 * The report's PDF link when it is a plain `http(s)` URL, else null: a `javascript:` or `data:` link, or one with
 * spaces or control characters (which URL parsers silently drop), is never used as a link.
 */
export function reportPdfUrl(report: Pick<Report, 'pdfUrl'>): string | null {
  const raw = report.pdfUrl?.trim();
  if (!raw || /\s/.test(raw) || hasControlCharacters(raw)) return null;
  try {
    const { protocol } = new URL(raw);
    return protocol === 'https:' || protocol === 'http:' ? raw : null;
  } catch {
    return null;
  }
}

/** The link written to Tracker's "Report link" field: the PDF when it is an http(s) URL, else the report in the web app. */
export function reportLink(report: Pick<Report, 'reportId' | 'pdfUrl'>): string {
  return reportPdfUrl(report) ?? reportAppLink(report.reportId);
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook signature: `Apriora-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`

export const WEBHOOK_SIGNATURE_HEADER = 'apriora-signature';
/** A signature whose timestamp is further than this from now is rejected (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

function hmacHex(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value Apriora would send for this body (for tests). */
export function signWebhook(secret: string, rawBody: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

/** Checks a webhook's signature header against the raw body; any of several `v1` entries may match. */
export function verifyWebhookSignature(input: {
  header: string | null | undefined;
  rawBody: string | Buffer;
  secret: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): WebhookSignatureCheck {
  if (!input.header) return { ok: false, reason: 'missing' };
  let timestamp: number | undefined;
  let signedTimestamp = '';
  const signatures: string[] = [];
  for (const part of input.header.split(',')) {
    const [key, value] = part
      .trim()
      .split('=', 2)
      .map((s) => s.trim());
    if (key === 't' && value && /^\d{1,15}$/.test(value)) {
      // The HMAC covers the timestamp as sent; the number only serves the freshness check.
      signedTimestamp = value;
      timestamp = Number(value);
    } else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmacHex(input.secret, signedTimestamp, input.rawBody), 'hex');
  const match = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
