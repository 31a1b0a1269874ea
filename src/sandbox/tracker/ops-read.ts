import { z } from 'zod';
import { EXTRA_SETTINGS_LISTS, type JobState, type TrackerCandidate, type TrackerContact, type TrackerUser } from './model.js';
import { boolLike, intLike, invalid, objectAt, parsePart, RAW, recordType, success, textLike, timestampLike, type WidgetOperation } from './protocol.js';
import {
  activityRecord,
  activityRow,
  candidateRecord,
  candidateRow,
  clientRow,
  contactRow,
  customFieldViews,
  type JsonObject,
  type JsonValue,
  jobRecord,
  jobRow,
  type ListRow,
  placementRow,
} from './records.js';
import type { TrackerState } from './state.js';

export const checkLogon: WidgetOperation = () => success();

export const getSettingsData: WidgetOperation = (_call, { state }) => {
  const { settings } = state;
  return success({
    namingConventions: settings.namingConventions,
    opportunityStatuses: settings.opportunityStatuses.map(({ Id, Name }) => ({ Id, Name })),
    resourceStatuses: settings.resourceStatuses,
    resourceSources: settings.resourceSources,
    taskTypes: settings.taskTypes,
    opportunityResourceStatuses: settings.opportunityResourceStatuses,
    ...Object.fromEntries(EXTRA_SETTINGS_LISTS.map((name) => [name, settings[name]])),
    customFields: settings.customFields,
    customFieldLists: settings.customFieldLists,
    users: state.users,
  });
};

/** Tracker's record types are C, N, L, O, P, T, R, X and A; the sandbox holds no leads, projects or tickets (no rows). */
const invalidRecordType = (type: string) => invalid(`Invalid record type '${type}'.`);

const getRecordsInstructions = z.object({
  recordtype: recordType,
  recordid: intLike.default(0),
  state: z.enum(['', 'open', 'closed', 'won']).default(''),
  searchtext: textLike.default(''),
  onlymyrecords: boolLike.default(false),
  numrecords: intLike.pipe(z.number().min(1, 'expected a page size of at least 1')).optional(),
  pagenum: intLike.pipe(z.number().min(0)).default(0),
  sortfield: z.string().trim().default(''),
  sortdir: z.enum(['', 'asc', 'desc']).default('asc'),
  updatedafter: timestampLike.optional(),
  updatedbefore: timestampLike.optional(),
  includecustomfields: boolLike.default(false),
});

/** Page size when numrecords is absent (assumed: `apriora help api`): Tracker documents no default. */
export const DEFAULT_PAGE_SIZE = 100;
/** At most this many rows a page (spec: "at most 100 rows a page"): a larger numrecords is capped, not refused. */
export const MAX_PAGE_SIZE = 100;

interface ListItem {
  row: ListRow;
  updatedAt: string;
  mine: (user: TrackerUser) => boolean;
  jobState?: JobState;
  customfields: () => JsonValue;
}

function listItems(state: TrackerState, type: string): ListItem[] {
  switch (type) {
    case 'O':
      return state.jobs.map((job) => ({
        row: jobRow(state, job),
        updatedAt: job.updatedAt,
        mine: (user) => job.ownerUserIds.includes(user.UserId),
        jobState: state.jobState(job),
        customfields: () => customFieldViews(state, job.customFields),
      }));
    case 'R':
      return state.candidates.map((candidate) => ({
        row: candidateRow(state, candidate),
        updatedAt: candidate.updatedAt,
        mine: () => true, // resources have no owner in the sandbox
        customfields: () => customFieldViews(state, candidate.customFields),
      }));
    case 'A':
      return state.activities.map((activity) => ({
        row: activityRow(state, activity),
        updatedAt: activity.updatedAt,
        mine: (user) => activity.userId === user.UserId,
        customfields: () => customFieldViews(state, activity.customFields),
      }));
    case 'C':
      return state.clients.map((client) => ({ row: clientRow(state, client), updatedAt: '', mine: () => true, customfields: () => [] }));
    case 'N':
      return state.contacts.map((contact) => ({ row: contactRow(state, contact), updatedAt: '', mine: () => true, customfields: () => [] }));
    case 'X':
      return state.applications
        .filter((application) => application.active && application.status === 'Placed')
        .map((application) => ({ row: placementRow(state, application), updatedAt: application.updatedAt, mine: () => true, customfields: () => [] }));
    case 'L':
    case 'P':
    case 'T':
      return [];
    default:
      throw invalidRecordType(type);
  }
}

