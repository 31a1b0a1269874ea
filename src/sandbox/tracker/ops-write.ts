import { z } from 'zod';
import {
  ASSOCIATIONS,
  type CustomFieldsForm,
  type CustomFieldValue,
  LINK_RECORD_TYPES,
  type LinkRecordType,
  type TrackerActivity,
  type TrackerCandidate,
  type TrackerJob,
} from './model.js';
import {
  boolLike,
  checkCustomFields,
  customFieldInput,
  intLike,
  invalid,
  isPlainObject,
  listName,
  objectAt,
  parsePart,
  RAW,
  recordType,
  shortlistedBy,
  success,
  textLike,
  WidgetFailure,
  type WidgetOperation,
  WidgetStatus,
} from './protocol.js';
import { mergeCustomFields, type TrackerState } from './state.js';
import { formatTime12h, isDate, parseTime12h } from './time.js';

type ListChoice = 'short' | 'long';
type ShortlistedBy = 'user' | 'resource';

/**
 * Puts a candidate on a job's list: an applicant row (Applied on the long list, Shortlisted on the short one). A
 * candidate already on the short list, or asked onto the list they are on, is "record exists" (3); long → short
 * promotes them; a withdrawn (inactive) row is made active again with the new list's status.
 */
function placeOnList(
  state: TrackerState,
  job: TrackerJob,
  candidate: TrackerCandidate,
  list: ListChoice,
  by: ShortlistedBy | undefined,
  source: string,
): 'created' | 'updated' | 'exists' {
  const existing = state.application(job.id, candidate.id);
  const status = list === 'short' ? 'Shortlisted' : 'Applied';
  if (!existing) {
    state.addApplication({
      opportunityId: job.id,
      resourceId: candidate.id,
      list,
      status,
      shortlistedBy: list === 'short' ? (by ?? 'user') : null,
      source,
    });
    return 'created';
  }
  if (!existing.active) {
    Object.assign(existing, { active: true, list, status, shortlistedBy: list === 'short' ? (by ?? 'user') : null });
    state.touch(existing);
    return 'updated';
  }
  if (existing.list === 'long' && list === 'short') {
    existing.list = 'short';
    existing.status = status;
    existing.shortlistedBy = by ?? 'user';
    state.touch(existing);
    return 'updated';
  }
  return 'exists';
}

const recordExists = (extra: Record<string, unknown> = {}): WidgetFailure =>
  new WidgetFailure(WidgetStatus.RecordExists, 'Record found and cannot be overwritten.', extra);

const createResourceInstructions = z.object({
  overwriteresource: boolLike.default(false),
  assigntoopportunity: intLike.default(0),
  assigntolist: listName.optional(),
  shortlistedby: shortlistedBy.optional(),
});

const text = textLike.default('');
const resourceInput = z.object({
  firstname: text,
  lastname: text,
  fullname: text,
  email: text,
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
  status: text,
  customfields: z.array(customFieldInput).default([]),
});
type ResourceInput = z.output<typeof resourceInput>;

function splitName(input: ResourceInput): { firstname: string; lastname: string; fullname: string } {
  const fullname = input.fullname.trim() || `${input.firstname} ${input.lastname}`.trim();
  if (fullname === '') throw invalid('A resource needs a firstname/lastname or a fullname.');
  const space = fullname.lastIndexOf(' ');
  return {
    firstname: input.firstname.trim() || (space > 0 ? fullname.slice(0, space) : fullname),
    lastname: input.lastname.trim() || (space > 0 ? fullname.slice(space + 1) : ''),
    fullname,
  };
}

const PLAIN_RESOURCE_FIELDS = [
  'email',
  'cellphone',
  'workphone',
  'homephone',
  'jobtitle',
  'company',
  'address1',
  'address2',
  'city',
  'state',
  'zipcode',
  'country',
  'linkedin',
  'source',
  'note',
  'status',
] as const;

/**
 * Creates a candidate, de-duplicated on e-mail: an existing e-mail without overwriteresource answers status 3 with
 * recordId 0; with it, the non-empty fields given overwrite the record. assigntoopportunity also lists the candidate.
 */
