import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import {
  ASSOCIATIONS,
  activitySchema,
  applicationSchema,
  type CustomFieldValue,
  candidateSchema,
  clientSchema,
  contactSchema,
  EXTRA_SETTINGS_LISTS,
  jobSchema,
  settingsSchema,
  type TrackerSettings,
  userSchema,
} from './model.js';
import { defaultTrackerSettings, defaultTrackerUsers } from './settings.js';

/** Settings may be given in part: a missing list falls back to the default one. */
const seedSettingsSchema = settingsSchema
  .partial()
  .optional()
  .transform((partial) => {
    const defaults = defaultTrackerSettings();
    return {
      namingConventions: partial?.namingConventions ?? defaults.namingConventions,
      opportunityStatuses: partial?.opportunityStatuses ?? defaults.opportunityStatuses,
      resourceStatuses: partial?.resourceStatuses ?? defaults.resourceStatuses,
      resourceSources: partial?.resourceSources ?? defaults.resourceSources,
      taskTypes: partial?.taskTypes ?? defaults.taskTypes,
      opportunityResourceStatuses: partial?.opportunityResourceStatuses ?? defaults.opportunityResourceStatuses,
      customFields: partial?.customFields ?? defaults.customFields,
      customFieldLists: partial?.customFieldLists ?? defaults.customFieldLists,
      ...Object.fromEntries(EXTRA_SETTINGS_LISTS.map((name) => [name, partial?.[name] ?? defaults[name]])),
    } as TrackerSettings;
  });

const baseSeedSchema = z.object({
  settings: seedSettingsSchema,
  users: z.array(userSchema).default(() => defaultTrackerUsers()),
  clients: z.array(clientSchema).default([]),
  contacts: z.array(contactSchema).default([]),
  jobs: z.array(jobSchema).default([]),
  candidates: z.array(candidateSchema).default([]),
  applications: z.array(applicationSchema).default([]),
  activities: z.array(activitySchema).default([]),
});

type Issue = { path: (string | number)[]; message: string };

function duplicateIds<T>(items: readonly T[], idOf: (item: T) => number, path: string, issues: Issue[]): void {
  const seen = new Set<number>();
  items.forEach((item, index) => {
    const id = idOf(item);
    if (seen.has(id)) issues.push({ path: [path, index], message: `duplicate id ${id}` });
    seen.add(id);
  });
}

