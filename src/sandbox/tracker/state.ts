import type { z } from 'zod';
import {
  activitySchema,
  applicationSchema,
  type CustomField,
  type CustomFieldValue,
  candidateSchema,
  type JobState,
  jobSchema,
  type TrackerActivity,
  type TrackerApplication,
  type TrackerCandidate,
  type TrackerClient,
  type TrackerContact,
  type TrackerJob,
  type TrackerSettings,
  type TrackerUser,
} from './model.js';
import { DEFAULT_REST_TOKEN_TTL_SECONDS, RestAuth } from './rest-auth.js';
import { type OpportunityResourceRow, opportunityResourceRow, rowLookups } from './rest-rows.js';
import type { TrackerSeed } from './seed-schema.js';
import { formatTimestamp, type TrackerTimestamp } from './time.js';

type Fresh<S extends z.ZodType> = Omit<z.input<S>, 'id' | 'createdAt' | 'updatedAt'>;
type Collection = 'jobs' | 'candidates' | 'applications' | 'activities';

/** New ids never go below these, so that sandbox ids look like Tracker's and never collide across resets. */
const ID_FLOORS: Readonly<Record<Collection, number>> = { jobs: 3101, candidates: 5001, applications: 7001, activities: 9001 };

const sameText = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const capitalized = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** A new application, as a candidate applying on the customer's careers site would make it. */
export interface NewApplicant {
  jobId: number;
  /** Reuses the candidate with this e-mail (ignoring case); absent = a new candidate without an e-mail. */
  email?: string;
  firstName?: string;
  lastName?: string;
  /** Stored as the new candidate's cellphone, exactly as typed. */
  phone?: string;
  /** A name from settings.opportunityResourceStatuses (ignoring case); default "Applied". */
  status?: string;
  /** Default "Website". */
  source?: string;
  /** Default true; false makes a withdrawn row (activeRecord "n"). */
  active?: boolean;
}

export interface AddedApplicant {
  application: TrackerApplication;
  candidate: TrackerCandidate;
  candidateCreated: boolean;
}

/** A refused admin change: the HTTP status and code the admin API answers with. */
export class TrackerAdminFailure extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TrackerAdminFailure';
  }
}

export interface TrackerStateOptions {
  /** Lifetime of the JWTs REST v1's token exchange hands out (default DEFAULT_REST_TOKEN_TTL_SECONDS). */
  restTokenTtlSeconds?: number;
}

/**
 * The in-memory Tracker database. Records are plain objects (the seed's shape) so that the state can be dumped and
 * loaded again; the Widget API's views of them live in records.ts. Ids are numeric and only grow.
 */
export class TrackerState {
  settings!: TrackerSettings;
  users!: TrackerUser[];
  clients!: TrackerClient[];
  contacts!: TrackerContact[];
  jobs!: TrackerJob[];
  candidates!: TrackerCandidate[];
  applications!: TrackerApplication[];
  activities!: TrackerActivity[];
  private nextIds: Record<Collection, number> = { ...ID_FLOORS };
  /** REST v1's token exchange: the live JWT, its lifetime, the count of exchanges. */
  readonly restAuth: RestAuth;

  constructor(
    seed: TrackerSeed,
    private readonly clock: () => Date = () => new Date(),
    options: TrackerStateOptions = {},
  ) {
    this.restAuth = new RestAuth(options.restTokenTtlSeconds ?? DEFAULT_REST_TOKEN_TTL_SECONDS, clock);
    this.reset(seed);
  }

  /** Token exchanges answered since the start or the last reset (REST v1). */
  get tokenExchanges(): number {
    return this.restAuth.exchanges;
  }

  /**
   * Replaces the whole database in place (references to this object stay valid). REST v1's JWTs are forgotten, the
   * exchange count zeroed and the JWT lifetime restored.
   */
  reset(seed: TrackerSeed): void {
    this.restAuth.reset();
    const copy = structuredClone(seed);
    this.settings = copy.settings;
    this.users = copy.users;
    this.clients = copy.clients;
    this.contacts = copy.contacts;
    this.jobs = copy.jobs;
    this.candidates = copy.candidates;
    this.applications = copy.applications;
    this.activities = copy.activities;
    for (const collection of Object.keys(ID_FLOORS) as Collection[]) {
      const highest = Math.max(0, ...this[collection].map((record) => record.id));
      this.nextIds[collection] = Math.max(this.nextIds[collection], ID_FLOORS[collection], highest + 1);
    }
  }

