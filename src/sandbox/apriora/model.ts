import { z } from 'zod';

/**
 * The shape of the sandbox's Apriora database. Records are stored in the API's own shape (camelCase, Unix seconds),
 * so that the answers of the emulator are the records themselves, and `GET /__sandbox/state` dumps them in the same
 * format that `aprioraSeedSchema` loads. Extra fields beyond the spec (a position's `description`, `templateId`, …)
 * are kept and returned too.
 */

export const MODALITIES = ['phone', 'video'] as const;
export type Modality = (typeof MODALITIES)[number];

export const POSITION_STATUSES = ['draft', 'active', 'closed'] as const;
export type PositionStatus = (typeof POSITION_STATUSES)[number];

export const INVITATION_STATUSES = ['scheduled', 'sent', 'started', 'completed', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const EXTERNAL_SOURCES = ['tracker'] as const;

/** Tracker's data centres (`apriora help api`); null = not known (e.g. a sandbox reached by base URL). */
export const TRACKER_REGIONS = ['us', 'ca', 'uk'] as const;
const region = z.enum(TRACKER_REGIONS).nullable();

/** The activity type the Tracker integration writes (the same name as the Tracker sandbox's task type). */
export const TRACKER_ACTIVITY_TYPE = 'Apriora Interview';

/** Where the web app lives; links in answers point there (never fetched by the sandbox). */
export const APRIORA_APP_URL = 'https://app.apriora.ai';
export const APRIORA_CDN_URL = 'https://cdn.apriora.ai';

export const interviewUrlOf = (positionId: string): string => `${APRIORA_APP_URL}/interview/${encodeURIComponent(positionId)}`;

const unixSeconds = z.number().int().nonnegative();
const nullableText = z.string().nullable().default(null);

export const templateSchema = z.object({
  templateId: z.string().min(1),
  name: z.string().min(1),
  modality: z.enum(MODALITIES),
});
export type AprioraTemplate = z.output<typeof templateSchema>;

export const positionSchema = z
  .object({
    positionId: z.string().min(1),
    title: z.string().min(1),
    modality: z.enum(MODALITIES),
    status: z.enum(POSITION_STATUSES).default('active'),
    /** Positions made in the web app have no external link. */
    externalSource: nullableText,
    externalId: nullableText,
    interviewUrl: z.string().min(1).optional(),
    createdAt: unixSeconds,
    description: z.string().default(''),
    templateId: nullableText,
    creationNotes: nullableText,
    location: nullableText,
  })
  .transform((position) => ({ ...position, interviewUrl: position.interviewUrl ?? interviewUrlOf(position.positionId) }));
export type AprioraPosition = z.output<typeof positionSchema>;

export const candidateSchema = z.object({
  candidateId: z.string().min(1),
  email: z.string().min(1),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  resumeUrl: nullableText,
  phone: nullableText,
  createdAt: unixSeconds,
});
export type AprioraCandidate = z.output<typeof candidateSchema>;

export const invitationSchema = z.object({
  invitationId: z.string().min(1),
  positionId: z.string().min(1),
  candidateId: z.string().min(1),
  email: z.string().min(1),
  status: z.enum(INVITATION_STATUSES).default('sent'),
  interviewLink: z.string().min(1),
  createdAt: unixSeconds,
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  phone: nullableText,
  externalCandidateId: nullableText,
  /** When the invitation is (or was) sent, Unix seconds; null = at creation. */
  sendAt: unixSeconds.nullable().default(null),
});
export type AprioraInvitation = z.output<typeof invitationSchema>;

export const reportSchema = z.object({
  reportId: z.string().min(1),
  candidateId: z.string().min(1),
  positionId: z.string().min(1),
  overallScore: z.number().min(0).max(100),
  overallFeedback: z.string(),
  questionSummary: z.array(z.object({ question: z.string(), summary: z.string() })),
  tags: z.array(z.object({ name: z.string(), value: z.string(), evidence: z.string() })),
  skills: z.array(z.object({ name: z.string(), score: z.number().min(0).max(100), feedback: z.string() })),
  timeCompleted: unixSeconds,
  videoUrl: nullableText,
  pdfUrl: nullableText,
});
export type AprioraReport = z.output<typeof reportSchema>;

// Automations (assumed: `apriora help api`): `TrackerIntegration.automations`.

export const RULE_OPS = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'not_in'] as const;
export const INVITE_RULE_FIELDS = ['status', 'source', 'candidate.email', 'job.title', 'job.location', 'job.type', 'job.client'] as const;
export const INTERVIEW_FILTER_FIELDS = ['job.title', 'job.location', 'job.type', 'job.client', 'job.status'] as const;
export const MAX_DELAY_MINUTES = 10_080;
export const AUTOMATION_NAMES = ['invites', 'interviewCreation'] as const;
export type AutomationName = (typeof AUTOMATION_NAMES)[number];

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An IANA time zone name the runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '' || name !== name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ruleSchema = z.strictObject({
  field: z.string(),
  op: z.enum(RULE_OPS),
  value: z.union([z.string(), z.array(z.string())]),
});
export type AutomationRule = z.output<typeof ruleSchema>;