export const createResource: WidgetOperation = (call, { state }) => {
  const instructions = parsePart(createResourceInstructions, objectAt(call.payload, 'instructions') ?? {}, 'instructions');
  const resource = objectAt(call.payload, 'resource');
  if (!resource) throw invalid(RAW.nullReference);
  const input = parsePart(resourceInput, resource, 'resource');
  const names = splitName(input);
  if (input.status.trim() !== '' && !state.settings.resourceStatuses.some((status) => status.Name === input.status.trim())) {
    throw invalid(`Resource status '${input.status}' does not exist.`);
  }
  const customFields = checkCustomFields(state, input.customfields, ASSOCIATIONS.R);
  let job: TrackerJob | undefined;
  if (instructions.assigntoopportunity > 0) {
    job = state.job(instructions.assigntoopportunity);
    if (!job) throw invalid(`Opportunity ${instructions.assigntoopportunity} was not found.`);
  }

  const existing = state.candidateByEmail(input.email);
  let candidate: TrackerCandidate;
  let message: 'created' | 'updated';
  if (existing && !instructions.overwriteresource) {
    throw recordExists({ recordId: 0, recordName: '' });
  } else if (existing) {
    candidate = existing;
    if (input.firstname.trim() || input.lastname.trim() || input.fullname.trim()) Object.assign(candidate, names);
    for (const field of PLAIN_RESOURCE_FIELDS) {
      if (input[field].trim() !== '') candidate[field] = input[field];
    }
    mergeCustomFields(candidate.customFields, customFields);
    state.touch(candidate);
    message = 'updated';
  } else {
    candidate = state.addCandidate({
      ...names,
      ...Object.fromEntries(PLAIN_RESOURCE_FIELDS.map((field) => [field, input[field]])),
      status: input.status.trim() || (state.settings.resourceStatuses[0]?.Name ?? 'Active'),
      customFields,
    });
    message = 'created';
  }

  if (job) {
    placeOnList(state, job, candidate, instructions.assigntolist ?? 'long', instructions.shortlistedby, candidate.source);
  }
  return success({ recordId: candidate.id, recordName: candidate.fullname }, message);
};

const resourceApplicationInstructions = z.object({
  opportunityid: intLike,
  resourceid: intLike,
  assigntolist: listName.default('long'),
  shortlistedby: shortlistedBy.optional(),
  source: textLike.default(''),
});

export const resourceApplication: WidgetOperation = (call, { state }) => {
  const instructions = objectAt(call.payload, 'instructions');
  if (!instructions) throw invalid(RAW.nullReference);
  const input = parsePart(resourceApplicationInstructions, instructions, 'instructions');
  const job = state.job(input.opportunityid);
  if (!job) throw invalid(`Opportunity ${input.opportunityid} was not found.`);
  const candidate = state.candidate(input.resourceid);
  if (!candidate) throw invalid(`Resource ${input.resourceid} was not found.`);
  // Any row of this candidate on this job, on either list, active or withdrawn, is the record that exists.
  if (state.application(job.id, candidate.id)) throw recordExists();
  placeOnList(state, job, candidate, input.assigntolist, input.shortlistedby, input.source);
  return success({}, 'created');
};

/** Validates a column's value up front and returns how to apply it, so that an update is all or nothing. */
type Column<T> = (value: string, state: TrackerState) => (record: T) => void;

const textColumn =
  <T, K extends keyof T>(key: K): Column<T> =>
  (value) =>
  (record) => {
    (record as Record<K, string>)[key] = value;
  };

const dateColumn =
  <T, K extends keyof T>(key: K): Column<T> =>
  (value) => {
    if (value !== '' && !isDate(value)) throw invalid(RAW.badDate);
    return (record) => {
      (record as Record<K, string | null>)[key] = value === '' ? null : value;
    };
  };

const numberColumn =
  <T, K extends keyof T>(key: K): Column<T> =>
  (value) => {
    const parsed = value.trim() === '' ? null : Number(value);
    if (parsed !== null && !Number.isFinite(parsed)) throw invalid(`Error converting value "${value}" to type 'System.Decimal'.`);
    return (record) => {
      (record as Record<K, number | null>)[key] = parsed;
    };
  };

const idColumn =
  <T>(pick: (state: TrackerState) => readonly { Id: number; Name: string }[], apply: (record: T, name: string) => void): Column<T> =>
  (value, state) => {
    if (!/^\s*\d+\s*$/.test(value)) throw invalid(`Conversion failed when converting the nvarchar value '${value}' to data type int.`);
    const entry = pick(state).find((item) => item.Id === Number(value));
    if (!entry) throw invalid(`The id ${value} does not exist.`);
    return (record) => apply(record, entry.Name);
  };

