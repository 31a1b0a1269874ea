import { z } from 'zod';
import { formatDate, formatTimestamp, isDate, normalizeTimestamp } from './time.js';

/**
 * The shape of the sandbox's Tracker database. It doubles as the seed format (`--seed FILE`) and as the dump of
 * `GET /__sandbox/state`, so a dump can be loaded again as a seed. Field names are the sandbox's own (camelCase);
 * the Widget API's names are produced by the projections in records.ts. Settings keep Tracker's own casing because
 * getSettingsData returns them nearly as stored.
 */

/**
 * Tracker does not document the Association code of activity custom fields (assumed: `apriora help api`). The sandbox uses these
 * words, "Activity" for activities, so that the client has to discover the code instead of assuming it.
 */
export const ASSOCIATIONS = {
  O: 'Opportunity',
  R: 'Resource',
  A: 'Activity',
  C: 'Client',
  N: 'Contact',
} as const;
export type AssociatedRecordType = keyof typeof ASSOCIATIONS;

export const LINK_RECORD_TYPES = ['C', 'N', 'L', 'O', 'P', 'T', 'R'] as const;
export type LinkRecordType = (typeof LINK_RECORD_TYPES)[number];

export const JOB_STATES = ['open', 'closed', 'won'] as const;
export type JobState = (typeof JOB_STATES)[number];

const id = z.number().int().positive();
const text = z.string().default('');
const nowTimestamp = (): string => formatTimestamp(new Date());

const timestamp = z.string().transform((value, ctx) => {
  const normalized = normalizeTimestamp(value);
  if (normalized === undefined) {
    ctx.issues.push({ code: 'custom', message: 'expected "YYYY-MM-DD HH:MM:SS"', input: value });
    return z.NEVER;
  }
  return normalized;
});
const date = z.string().refine(isDate, 'expected "YYYY-MM-DD"');

export const customFieldValueSchema = z.object({
  id,
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
});
export type CustomFieldValue = z.output<typeof customFieldValueSchema>;
const customFieldValues = z.array(customFieldValueSchema).default([]);

export const idNameSchema = z.object({ Id: id, Name: z.string().min(1) });
export type IdName = z.output<typeof idNameSchema>;

/** `State` is the sandbox's own addition (which `state` filter matches the status); getSettingsData leaves it out. */
export const opportunityStatusSchema = idNameSchema.extend({ State: z.enum(JOB_STATES).default('open') });
export type OpportunityStatus = z.output<typeof opportunityStatusSchema>;

export const customFieldSchema = z.object({
  Association: z.string().min(1),
  Id: id,
  Name: z.string().min(1),
  Type: z.string().default('Text'),
  ListId: id.nullable().default(null),
});
export type CustomField = z.output<typeof customFieldSchema>;

export const customFieldListSchema = z.object({
  Id: id,
  Name: z.string().min(1),
  Items: z.array(idNameSchema).default([]),
});
export type CustomFieldList = z.output<typeof customFieldListSchema>;

export const userSchema = z.object({
  UserId: id,
  Username: z.string().min(1),
  Email: z.string().min(1),
  LastLogon: z.string().nullable().default(null),
  Active: z.boolean().default(true),
});
export type TrackerUser = z.output<typeof userSchema>;

export const clientSchema = z.object({ id, name: z.string().min(1), city: text, state: text, country: text });
export type TrackerClient = z.output<typeof clientSchema>;

export const contactSchema = z.object({
  id,
  clientId: id.nullable().default(null),
  firstname: text,
  lastname: text,
  jobtitle: text,
  email: text,
  phone: text,
  cellphone: text,
  linkedin: text,
});
export type TrackerContact = z.output<typeof contactSchema>;

export const jobFieldsSchema = z.object({
  id,
  /** Tracker's reference shown before the title in list results ("JOB-3111 Senior Nurse"); defaults to JOB-<id>. */
  reference: z.string().optional(),
  title: z.string().min(1),
  clientId: id.nullable().default(null),
  contactId: id.nullable().default(null),
  status: z.string().default('Open'),
  type: z.string().default('Permanent'),
  /** HTML, as Tracker stores it. */
  description: text,
  location: text,
  city: text,
  state: text,
  country: text,
  salaryPayRate: z.number().nullable().default(null),
  feeBillRate: z.number().nullable().default(null),
  startDate: date.nullable().default(null),
  endDate: date.nullable().default(null),
  dateOpened: date.default(() => formatDate(new Date())),
  ownerUserIds: z.array(id).default([]),
  customFields: customFieldValues,
  createdAt: timestamp.default(nowTimestamp),
  updatedAt: timestamp.default(nowTimestamp),
});
export const jobSchema = jobFieldsSchema.transform((job) => ({ ...job, reference: job.reference ?? `JOB-${job.id}` }));
export type TrackerJob = z.output<typeof jobSchema>;