/** Sorts on a row field or a details field, ignoring case; an unknown one fails like the SQL behind Tracker. */
function sortKey(rows: readonly ListItem[], field: string): ((item: ListItem) => JsonValue) | undefined {
  if (field === '') return undefined;
  const wanted = field.toLowerCase();
  const first = rows[0]?.row;
  if (!first) return undefined;
  const top = Object.keys(first).find((key) => key !== 'details' && key.toLowerCase() === wanted);
  if (top !== undefined) return (item) => item.row[top] ?? null;
  const nested = Object.keys(first.details).find((key) => key.toLowerCase() === wanted);
  if (nested !== undefined) return (item) => item.row.details[nested] ?? null;
  throw invalid(RAW.invalidColumn(field));
}

function compare(a: JsonValue, b: JsonValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a).toLowerCase();
  const right = String(b).toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * State filters jobs only; "closed" means every job that is not open, won ones included (assumed: `apriora help api`). updatedafter and
 * updatedbefore are strict bounds on the last-updated time. Paging is 0-based and `count` is this page's size.
 */
export const getRecords: WidgetOperation = (call, { state }) => {
  const input = parsePart(getRecordsInstructions, objectAt(call.payload, 'instructions') ?? {}, 'instructions');
  const withFields = (item: ListItem): JsonObject => (input.includecustomfields ? { ...item.row, customfields: item.customfields() } : item.row);
  let items = listItems(state, input.recordtype);

  if (input.recordid > 0) {
    const one = items.find((item) => item.row.id === input.recordid);
    return success({ results: one ? [withFields(one)] : [] }, 'success', one ? 1 : 0);
  }

  const search = input.searchtext.toLowerCase();
  items = items.filter((item) => {
    if (input.state === 'open' && item.jobState !== undefined && item.jobState !== 'open') return false;
    if (input.state === 'closed' && item.jobState !== undefined && item.jobState === 'open') return false;
    if (input.state === 'won' && item.jobState !== undefined && item.jobState !== 'won') return false;
    if (search !== '' && !item.row.name.toLowerCase().includes(search)) return false;
    if (input.onlymyrecords && !item.mine(call.user)) return false;
    if (input.updatedafter !== undefined && !(item.updatedAt > input.updatedafter)) return false;
    if (input.updatedbefore !== undefined && !(item.updatedAt < input.updatedbefore)) return false;
    return true;
  });

  const key = sortKey(items, input.sortfield);
  const direction = input.sortdir === 'desc' ? -1 : 1;
  items.sort((a, b) => (key ? compare(key(a), key(b)) * direction : 0) || a.row.id - b.row.id);

  const size = Math.min(input.numrecords ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = items.slice(input.pagenum * size, (input.pagenum + 1) * size);
  return success({ results: page.map(withFields) }, 'success', page.length);
};

const getIndividualRecordInstructions = z.object({ recordtype: recordType, recordid: intLike.pipe(z.number().positive()) });

/** Tracker's sample wraps the record in `results` (an array of one) with count 1; a missing record gives count 0. */
export const getIndividualRecord: WidgetOperation = (call, { state }) => {
  const instructions = objectAt(call.payload, 'instructions');
  if (!instructions || instructions.recordtype === undefined || instructions.recordid === undefined) {
    throw invalid('Must provide both "recordtype" and "recordid" in the instructions.');
  }
  const input = parsePart(getIndividualRecordInstructions, instructions, 'instructions');
  let record: JsonObject | undefined;
  switch (input.recordtype) {
    case 'O': {
      const job = state.job(input.recordid);
      record = job && jobRecord(state, job);
      break;
    }
    case 'R': {
      const candidate = state.candidate(input.recordid);
      record = candidate && candidateRecord(state, candidate);
      break;
    }
    case 'A': {
      const activity = state.activity(input.recordid);
      record = activity && activityRecord(state, activity);
      break;
    }
    case 'L':
    case 'P':
    case 'T':
      break; // no leads, projects or tickets in the sandbox
    default:
      // Tracker documents getIndividualRecord for L, O, P, T, A and R only.
      throw invalidRecordType(input.recordtype);
  }
  return success({ results: record ? [record] : [] }, 'success', record ? 1 : 0);
};

const checkPersonDetails = z.object({
  email: textLike.default(''),
  phone: textLike.default(''),
  linkedin: textLike.default(''),
});

const digits = (phone: string): string => phone.replace(/\D/g, '');
/** Phones match on their digits, allowing a country prefix on one side (+1 555… vs 555…). */
function samePhone(wanted: string, candidate: string): boolean {
  const a = digits(wanted);
  const b = digits(candidate);
  if (a.length < 7 || b.length < 7) return false;
  return a === b || a.endsWith(b) || b.endsWith(a);
}
const sameEmail = (wanted: string, candidate: string): boolean => wanted.trim() !== '' && wanted.trim().toLowerCase() === candidate.trim().toLowerCase();
const profile = (url: string): string =>
  url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/\/+$/, '');