const blackoutSchema = z.strictObject({
  start: z.string().regex(HH_MM, 'must be HH:MM (00:00-23:59)'),
  end: z.string().regex(HH_MM, 'must be HH:MM (00:00-23:59)'),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone name (e.g. America/New_York)'),
});

export const invitesAutomationSchema = z.strictObject({
  enabled: z.boolean().default(false),
  trigger: z
    .strictObject({
      statuses: z.array(z.string().refine((value) => value.trim() !== '', 'must not be blank')).min(1, 'must name at least one status'),
    })
    .default({ statuses: ['Applied'] }),
  rules: z.array(ruleSchema).default([]),
  delayMinutes: z.number().int().min(0).max(MAX_DELAY_MINUTES).default(0),
  onePerCandidatePerDay: z.boolean().default(true),
  /** Phone invitations only; null = none. */
  blackout: blackoutSchema.nullable().default(null),
});
export type InvitesAutomation = z.output<typeof invitesAutomationSchema>;

export const interviewCreationAutomationSchema = z.strictObject({
  enabled: z.boolean().default(false),
  modality: z.enum(MODALITIES).default('video'),
  templateId: z.string().min(1).nullable().default(null),
  filters: z.array(ruleSchema).default([]),
});
export type InterviewCreationAutomation = z.output<typeof interviewCreationAutomationSchema>;

const automationsSchema = z.object({
  invites: invitesAutomationSchema.prefault({}),
  interviewCreation: interviewCreationAutomationSchema.prefault({}),
});
export type Automations = z.output<typeof automationsSchema>;

/** What is wrong with one automation object: the 422 code, the message, and for a rule its index. */
export interface AutomationProblem {
  code: 'invalid_rule' | 'invalid_automation';
  message: string;
  index?: number;
}

const RULES_KEY = { invites: 'rules', interviewCreation: 'filters' } as const;
const FIELDS_OF = { invites: INVITE_RULE_FIELDS, interviewCreation: INTERVIEW_FILTER_FIELDS } as const;

function ruleProblem(name: AutomationName, rule: AutomationRule, index: number): AutomationProblem | undefined {
  const where = `automations.${name}.${RULES_KEY[name]}.${index}`;
  const fields: readonly string[] = FIELDS_OF[name];
  const problem = (message: string): AutomationProblem => ({ code: 'invalid_rule', message: `${where}.${message}`, index });
  if (!fields.includes(rule.field)) return problem(`field: "${rule.field}" is not one of ${fields.join(', ')}`);
  const list = rule.op === 'in' || rule.op === 'not_in';
  if (Array.isArray(rule.value)) {
    if (!list) return problem(`value: a list goes only with in or not_in, not ${rule.op}`);
    if (rule.value.length === 0) return problem('value: the list is empty');
  }
  return undefined;
}

/**
 * Validates one automation object of a PATCH (or a seed) as the contract says and fills its defaults: the first
 * problem, or the object as it will be stored. A rule that is not `{field, op, value}`, names a field the automation
 * does not have, or has a list with another op than in/not_in is `invalid_rule` with its index; anything else is
 * `invalid_automation` (delay outside 0-10080, a blackout that is not HH:MM or an IANA zone, a modality, an unknown
 * template or one of the other modality).
 */