/**
 * updateRecord's columns are Tracker's database column names (spec §3), not createResource's field names: `surname`,
 * not `lastname`; `mobilephone`, not `cellphone`; `town`, `county`, `postcode`, not `city`, `state`, `zipcode`.
 */
const CANDIDATE_COLUMNS: Record<string, Column<TrackerCandidate>> = {
  firstname: textColumn('firstname'),
  surname: textColumn('lastname'),
  preferredname: textColumn('preferredname'),
  email: textColumn('email'),
  email2: textColumn('email2'),
  mobilephone: textColumn('cellphone'),
  homephone: textColumn('homephone'),
  workphone: textColumn('workphone'),
  jobtitle: textColumn('jobtitle'),
  town: textColumn('city'),
  county: textColumn('state'),
  postcode: textColumn('zipcode'),
  country: textColumn('country'),
  linkedin: textColumn('linkedin'),
  source: textColumn('source'),
  note: textColumn('note'),
  availability: textColumn('availability'),
  resourcestatusid: idColumn(
    (state) => state.settings.resourceStatuses,
    (record, name) => {
      record.status = name;
    },
  ),
};

const JOB_COLUMNS: Record<string, Column<TrackerJob>> = {
  opportunityname: textColumn('title'),
  description: textColumn('description'),
  location: textColumn('location'),
  city: textColumn('city'),
  state: textColumn('state'),
  salarypayrate: numberColumn('salaryPayRate'),
  feebillrate: numberColumn('feeBillRate'),
  startdate: dateColumn('startDate'),
  enddate: dateColumn('endDate'),
  opportunitystatusid: idColumn(
    (state) => state.settings.opportunityStatuses,
    (record, name) => {
      record.status = name;
    },
  ),
};

/** An activity's `startdate` is a date ("YYYY-MM-DD"), `starttime` a 12-hour time ("hh:mm AM"), as createActivity takes them. */
const ACTIVITY_COLUMNS: Record<string, Column<TrackerActivity>> = {
  subject: textColumn('subject'),
  note: textColumn('note'),
  taskstatus: textColumn('status'),
  priority: textColumn('priority'),
  contacttype: textColumn('contactType'),
  startdate: (value) => {
    if (!isDate(value.trim())) throw invalid(RAW.badDate);
    return (record) => {
      record.date = value.trim();
    };
  },
  starttime: (value) => {
    if (parseTime12h(value) === undefined) throw invalid(RAW.badDate);
    return (record) => {
      record.time = value.trim();
    };
  },
  activitytype: (value, state) => {
    const type = exactTaskType(state, value);
    return (record) => {
      record.type = type;
    };
  },
};

/** An activity type is named exactly as getSettingsData's taskTypes spell it: "call" is not "Call". */
function exactTaskType(state: TrackerState, name: string): string {
  if (name.trim() === '') throw invalid('Activity type is required.');
  const type = state.settings.taskTypes.find((entry) => entry.Name === name.trim());
  if (!type) throw invalid(`Activity type '${name}' does not exist.`);
  return type.Name;
}

const updateRecordBody = z.object({
  updates: z
    .array(
      z.object({
        column: z.string().trim().min(1),
        value: z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? '' : String(value))),
      }),
    )
    .default([]),
  customfields: z.array(customFieldInput).default([]),
});
const updateRecordInstructions = z.object({ recordtype: recordType, recordid: intLike.pipe(z.number().positive()) });

interface Updatable {
  updatedAt: string;
  customFields: CustomFieldValue[];
}

/** Columns are Tracker's (case-insensitive); id-typed ones (resourcestatusid, …) take integer ids from settings. */
export const updateRecord: WidgetOperation = (call, { state }) => {
  const instructions = objectAt(call.payload, 'instructions');
  if (!instructions) throw invalid(RAW.nullReference);
  const target = parsePart(updateRecordInstructions, instructions, 'instructions');
  const body = parsePart(updateRecordBody, { updates: call.payload.updates, customfields: call.payload.customfields }, 'updateRecord');

  const prepare = <T extends Updatable>(record: T | undefined, columns: Record<string, Column<T>>, association: string) => {
    if (!record) throw invalid(`Record ${target.recordtype} ${target.recordid} was not found.`);
    const steps = body.updates.map(({ column, value }) => {
      const setter = columns[column.toLowerCase()];
      if (!setter) throw invalid(RAW.invalidColumn(column));
      return setter(value, state);
    });
    const customFields = checkCustomFields(state, body.customfields, association);
    return () => {
      for (const step of steps) step(record);
      mergeCustomFields(record.customFields, customFields);
      state.touch(record);
    };
  };

  let apply: () => void;
  switch (target.recordtype) {
    case 'R': {
      const candidate = state.candidate(target.recordid);
      const renames = body.updates.some(({ column }) => /^(firstname|surname)$/i.test(column));
      const applyColumns = prepare(candidate, CANDIDATE_COLUMNS, ASSOCIATIONS.R);
      apply = () => {
        applyColumns();
        if (candidate && renames) candidate.fullname = `${candidate.firstname} ${candidate.lastname}`.trim();
      };
      break;
    }
    case 'O':
      apply = prepare(state.job(target.recordid), JOB_COLUMNS, ASSOCIATIONS.O);
      break;
    case 'A':
      apply = prepare(state.activity(target.recordid), ACTIVITY_COLUMNS, ASSOCIATIONS.A);
      break;
    default:
      // The sandbox updates candidates, jobs and activities; other types are refused rather than silently ignored.
      throw invalid(`Invalid record type '${target.recordtype}' for updateRecord.`);
  }
  apply();
  return success({}, 'updated');
};

