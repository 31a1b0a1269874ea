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
import type { TrackerSeed } from './seed-schema.js';
import { formatTimestamp, type TrackerTimestamp } from './time.js';

type Fresh<S extends z.ZodType> = Omit<z.input<S>, 'id' | 'createdAt' | 'updatedAt'>;
type Collection = 'jobs' | 'candidates' | 'applications' | 'activities';

/** New ids never go below these, so that sandbox ids look like Tracker's and never collide across resets. */
const ID_FLOORS: Readonly<Record<Collection, number>> = { jobs: 3101, candidates: 5001, applications: 7001, activities: 9001 };

const sameText = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

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

  constructor(
    seed: TrackerSeed,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.reset(seed);
  }

  /** Replaces the whole database in place (references to this object stay valid). */
  reset(seed: TrackerSeed): void {
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
  candidateByEmail(email: string): TrackerCandidate | undefined {
    return email.trim() === '' ? undefined : this.candidates.find((c) => sameText(c.email, email));
  }
  customField(id: number): CustomField | undefined {
    return this.settings.customFields.find((f) => f.Id === id);
  }
  /** Activity types match by name, ignoring case; the stored name is Tracker's spelling. */
  taskTypeName(name: string): string | undefined {
    return this.settings.taskTypes.find((t) => sameText(t.Name, name))?.Name;
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