export function checkAutomation<N extends AutomationName>(
  name: N,
  value: unknown,
  templates: readonly AprioraTemplate[],
): { ok: true; value: Automations[N] } | { ok: false; problem: AutomationProblem } {
  const schema = name === 'invites' ? invitesAutomationSchema : interviewCreationAutomationSchema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const rulesKey = RULES_KEY[name];
    const issue = parsed.error.issues.find((i) => i.path[0] === rulesKey && typeof i.path[1] === 'number') ?? parsed.error.issues[0]!;
    const where = ['automations', name, ...issue.path.map(String)].join('.');
    const message = `${where}: ${issue.message}`;
    if (issue.path[0] === rulesKey && typeof issue.path[1] === 'number') return { ok: false, problem: { code: 'invalid_rule', message, index: issue.path[1] } };
    return { ok: false, problem: { code: 'invalid_automation', message } };
  }
  const stored = parsed.data as Automations[N];
  const rules = 'rules' in stored ? stored.rules : (stored as InterviewCreationAutomation).filters;
  for (const [index, rule] of rules.entries()) {
    const problem = ruleProblem(name, rule, index);
    if (problem) return { ok: false, problem };
  }
  if ('templateId' in stored && stored.templateId !== null) {
    const template = templates.find((t) => t.templateId === stored.templateId);
    const where = `automations.${name}.templateId`;
    if (!template) return { ok: false, problem: { code: 'invalid_automation', message: `${where}: no template ${stored.templateId}` } };
    if (template.modality !== stored.modality) {
      return {
        ok: false,
        problem: {
          code: 'invalid_automation',
          message: `${where}: template ${template.templateId} is a ${template.modality} interview, not ${stored.modality}`,
        },
      };
    }
  }
  return { ok: true, value: stored };
}

/** A Tracker custom field id, or null while not mapped. */
const fieldId = z.number().int().positive().nullable();

export const integrationSettingsSchema = z.object({
  region: region.default(null),
  username: z.string().min(1).nullable().default(null),
  activityType: z.literal(TRACKER_ACTIVITY_TYPE).default(TRACKER_ACTIVITY_TYPE),
  activityFields: z
    .object({
      overallScore: fieldId.default(null),
      reportLink: fieldId.default(null),
      gradingCriteria: fieldId.default(null),
      feedback: fieldId.default(null),
    })
    .prefault({}),
  automations: automationsSchema.prefault({}),
});
/** The integration settings as stored, without the credentials (kept apart, see AprioraState). */
export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;

/** `TrackerIntegration` of the spec: the settings plus whether credentials are stored. Never holds the secrets. */
export type TrackerIntegration = { hasCredentials: boolean } & IntegrationSettings;

/** The write-only `credentials` of `PATCH /integrations/tracker`. */
export const trackerCredentialsSchema = z.strictObject({
  apiKey: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  region,
});
export type TrackerIntegrationCredentials = z.output<typeof trackerCredentialsSchema>;

/**
 * The body of `PATCH /integrations/tracker`: any subset of TrackerIntegration (nested objects in part too) plus the
 * write-only `credentials` (null clears them). `hasCredentials` is read-only: accepted, so that a client may send
 * back what it read, and ignored.
 */
export const integrationPatchSchema = z.strictObject({
  hasCredentials: z.boolean().optional(),
  region: region.optional(),
  username: z.string().min(1).nullable().optional(),
  activityType: z.literal(TRACKER_ACTIVITY_TYPE).optional(),
  activityFields: z
    .strictObject({
      overallScore: fieldId.optional(),
      reportLink: fieldId.optional(),
      gradingCriteria: fieldId.optional(),
      feedback: fieldId.optional(),
    })
    .optional(),
  /** Each automation object named replaces the stored one whole; checked by `checkAutomation` (422 invalid_rule / invalid_automation). */
  automations: z.strictObject({ invites: z.unknown().optional(), interviewCreation: z.unknown().optional() }).optional(),
  credentials: trackerCredentialsSchema.nullable().optional(),
});
export type IntegrationPatch = z.output<typeof integrationPatchSchema>;