const sameProfile = (wanted: string, candidate: string): boolean => profile(wanted) !== '' && profile(wanted) === profile(candidate);

interface FirstRecord extends JsonObject {
  fullname: string;
  jobtitle: string;
  company: string;
  phone: string;
  cell: string;
  email: string;
  linkedin: string;
}

/**
 * Which kinds of person have this e-mail, phone or LinkedIn profile: C(ontact), R(esource), U(ser), in that order, and the first match.
 * Like Tracker, it returns no record id (`apriora help api`). No match: recordTypes "", firstRecord null, recordLink "".
 */
export const checkPerson: WidgetOperation = (call, { state, recordLink }) => {
  const details = objectAt(call.payload, 'details');
  if (!details) throw invalid(RAW.nullReference);
  const input = parsePart(checkPersonDetails, details, 'details');
  if (input.email.trim() === '' && digits(input.phone) === '' && profile(input.linkedin) === '') {
    throw invalid('Provide details.email, details.phone or details.linkedin.');
  }

  const matchesPerson = (email: string, phones: readonly string[], linkedin: string): boolean =>
    sameEmail(input.email, email) || phones.some((phone) => samePhone(input.phone, phone)) || sameProfile(input.linkedin, linkedin);
  const contacts = state.contacts.filter((c: TrackerContact) => matchesPerson(c.email, [c.phone, c.cellphone], c.linkedin));
  const candidates = state.candidates.filter((c: TrackerCandidate) => matchesPerson(c.email, [c.cellphone, c.workphone, c.homephone], c.linkedin));
  const users = state.users.filter((u) => sameEmail(input.email, u.Email));

  const types = `${contacts.length ? 'C' : ''}${candidates.length ? 'R' : ''}${users.length ? 'U' : ''}`;
  let firstRecord: FirstRecord | null = null;
  const [contact] = contacts;
  const [candidate] = candidates;
  const [user] = users;
  if (contact) {
    firstRecord = {
      fullname: `${contact.firstname} ${contact.lastname}`.trim(),
      jobtitle: contact.jobtitle,
      company: state.client(contact.clientId)?.name ?? '',
      phone: contact.phone,
      cell: contact.cellphone,
      email: contact.email,
      linkedin: contact.linkedin,
    };
  } else if (candidate) {
    firstRecord = {
      fullname: candidate.fullname,
      jobtitle: candidate.jobtitle,
      company: candidate.company,
      phone: candidate.workphone || candidate.homephone,
      cell: candidate.cellphone,
      email: candidate.email,
      linkedin: candidate.linkedin,
    };
  } else if (user) {
    firstRecord = { fullname: user.Username, jobtitle: '', company: '', phone: '', cell: '', email: user.Email, linkedin: '' };
  }
  return success({ recordLink: firstRecord ? recordLink : '', recordTypes: types, firstRecord });
};
