import type { CustomFieldValue, TrackerActivity, TrackerApplication, TrackerCandidate, TrackerClient, TrackerContact, TrackerJob } from './model.js';
import type { TrackerState } from './state.js';
import { parseTime12h } from './time.js';

/**
 * How Tracker's Widget API shows the sandbox's records: list rows for getRecords and full records for
 * getIndividualRecord, with Tracker's (lower-case, sometimes PascalCase) field names.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CustomFieldView extends JsonObject {
  id: number;
  name: string;
  value: string;
}

export interface ListRow extends JsonObject {
  id: number;
  name: string;
  company: string;
  status: string;
  dateopened: string;
  details: JsonObject;
}

export function customFieldViews(state: TrackerState, values: readonly CustomFieldValue[]): CustomFieldView[] {
  return values.map((value) => ({ id: value.id, name: state.customField(value.id)?.Name ?? '', value: value.value }));
}

const fullName = (person: { firstname: string; lastname: string } | undefined): string => (person ? `${person.firstname} ${person.lastname}`.trim() : '');

const money = (amount: number | null): string => `$${(amount ?? 0).toFixed(2)}`;

function activityLinks(activity: TrackerActivity): { resourceid: number | null; opportunityid: number | null } {
  return {
    resourceid: activity.linkRecordType === 'R' ? activity.linkRecordId : null,
    opportunityid: activity.linkRecordType === 'O' ? activity.linkRecordId : null,
  };
}

const activityStart = (activity: TrackerActivity): string => `${activity.date} ${parseTime12h(activity.time) ?? '00:00:00'}`;

/** The users who own a job, as Tracker lists them (`Owners`). */
function jobOwners(state: TrackerState, job: TrackerJob): JsonObject[] {
  return job.ownerUserIds.flatMap((userId) => {
    const user = state.user(userId);
    return user ? [{ UserId: user.UserId, Username: user.Username, Email: user.Email }] : [];
  });
}

const shortlistedCount = (state: TrackerState, job: TrackerJob): number =>
  state.applicationsForJob(job.id).filter((a) => a.active && a.list === 'short').length;

export function jobRow(state: TrackerState, job: TrackerJob): ListRow {
  const client = state.client(job.clientId);
  const contact = state.contact(job.contactId);
  const owner = job.ownerUserIds[0] === undefined ? undefined : state.user(job.ownerUserIds[0]);
  return {
    id: job.id,
    name: `${job.reference} ${job.title}`,
    company: client?.name ?? '',
    status: job.status,
    dateopened: job.dateOpened,
    details: {
      opportunityid: job.id,
      reference: job.reference,
      jobtitle: job.title,
      clientid: job.clientId,
      clientname: client?.name ?? '',
      contactid: job.contactId,
      contactname: fullName(contact),
      status: job.status,
      type: job.type,
      /** HTML, as Tracker stores it. */
      description: job.description,
      location: job.location,
      city: job.city,
      state: job.state,
      country: job.country,
      salarypayrate: job.salaryPayRate,
      feebillrate: job.feeBillRate,
      startdate: job.startDate,
      enddate: job.endDate,
      owner: owner?.Username ?? '',
      /** Tracker's job value (the fee), null when none was entered. */
      values: job.feeBillRate,
      shortlisted: shortlistedCount(state, job),
      Owners: jobOwners(state, job),
      datecreated: job.createdAt,
      lastupdateddatetime: job.updatedAt,
    },
  };
}

export function candidateRow(_state: TrackerState, candidate: TrackerCandidate): ListRow {
  return {
    id: candidate.id,
    name: candidate.fullname,
    company: candidate.company,
    status: candidate.status,
    dateopened: candidate.createdAt.slice(0, 10),
    details: {
      resourceid: candidate.id,
      firstname: candidate.firstname,
      lastname: candidate.lastname,
      fullname: candidate.fullname,
      email: candidate.email,
      cellphone: candidate.cellphone,
      workphone: candidate.workphone,
      homephone: candidate.homephone,
      jobtitle: candidate.jobtitle,
      company: candidate.company,
      city: candidate.city,
      state: candidate.state,
      country: candidate.country,
      linkedin: candidate.linkedin,
      source: candidate.source,
      status: candidate.status,
      datecreated: candidate.createdAt,
      lastupdateddatetime: candidate.updatedAt,
    },
  };
}

export function activityRow(state: TrackerState, activity: TrackerActivity): ListRow {
  return {
    id: activity.id,
    name: activity.subject,
    company: '',
    status: activity.status,
    dateopened: activity.date,
    details: {
      activityid: activity.id,
      activityTypeId: state.settings.taskTypes.find((type) => type.Name === activity.type)?.Id ?? null,
      ActivityTypeName: activity.type,
      subject: activity.subject,
      ...activityLinks(activity),
      startdate: activityStart(activity),
      datedue: activity.date,
      timedue: activity.time,
      lastupdateddatetime: activity.updatedAt,
      note: activity.note,
      taskstatus: activity.status,
      priority: activity.priority,
      contacttype: activity.contactType,
      userid: activity.userId,
      linkrecordtype: activity.linkRecordType,
      linkrecordid: activity.linkRecordId,
      datecreated: activity.createdAt,
    },
  };
}