  /** A deep copy in the seed format: `loadTrackerSeed(state.snapshot())` gives the same database. */
  snapshot(): TrackerSeed {
    return structuredClone({
      settings: this.settings,
      users: this.users,
      clients: this.clients,
      contacts: this.contacts,
      jobs: this.jobs,
      candidates: this.candidates,
      applications: this.applications,
      activities: this.activities,
    });
  }

  now(): TrackerTimestamp {
    return formatTimestamp(this.clock());
  }

  currentDate(): Date {
    return this.clock();
  }

  touch(record: { updatedAt: TrackerTimestamp }): void {
    record.updatedAt = this.now();
  }

  /** Adds the sandbox API user when a sandbox runs with credentials that the seed does not know. */
  ensureUser(email: string, displayName = 'Sandbox API User'): TrackerUser {
    const existing = this.userByEmail(email);
    if (existing) return existing;
    const user: TrackerUser = {
      UserId: Math.max(0, ...this.users.map((u) => u.UserId)) + 1,
      Username: displayName,
      Email: email,
      LastLogon: null,
      Active: true,
    };
    this.users.unshift(user);
    return user;
  }

  user(id: number): TrackerUser | undefined {
    return this.users.find((u) => u.UserId === id);
  }
  userByEmail(email: string): TrackerUser | undefined {
    return this.users.find((u) => sameText(u.Email, email));
  }
  client(id: number | null): TrackerClient | undefined {
    return id === null ? undefined : this.clients.find((c) => c.id === id);
  }
  contact(id: number | null): TrackerContact | undefined {
    return id === null ? undefined : this.contacts.find((c) => c.id === id);
  }
  job(id: number): TrackerJob | undefined {
    return this.jobs.find((j) => j.id === id);
  }
  candidate(id: number): TrackerCandidate | undefined {
    return this.candidates.find((c) => c.id === id);
  }
  activity(id: number): TrackerActivity | undefined {
    return this.activities.find((a) => a.id === id);
  }
  application(opportunityId: number, resourceId: number): TrackerApplication | undefined {
    return this.applications.find((a) => a.opportunityId === opportunityId && a.resourceId === resourceId);
  }
  applicationsForJob(opportunityId: number): TrackerApplication[] {
    return this.applications.filter((a) => a.opportunityId === opportunityId);
  }
  /**
   * Applicant rows as REST v1 shows them (OpportunityResource), in ascending opportunityResourceId: every row
   * (active or not) of every job, or of one job. What a client's applicant listing must match.
   */
  applicantRows(jobId?: number): OpportunityResourceRow[] {
    const lookups = rowLookups(this);
    return this.applications
      .filter((a) => jobId === undefined || a.opportunityId === jobId)
      .sort((a, b) => a.id - b.id)
      .map((a) => opportunityResourceRow(a, lookups));
  }
  /** An applicant pipeline status by name, ignoring case. */
  applicantStatus(name: string): { Id: number; Name: string } | undefined {
    return this.settings.opportunityResourceStatuses.find((s) => sameText(s.Name, name));
  }
  candidateByEmail(email: string): TrackerCandidate | undefined {
    return email.trim() === '' ? undefined : this.candidates.find((c) => sameText(c.email, email));
  }
  customField(id: number): CustomField | undefined {
    return this.settings.customFields.find((f) => f.Id === id);
  }
  /** Tracker Support deletes a custom field (the Widget API cannot): getSettingsData no longer lists it. */
  removeCustomField(id: number): CustomField {
    const field = this.customField(id);
    if (!field) throw new TrackerAdminFailure(404, 'not_found', `No custom field ${id}`);
    this.settings.customFields = this.settings.customFields.filter((f) => f.Id !== id);
    return field;
  }
  jobState(job: TrackerJob): JobState {
    return this.settings.opportunityStatuses.find((s) => s.Name === job.status)?.State ?? 'open';
  }

