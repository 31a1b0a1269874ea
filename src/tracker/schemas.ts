import { z } from 'zod';

/** Tracker ids are integers; some answers carry them as numeric strings. */
export const trackerId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

/** Every Widget answer: HTTP 200 with an in-body status that decides success (`apriora help api`). */
export const widgetStatus = z.looseObject({
  status: z.number().int(),
  message: text,
  count: z.number().int().nullish(),
});

export const idName = z.looseObject({ Id: trackerId, Name: z.string() });

export const customFieldDef = z.looseObject({
  Association: z.string(),
  Id: trackerId,
  Name: z.string(),
  Type: text,
  ListId: trackerId.nullish(),
});
export type CustomFieldDef = z.infer<typeof customFieldDef>;

export const settingsData = widgetStatus.extend({
  namingConventions: z
    .record(z.string(), z.string().nullish())
    .nullish()
    .transform((value) => value ?? {}),
  opportunityStatuses: list(idName),
  resourceStatuses: list(idName),
  /** The applicant pipeline statuses (Applied, Shortlisted, …), as REST v1's opportunityResourceStatusName says them. */
  opportunityResourceStatuses: list(idName),
  resourceSources: list(idName),
  taskTypes: list(idName),
  customFields: list(customFieldDef),
  customFieldLists: list(z.looseObject({ Id: trackerId, Name: z.string(), Items: list(idName) })),
  users: list(
    z.looseObject({
      UserId: trackerId,
      Username: text,
      Email: text,
      LastLogon: text,
      Active: z.union([z.boolean(), z.number(), z.string()]).nullish(),
    }),
  ),
});
export type SettingsData = z.infer<typeof settingsData>;

export const recordCustomField = z.looseObject({
  id: trackerId,
  name: z.string().nullish(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});

export const recordRow = z.looseObject({
  id: trackerId,
  name: text,
  company: text,
  status: text,
  dateopened: text,
  details: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((value) => value ?? {}),
  customfields: list(recordCustomField),
});
export type RecordRow = z.infer<typeof recordRow>;

export const recordsPage = widgetStatus.extend({ results: list(recordRow) });

/** A job from getIndividualRecord (`apriora help api`); other record types share the envelope and keep their own fields. */
export const individualRecord = z.looseObject({
  id: trackerId,
  name: text,
  clientid: trackerId.nullish(),
  clientname: text,
  contactid: trackerId.nullish(),
  contactname: text,
  status: text,
  type: text,
  description: text,
  executivesummary: list(z.looseObject({ recordName: text, recordValue: text })),
  subject: text,
  location: text,
  city: text,
  state: text,
  salarypayrate: z.union([z.string(), z.number()]).nullish(),
  startdate: text,
  enddate: text,
  shortlisted: z.union([z.number(), z.string()]).nullish(),
  Owners: list(z.unknown()),
  Placements: list(z.unknown()),
});
export type IndividualRecord = z.infer<typeof individualRecord>;

/** Tracker has been seen both wrapping the record (`record`/`result`) and answering it flat. */
export const individualRecordAnswer = widgetStatus.extend({
  record: individualRecord.nullish(),
  result: individualRecord.nullish(),
  results: z.array(individualRecord).nullish(),
});

export const checkPersonAnswer = widgetStatus.extend({
  recordTypes: text,
  firstRecord: z
    .looseObject({
      fullname: text,
      jobtitle: text,
      company: text,
      phone: text,
      cell: text,
      email: text,
      linkedin: text,
    })
    .nullish(),
  recordLink: text,
});
export type CheckPersonAnswer = z.infer<typeof checkPersonAnswer>;

export const createdAnswer = widgetStatus.extend({
  recordId: trackerId.nullish(),
  recordName: text,
});