const activityInput = z.object({
  subject: text,
  type: text,
  date: text,
  time: text,
  status: text,
  priority: text,
  contactType: text,
  note: text,
  userId: intLike.optional(),
  linkRecordType: z.string().optional(),
  linkRecordId: intLike.optional(),
  customfields: z.array(customFieldInput).optional(),
});
const besideFields = z.array(customFieldInput).optional();

function linkExists(state: TrackerState, type: LinkRecordType, id: number): boolean {
  switch (type) {
    case 'O':
      return state.job(id) !== undefined;
    case 'R':
      return state.candidate(id) !== undefined;
    case 'C':
      return state.client(id) !== undefined;
    case 'N':
      return state.contact(id) !== undefined;
    default:
      return false; // the sandbox holds no leads, projects or tickets
  }
}

const isLinkRecordType = (value: string): value is LinkRecordType => (LINK_RECORD_TYPES as readonly string[]).includes(value);

/**
 * Tracker's sample puts `customfields` beside `activity`, a public SDK inside it: both are accepted and the form
 * used is kept on the activity (customFieldsForm) so that tests can assert which one the client sent. The answer
 * carries no activity id, as in Tracker.
 */
export const createActivity: WidgetOperation = (call, { state }) => {
  const activity = call.payload.activity;
  if (!isPlainObject(activity)) throw invalid(RAW.nullReference);
  const input = parsePart(activityInput, activity, 'activity');
  const beside = parsePart(besideFields, call.payload.customfields ?? undefined, 'customfields');

  const type = exactTaskType(state, input.type);
  const date = input.date.trim() === '' ? state.now().slice(0, 10) : input.date.trim();
  if (!isDate(date)) throw invalid(RAW.badDate);
  const time = input.time.trim() === '' ? formatTime12h(state.currentDate()) : input.time.trim();
  if (parseTime12h(time) === undefined) throw invalid(RAW.badDate);
  const userId = input.userId ?? call.user.UserId;
  if (!state.user(userId)) throw invalid(`User ${userId} was not found.`);

  // One link target per call, and it must exist: an activity without one, or pointing nowhere, is refused.
  const linkRecordType = input.linkRecordType ?? '';
  if (linkRecordType === '') throw invalid('linkRecordType is required.');
  if (!isLinkRecordType(linkRecordType)) throw invalid(`Invalid linkRecordType '${linkRecordType}'.`);
  const linkRecordId = input.linkRecordId ?? 0;
  if (linkRecordId <= 0) throw invalid('linkRecordId is required with linkRecordType.');
  if (!linkExists(state, linkRecordType, linkRecordId)) throw invalid(`Record ${linkRecordType} ${linkRecordId} was not found.`);

  const inside = input.customfields;
  const form: CustomFieldsForm = beside && inside ? 'both' : beside ? 'beside' : inside ? 'inside' : 'none';
  const customFields = checkCustomFields(state, inside ?? [], ASSOCIATIONS.A);
  mergeCustomFields(customFields, checkCustomFields(state, beside ?? [], ASSOCIATIONS.A));

  state.addActivity({
    type,
    subject: input.subject,
    date,
    time,
    status: input.status.trim() || 'Not Started',
    priority: input.priority.trim() || 'Medium',
    contactType: input.contactType,
    note: input.note,
    userId,
    linkRecordType,
    linkRecordId,
    customFields,
    customFieldsForm: form,
  });
  return success({}, 'created');
};