  addJob(input: Fresh<typeof jobSchema>): TrackerJob {
    const job = jobSchema.parse({ dateOpened: this.now().slice(0, 10), ...input, ...this.stamp('jobs') });
    this.jobs.push(job);
    return job;
  }
  addCandidate(input: Fresh<typeof candidateSchema>): TrackerCandidate {
    const candidate = candidateSchema.parse({ ...input, ...this.stamp('candidates') });
    this.candidates.push(candidate);
    return candidate;
  }
  addApplication(input: Fresh<typeof applicationSchema>): TrackerApplication {
    const application = applicationSchema.parse({ ...input, ...this.stamp('applications') });
    this.applications.push(application);
    return application;
  }
  addActivity(input: Fresh<typeof activitySchema>): TrackerActivity {
    const activity = activitySchema.parse({ ...input, ...this.stamp('activities') });
    this.activities.push(activity);
    return activity;
  }

  /**
   * A candidate applies to a job: the candidate is found by e-mail or created, then the applicant row is added.
   * Refuses (TrackerAdminFailure) an unknown job (404), an unknown status (400) and a candidate already on the job
   * (409 `already_applied` with applicationId).
   */
  addApplicant(input: NewApplicant): AddedApplicant {
    const job = this.job(input.jobId);
    if (!job) throw new TrackerAdminFailure(404, 'not_found', `No job ${input.jobId}`);
    const status = this.applicantStatus(input.status ?? 'Applied');
    if (!status) {
      const known = this.settings.opportunityResourceStatuses.map((s) => s.Name).join(', ');
      throw new TrackerAdminFailure(400, 'invalid_status', `"${input.status}" is not an applicant status (${known})`);
    }
    const email = input.email?.trim() ?? '';
    const source = input.source ?? 'Website';
    let candidate = email === '' ? undefined : this.candidateByEmail(email);
    const candidateCreated = candidate === undefined;
    if (candidate) {
      const existing = this.application(job.id, candidate.id);
      if (existing) {
        throw new TrackerAdminFailure(409, 'already_applied', `${candidate.fullname} is already on job ${job.id}`, { applicationId: existing.id });
      }
    } else {
      const fromEmail = (email.split('@')[0] ?? '')
        .split(/[._+\d-]+/)
        .filter(Boolean)
        .map(capitalized);
      candidate = this.addCandidate({
        firstname: input.firstName ?? fromEmail[0] ?? 'Walk-in',
        lastname: input.lastName ?? (email === '' && input.firstName === undefined ? 'Applicant' : fromEmail.slice(1).join(' ')),
        email,
        cellphone: input.phone ?? '',
        source,
        status: this.settings.resourceStatuses[0]?.Name ?? 'Active',
      });
    }
    const short = status.Name !== 'Applied';
    const application = this.addApplication({
      opportunityId: job.id,
      resourceId: candidate.id,
      list: short ? 'short' : 'long',
      status: status.Name,
      active: input.active ?? true,
      shortlistedBy: short ? 'user' : null,
      source,
    });
    return { application, candidate, candidateCreated };
  }

  /**
   * An application's pipeline status or active flag changes (what a recruiter would do in Tracker's UI); its
   * updatedAt (REST v1's lastUpdated) is stamped. Refuses (TrackerAdminFailure) an unknown application (404) and an
   * unknown status (400).
   */
  updateApplication(id: number, change: { status?: string; active?: boolean }): TrackerApplication {
    const application = this.applications.find((a) => a.id === id);
    if (!application) throw new TrackerAdminFailure(404, 'not_found', `No application ${id}`);
    if (change.status !== undefined) {
      const status = this.applicantStatus(change.status);
      if (!status) {
        const known = this.settings.opportunityResourceStatuses.map((s) => s.Name).join(', ');
        throw new TrackerAdminFailure(400, 'invalid_status', `"${change.status}" is not an applicant status (${known})`);
      }
      application.status = status.Name;
      if (status.Name !== 'Applied' && application.list === 'long') {
        application.list = 'short';
        application.shortlistedBy = 'user';
      }
    }
    if (change.active !== undefined) application.active = change.active;
    this.touch(application);
    return application;
  }

  private stamp(collection: Collection): { id: number; createdAt: string; updatedAt: string } {
    const id = this.nextIds[collection];
    this.nextIds[collection] = id + 1;
    const now = this.now();
    return { id, createdAt: now, updatedAt: now };
  }
}

/** Sets values by id, replacing earlier values of the same field. */
export function mergeCustomFields(target: CustomFieldValue[], updates: readonly CustomFieldValue[]): void {
  for (const update of updates) {
    const existing = target.find((value) => value.id === update.id);
    if (existing) existing.value = update.value;
    else target.push({ ...update });
  }
}