export const candidateSchema = z
  .object({
    id,
    firstname: text,
    lastname: text,
    fullname: z.string().optional(),
    preferredname: text,
    email: text,
    email2: text,
    cellphone: text,
    workphone: text,
    homephone: text,
    jobtitle: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    state: text,
    zipcode: text,
    country: text,
    linkedin: text,
    source: text,
    note: text,
    availability: text,
    status: z.string().default('Active'),
    customFields: customFieldValues,
    createdAt: timestamp.default(nowTimestamp),
    updatedAt: timestamp.default(nowTimestamp),
  })
  .transform((candidate) => ({
    ...candidate,
    fullname: candidate.fullname ?? `${candidate.firstname} ${candidate.lastname}`.trim(),
  }));
export type TrackerCandidate = z.output<typeof candidateSchema>;

/**
 * An OpportunityResource (an applicant row): a candidate on a job's long list (applied) or short list, with a
 * pipeline status from settings.opportunityResourceStatuses. REST v1 shows it (rest-rows.ts); the Widget API has no
 * operation that lists it.
 */
export const applicationSchema = z.object({
  id,
  opportunityId: id,
  resourceId: id,
  list: z.enum(['long', 'short']).default('long'),
  /** "Applied", "Shortlisted", "Placed", … — "Placed" rows appear in a job's Placements[]. */
  status: z.string().default('Applied'),
  /** REST v1's activeRecord ("y"/"n"): an inactive row stays in the database (and in searches) but is withdrawn. */
  active: z.boolean().default(true),
  shortlistedBy: z.enum(['user', 'resource']).nullable().default(null),
  source: text,
  createdAt: timestamp.default(nowTimestamp),
  updatedAt: timestamp.default(nowTimestamp),
});
export type TrackerApplication = z.output<typeof applicationSchema>;

export const activitySchema = z.object({
  id,
  /** The activity type's name (a taskTypes entry), e.g. "Apriora Interview". */
  type: z.string().min(1),
  subject: text,
  date: date.default(() => formatDate(new Date())),
  /** "hh:mm AM", as createActivity takes it. */
  time: z.string().default('09:00 AM'),
  status: z.string().default('Not Started'),
  priority: z.string().default('Medium'),
  contactType: text,
  note: text,
  userId: id.nullable().default(null),
  linkRecordType: z.enum(LINK_RECORD_TYPES).nullable().default(null),
  linkRecordId: id.nullable().default(null),
  customFields: customFieldValues,
  /** Sandbox bookkeeping: where createActivity found `customfields` (beside `activity`, inside it, both, none). */
  customFieldsForm: z.enum(['beside', 'inside', 'both', 'none']).default('none'),
  createdAt: timestamp.default(nowTimestamp),
  updatedAt: timestamp.default(nowTimestamp),
});
export type TrackerActivity = z.output<typeof activitySchema>;
export type CustomFieldsForm = TrackerActivity['customFieldsForm'];

/** getSettingsData's further lists, in its order: spec §3 names them, the sandbox fills them with plausible entries. */
export const EXTRA_SETTINGS_LISTS = [
  'accessRights',
  'leadStatuses',
  'leadSources',
  'opportunityWorkTypes',
  'projectStatuses',
  'departments',
  'ticketTypes',
  'ticketStatuses',
  'userTeams',
] as const;
export type ExtraSettingsList = (typeof EXTRA_SETTINGS_LISTS)[number];

export const settingsSchema = z.object({
  namingConventions: z.record(z.string(), z.string()),
  opportunityStatuses: z.array(opportunityStatusSchema).min(1),
  resourceStatuses: z.array(idNameSchema),
  resourceSources: z.array(idNameSchema),
  taskTypes: z.array(idNameSchema),
  /** The applicant pipeline statuses (Applied, Shortlisted, …): the ids of REST v1's opportunityResourceStatusId. */
  opportunityResourceStatuses: z.array(idNameSchema).min(1),
  customFields: z.array(customFieldSchema),
  customFieldLists: z.array(customFieldListSchema),
  /** Lists the sandbox keeps only to answer getSettingsData as Tracker does (no record uses them). */
  accessRights: z.array(idNameSchema),
  leadStatuses: z.array(idNameSchema),
  leadSources: z.array(idNameSchema),
  opportunityWorkTypes: z.array(idNameSchema),
  projectStatuses: z.array(idNameSchema),
  departments: z.array(idNameSchema),
  ticketTypes: z.array(idNameSchema),
  ticketStatuses: z.array(idNameSchema),
  userTeams: z.array(idNameSchema),
});
export type TrackerSettings = z.output<typeof settingsSchema>;
