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
  automations: z
    .object({
      invites: z
        .object({
          enabled: z.boolean().default(false),
          /** The rule format is not known (assumed: `apriora help api`): any JSON values, kept as given. */
          rules: z.array(z.unknown()).default([]),
          /** null = no delay. */
          delayMinutes: z.number().int().nonnegative().nullable().default(0),
          onePerCandidatePerDay: z.boolean().default(true),
        })
        .prefault({}),
      interviewCreation: z
        .object({
          enabled: z.boolean().default(false),
          modality: z.enum(MODALITIES).default('phone'),
          templateId: z.string().min(1).nullable().default(null),
          /** The filter format is not known (assumed: `apriora help api`): any JSON values, kept as given. */
          filters: z.array(z.unknown()).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
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
  automations: z
    .strictObject({
      invites: z
        .strictObject({
          enabled: z.boolean().optional(),
          rules: z.array(z.unknown()).optional(),
          delayMinutes: z.number().int().nonnegative().nullable().optional(),
          onePerCandidatePerDay: z.boolean().optional(),
        })
        .optional(),
      interviewCreation: z
        .strictObject({
          enabled: z.boolean().optional(),
          modality: z.enum(MODALITIES).optional(),
          templateId: z.string().min(1).nullable().optional(),
          filters: z.array(z.unknown()).optional(),
        })
        .optional(),
    })
    .optional(),
  credentials: trackerCredentialsSchema.nullable().optional(),
});
export type IntegrationPatch = z.output<typeof integrationPatchSchema>;