/** Cross-record checks: a seed that points at records it does not contain would make the sandbox lie. */
function integrityIssues(seed: z.output<typeof baseSeedSchema>): Issue[] {
  const issues: Issue[] = [];
  const { settings } = seed;
  duplicateIds(seed.users, (u) => u.UserId, 'users', issues);
  duplicateIds(seed.clients, (c) => c.id, 'clients', issues);
  duplicateIds(seed.contacts, (c) => c.id, 'contacts', issues);
  duplicateIds(seed.jobs, (j) => j.id, 'jobs', issues);
  duplicateIds(seed.candidates, (c) => c.id, 'candidates', issues);
  duplicateIds(seed.applications, (a) => a.id, 'applications', issues);
  duplicateIds(seed.activities, (a) => a.id, 'activities', issues);
  duplicateIds(settings.customFields, (f) => f.Id, 'settings.customFields', issues);

  const ids = (items: readonly { id: number }[]): Set<number> => new Set(items.map((item) => item.id));
  const clientIds = ids(seed.clients);
  const contactIds = ids(seed.contacts);
  const jobIds = ids(seed.jobs);
  const candidateIds = ids(seed.candidates);
  const userIds = new Set(seed.users.map((u) => u.UserId));
  const statusNames = new Set(settings.opportunityStatuses.map((s) => s.Name));
  const taskTypeNames = new Set(settings.taskTypes.map((t) => t.Name));
  const applicantStatusNames = new Set(settings.opportunityResourceStatuses.map((s) => s.Name));
  const fieldAssociation = new Map(settings.customFields.map((f) => [f.Id, f.Association]));

  const checkFields = (values: readonly CustomFieldValue[], association: string, path: (string | number)[]): void => {
    values.forEach((value, index) => {
      const actual = fieldAssociation.get(value.id);
      if (actual === undefined) issues.push({ path: [...path, index], message: `unknown custom field id ${value.id}` });
      else if (actual !== association) {
        issues.push({ path: [...path, index], message: `custom field ${value.id} belongs to ${actual}, not ${association}` });
      }
    });
  };

  seed.contacts.forEach((contact, i) => {
    if (contact.clientId !== null && !clientIds.has(contact.clientId)) {
      issues.push({ path: ['contacts', i, 'clientId'], message: `no client ${contact.clientId}` });
    }
  });
  seed.jobs.forEach((job, i) => {
    if (job.clientId !== null && !clientIds.has(job.clientId)) issues.push({ path: ['jobs', i, 'clientId'], message: `no client ${job.clientId}` });
    if (job.contactId !== null && !contactIds.has(job.contactId)) issues.push({ path: ['jobs', i, 'contactId'], message: `no contact ${job.contactId}` });
    if (!statusNames.has(job.status)) issues.push({ path: ['jobs', i, 'status'], message: `"${job.status}" is not in settings.opportunityStatuses` });
    job.ownerUserIds.forEach((owner, k) => {
      if (!userIds.has(owner)) issues.push({ path: ['jobs', i, 'ownerUserIds', k], message: `no user ${owner}` });
    });
    checkFields(job.customFields, ASSOCIATIONS.O, ['jobs', i, 'customFields']);
  });
  seed.candidates.forEach((candidate, i) => {
    checkFields(candidate.customFields, ASSOCIATIONS.R, ['candidates', i, 'customFields']);
  });
  seed.applications.forEach((application, i) => {
    if (!jobIds.has(application.opportunityId)) issues.push({ path: ['applications', i, 'opportunityId'], message: `no job ${application.opportunityId}` });
    if (!candidateIds.has(application.resourceId)) issues.push({ path: ['applications', i, 'resourceId'], message: `no candidate ${application.resourceId}` });
    if (!applicantStatusNames.has(application.status)) {
      issues.push({ path: ['applications', i, 'status'], message: `"${application.status}" is not in settings.opportunityResourceStatuses` });
    }
  });
  const pairs = new Set<string>();
  seed.applications.forEach((application, i) => {
    const pair = `${application.opportunityId}/${application.resourceId}`;
    if (pairs.has(pair))
      issues.push({ path: ['applications', i], message: `candidate ${application.resourceId} is on job ${application.opportunityId} twice` });
    pairs.add(pair);
  });
  seed.activities.forEach((activity, i) => {
    if (!taskTypeNames.has(activity.type)) issues.push({ path: ['activities', i, 'type'], message: `"${activity.type}" is not in settings.taskTypes` });
    if (activity.userId !== null && !userIds.has(activity.userId)) issues.push({ path: ['activities', i, 'userId'], message: `no user ${activity.userId}` });
    if ((activity.linkRecordType === null) !== (activity.linkRecordId === null)) {
      issues.push({ path: ['activities', i], message: 'linkRecordType and linkRecordId go together' });
    } else if (activity.linkRecordType !== null && activity.linkRecordId !== null) {
      const known: Partial<Record<string, Set<number>>> = { O: jobIds, R: candidateIds, C: clientIds, N: contactIds };
      const pool = known[activity.linkRecordType];
      if (pool && !pool.has(activity.linkRecordId)) {
        issues.push({ path: ['activities', i, 'linkRecordId'], message: `no ${activity.linkRecordType} record ${activity.linkRecordId}` });
      }
    }
    checkFields(activity.customFields, ASSOCIATIONS.A, ['activities', i, 'customFields']);
  });
  return issues;
}

export const trackerSeedSchema = baseSeedSchema.superRefine((seed, ctx) => {
  for (const issue of integrityIssues(seed)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** A complete, validated Tracker database (what `generateTrackerSeed` returns and `GET /__sandbox/state` dumps). */
export type TrackerSeed = z.output<typeof trackerSeedSchema>;
/** What a seed file may contain: every list and most fields are optional. */
export type TrackerSeedInput = z.input<typeof trackerSeedSchema>;

/** Validates parsed JSON as a seed; throws InputError that lists every problem with its path. */
export function loadTrackerSeed(json: unknown, origin = 'Tracker seed'): TrackerSeed {
  const result = trackerSeedSchema.safeParse(json);
  if (!result.success) {
    throw new InputError(`${origin} is invalid:\n${z.prettifyError(result.error)}`, {
      code: 'invalid_seed',
      details: result.error.issues,
    });
  }
  return result.data;
}

/** Reads and validates a seed file (the CLI's `--seed FILE`). */
export async function readTrackerSeedFile(path: string): Promise<TrackerSeed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the seed file ${path}`, { code: 'invalid_seed', cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`The seed file ${path} is not valid JSON: ${reason}`, { code: 'invalid_seed', cause: error });
  }
  return loadTrackerSeed(json, `The seed file ${path}`);
}