/** A job as getIndividualRecord shows it (field list from Tracker's sample answer). */
export function jobRecord(state: TrackerState, job: TrackerJob): JsonObject {
  const client = state.client(job.clientId);
  const contact = state.contact(job.contactId);
  const applications = state.applicationsForJob(job.id).filter((a) => a.active);
  const shortlisted = shortlistedCount(state, job);
  return {
    id: job.id,
    name: job.title,
    clientid: job.clientId,
    clientname: client?.name ?? '',
    contactid: job.contactId,
    contactname: fullName(contact),
    status: job.status,
    type: job.type,
    values: null,
    shortlisted,
    description: job.description,
    executivesummary: [
      { recordName: 'Status', recordValue: job.status },
      { recordName: 'Type', recordValue: job.type },
      { recordName: 'Value', recordValue: money(job.feeBillRate) },
      { recordName: 'Shortlisted', recordValue: String(shortlisted) },
    ],
    nameinitials: job.title.slice(0, 1).toUpperCase(),
    subject: `${job.reference} ${job.title}`,
    lastupdated: job.updatedAt,
    Owners: jobOwners(state, job),
    salarypayrate: job.salaryPayRate,
    feebillrate: job.feeBillRate,
    location: job.location,
    city: job.city,
    state: job.state,
    country: job.country,
    awarddate: null,
    startdate: job.startDate,
    enddate: job.endDate,
    invoicestartdate: null,
    dateopened: job.dateOpened,
    Placements: applications
      .filter((a) => a.status === 'Placed')
      .map((a) => ({ PlacementId: a.id, CandidateId: a.resourceId, CandidateName: state.candidate(a.resourceId)?.fullname ?? '' })),
    customfields: customFieldViews(state, job.customFields),
  };
}

export function candidateRecord(state: TrackerState, candidate: TrackerCandidate): JsonObject {
  return {
    id: candidate.id,
    name: candidate.fullname,
    firstname: candidate.firstname,
    lastname: candidate.lastname,
    fullname: candidate.fullname,
    preferredname: candidate.preferredname,
    email: candidate.email,
    email2: candidate.email2,
    cellphone: candidate.cellphone,
    workphone: candidate.workphone,
    homephone: candidate.homephone,
    jobtitle: candidate.jobtitle,
    company: candidate.company,
    availability: candidate.availability,
    address1: candidate.address1,
    address2: candidate.address2,
    city: candidate.city,
    state: candidate.state,
    zipcode: candidate.zipcode,
    country: candidate.country,
    linkedin: candidate.linkedin,
    source: candidate.source,
    status: candidate.status,
    note: candidate.note,
    datecreated: candidate.createdAt,
    lastupdated: candidate.updatedAt,
    Opportunities: state.applications
      .filter((a) => a.resourceId === candidate.id)
      .map((a) => ({ OpportunityId: a.opportunityId, List: a.list, Status: a.status })),
    customfields: customFieldViews(state, candidate.customFields),
  };
}

export function activityRecord(state: TrackerState, activity: TrackerActivity): JsonObject {
  return {
    id: activity.id,
    activityid: activity.id,
    name: activity.subject,
    subject: activity.subject,
    ActivityTypeName: activity.type,
    date: activity.date,
    time: activity.time,
    startdate: activityStart(activity),
    taskstatus: activity.status,
    priority: activity.priority,
    contacttype: activity.contactType,
    note: activity.note,
    userid: activity.userId,
    linkrecordtype: activity.linkRecordType,
    linkrecordid: activity.linkRecordId,
    ...activityLinks(activity),
    datecreated: activity.createdAt,
    lastupdateddatetime: activity.updatedAt,
    customfields: customFieldViews(state, activity.customFields),
  };
}

export function clientRow(state: TrackerState, client: TrackerClient): ListRow {
  return {
    id: client.id,
    name: client.name,
    company: client.name,
    status: 'Active',
    dateopened: '',
    details: {
      clientid: client.id,
      name: client.name,
      city: client.city,
      state: client.state,
      country: client.country,
      contacts: state.contacts.filter((contact) => contact.clientId === client.id).length,
    },
  };
}

export function contactRow(state: TrackerState, contact: TrackerContact): ListRow {
  const client = state.client(contact.clientId);
  return {
    id: contact.id,
    name: fullName(contact),
    company: client?.name ?? '',
    status: 'Active',
    dateopened: '',
    details: {
      contactid: contact.id,
      firstname: contact.firstname,
      lastname: contact.lastname,
      jobtitle: contact.jobtitle,
      email: contact.email,
      phone: contact.phone,
      cellphone: contact.cellphone,
      linkedin: contact.linkedin,
      clientid: contact.clientId,
      clientname: client?.name ?? '',
    },
  };
}

/** A placement (X): an applicant row at the Placed status; Tracker lists Working/Offer/Complete ones. */
export function placementRow(state: TrackerState, application: TrackerApplication): ListRow {
  const job = state.job(application.opportunityId);
  const candidate = state.candidate(application.resourceId);
  return {
    id: application.id,
    name: `${candidate?.fullname ?? ''} - ${job?.title ?? ''}`,
    company: state.client(job?.clientId ?? null)?.name ?? '',
    status: 'Working',
    dateopened: application.createdAt.slice(0, 10),
    details: {
      placementid: application.id,
      opportunityid: application.opportunityId,
      resourceid: application.resourceId,
      startdate: job?.startDate ?? null,
      enddate: job?.endDate ?? null,
      datecreated: application.createdAt,
      lastupdateddatetime: application.updatedAt,
    },
  };
}
