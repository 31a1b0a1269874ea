import { DEFAULT_SANDBOX_CREDENTIALS } from '../credentials.js';
import { createRandom, pick, type Random, randomInt } from '../prng.js';
import { NO_EMAIL_INDEX, seedApplicants, seedPhones } from './seed-applicants.js';
import {
  CONTACT_NAMES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  PREVIOUS_EMPLOYERS,
  SEED_CLIENTS,
  SEED_ROLES,
  type SeedClient,
  type SeedRole,
} from './seed-data.js';
import { loadTrackerSeed, type TrackerSeed, type TrackerSeedInput } from './seed-schema.js';
import { defaultTrackerSettings, defaultTrackerUsers } from './settings.js';
import { formatDate, formatTime12h, formatTimestamp } from './time.js';

export interface TrackerSeedOptions {
  /** Number of jobs (default 12: mostly open, some closed and won). */
  jobs?: number;
  /** Number of candidates (default 20). */
  candidates?: number;
  /** PRNG seed: the same options always give the same database. */
  seed?: number;
  /** E-mail of the sandbox API user (users[0]); defaults to the default sandbox username. */
  apiUsername?: string;
  /**
   * Extra applicant rows (default 0), each with a new candidate (generated name, e-mail and phone), dealt round-robin
   * over the jobs not named in jobApplicants: bulk databases for benchmarks.
   */
  extraApplicants?: number;
  /**
   * Job id → the number of applicant rows that job holds at least: new candidates, Applied and active, fill it up.
   * E.g. `{ extraApplicants: 1900, jobApplicants: { 3102: 50 } }`: job 3102 with 50 applicants among ~2,000 rows.
   */
  jobApplicants?: Readonly<Record<string, number>>;
}

const FIRST_JOB_ID = 3101;
const FIRST_CANDIDATE_ID = 5001;
const FIRST_CLIENT_ID = 34001;
const FIRST_CONTACT_ID = 601;
const FIRST_APPLICATION_ID = 7001;
const FIRST_ACTIVITY_ID = 9001;

/** Seed records are dated from here on, at fixed steps, so that updatedafter/updatedbefore tests are predictable. */
const EPOCH_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR_MS = 3_600_000;
const JOB_STEP_MS = 12 * HOUR_MS;
const CANDIDATE_STEP_MS = 9 * HOUR_MS;

/** Statuses cycle through this pattern: 9 open, 1 won, 2 closed in every 12 jobs. */
const JOB_STATUS_CYCLE = ['Open', 'Active', 'Open', 'Interviewing', 'Filled', 'Open', 'Active', 'Closed', 'On Hold', 'Open', 'Cancelled', 'Active'];

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const at = (ms: number): string => formatTimestamp(new Date(ms));
const dayOf = (ms: number): string => formatDate(new Date(ms));

function describeJob(role: SeedRole, client: SeedClient, payText: string): string {
  const place = [client.city, client.state].filter(Boolean).join(', ');
  const items = (lines: readonly string[]): string => lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
  return (
    `<p>We are looking for a ${escapeHtml(role.title)} to join ${escapeHtml(client.name)} in ${escapeHtml(place)}.</p>` +
    `<h3>Responsibilities</h3><ul>${items(role.responsibilities)}</ul>` +
    `<h3>Requirements</h3><ul>${items(role.requirements)}</ul>` +
    `<p><strong>${role.type}</strong> position. ${escapeHtml(payText)}</p>`
  );
}

function payFor(role: SeedRole, random: Random): { pay: number; bill: number | null; text: string } {
  if (role.type === 'Permanent') {
    const pay = randomInt(random, 45, 150) * 1000;
    return { pay, bill: null, text: `Salary up to $${pay.toLocaleString('en-US')} a year.` };
  }
  const pay = randomInt(random, 22, 95);
  return { pay, bill: Math.round(pay * 1.35), text: `Pay rate $${pay} an hour.` };
}

/** A deterministic, realistic Tracker database. */
export function generateTrackerSeed(options: TrackerSeedOptions = {}): TrackerSeed {
  const jobCount = options.jobs ?? 12;
  const candidateCount = options.candidates ?? 20;
  const random = createRandom(options.seed ?? 20250106);
  const settings = defaultTrackerSettings();
  const users = defaultTrackerUsers(options.apiUsername ?? DEFAULT_SANDBOX_CREDENTIALS.username);
  const stateOf = new Map(settings.opportunityStatuses.map((status) => [status.Name, status.State]));

  const clients = SEED_CLIENTS.map((client, index) => ({
    id: FIRST_CLIENT_ID + index,
    name: client.name,
    city: client.city,
    state: client.state,
    country: client.country,
  }));
  const contacts = SEED_CLIENTS.map((client, index) => {
    const [firstname, lastname, jobtitle] = CONTACT_NAMES[index % CONTACT_NAMES.length] ?? ['Alex', 'Doe', 'Manager'];
    return {
      id: FIRST_CONTACT_ID + index,
      clientId: FIRST_CLIENT_ID + index,
      firstname,
      lastname,
      jobtitle,
      email: `${firstname}.${lastname}@${slug(client.name)}.example`.toLowerCase(),
      phone: `555-01${String(index).padStart(2, '0')}`,
    };
  });

  const jobs: NonNullable<TrackerSeedInput['jobs']> = [];
  for (let index = 0; index < jobCount; index += 1) {
    const clientIndex = index % SEED_CLIENTS.length;
    const client = SEED_CLIENTS[clientIndex] as SeedClient;
    const role = pick(random, SEED_ROLES[client.category]);
    const status = JOB_STATUS_CYCLE[index % JOB_STATUS_CYCLE.length] as string;
    const pay = payFor(role, random);
    const created = EPOCH_MS + index * JOB_STEP_MS + randomInt(random, 0, 300) * 60_000;
    const updated = created + randomInt(random, 0, 300) * 60_000;
    jobs.push({
      id: FIRST_JOB_ID + index,
      title: role.title,
      clientId: FIRST_CLIENT_ID + clientIndex,
      contactId: FIRST_CONTACT_ID + clientIndex,
      status,
      type: role.type,
      description: describeJob(role, client, pay.text),
      location: [client.city, client.state].filter(Boolean).join(', '),
      city: client.city,
      state: client.state,
      country: client.country,
      salaryPayRate: pay.pay,
      feeBillRate: pay.bill,
      startDate: dayOf(created + 30 * 24 * HOUR_MS),
      endDate: role.type === 'Permanent' ? null : dayOf(created + 210 * 24 * HOUR_MS),
      dateOpened: dayOf(created),
      ownerUserIds: [index % 2 === 0 ? 1 : 2],
      customFields: index % 3 === 0 ? [{ id: 202, value: pick(random, ['On-site', 'Hybrid', 'Remote']) }] : [],
      createdAt: at(created),
      updatedAt: at(updated),
    });
  }

  const candidates: NonNullable<TrackerSeedInput['candidates']> = [];
  const emails = new Set<string>();
  const allRoles = Object.values(SEED_ROLES).flat();
  for (let index = 0; index < candidateCount; index += 1) {
    const firstname = FIRST_NAMES[(index * 7) % FIRST_NAMES.length] as string;
    const lastname = LAST_NAMES[(index * 11 + Math.floor(index / LAST_NAMES.length)) % LAST_NAMES.length] as string;
    let email = `${firstname}.${lastname}@${EMAIL_DOMAINS[index % EMAIL_DOMAINS.length]}`.toLowerCase();
    if (emails.has(email)) email = email.replace('@', `${index}@`);
    emails.add(email);
    // One candidate, on the first open job, has no e-mail (recruiters enter people they only spoke to).
    if (index === NO_EMAIL_INDEX) email = '';
    const home = pick(random, SEED_CLIENTS);
    const created = EPOCH_MS + index * CANDIDATE_STEP_MS + randomInt(random, 0, 240) * 60_000;
    candidates.push({
      id: FIRST_CANDIDATE_ID + index,
      firstname,
      lastname,
      email,
      ...seedPhones(index),
      jobtitle: pick(random, allRoles).title,
      company: pick(random, PREVIOUS_EMPLOYERS),
      city: home.city,
      state: home.state,
      country: home.country,
      linkedin: `https://www.linkedin.com/in/${slug(`${firstname}-${lastname}`)}-${index + 1}`,
      source: pick(random, settings.resourceSources).Name,
      note: index % 5 === 0 ? 'Prefers hybrid roles; available with two weeks notice.' : '',
      status: pick(random, ['Active', 'Active', 'Active', 'Available', 'Interviewing', 'Not Looking']),
      customFields: [
        ...(index % 2 === 0 ? [{ id: 101, value: pick(random, ['Citizen', 'Permanent Resident', 'Work Visa', 'Requires Sponsorship']) }] : []),
        ...(index % 3 === 0 ? [{ id: 104, value: pick(random, ['Immediate', '2 weeks', '1 month']) }] : []),
      ],
      createdAt: at(created),
      updatedAt: at(created + randomInt(random, 0, 600) * 60_000),
    });
  }

  const applications = seedApplicants({
    seed: options.seed ?? 20250106,
    jobs,
    candidates,
    stateOf: (status) => stateOf.get(status) ?? 'open',
    firstApplicationId: FIRST_APPLICATION_ID,
    firstCandidateId: FIRST_CANDIDATE_ID,
    extraApplicants: options.extraApplicants ?? 0,
    jobApplicants: options.jobApplicants ?? {},
    epochMs: EPOCH_MS,
  });

  const activities: NonNullable<TrackerSeedInput['activities']> = [];
  candidates.forEach((candidate, index) => {
    if (index % 2 !== 0) return;
    const kind = pick(random, ['Call', 'Email', 'Meeting'] as const);
    const created = Date.parse(`${(candidate.createdAt ?? '').replace(' ', 'T')}Z`) + 26 * HOUR_MS;
    activities.push({
      id: FIRST_ACTIVITY_ID + activities.length,
      type: kind,
      subject: `${kind} with ${candidate.firstname} ${candidate.lastname}`,
      date: dayOf(created),
      time: formatTime12h(new Date(created)),
      status: 'Completed',
      priority: 'Medium',
      contactType: kind === 'Meeting' ? '' : 'Outbound',
      note: `Intro ${kind.toLowerCase()}: discussed availability and salary expectations.`,
      userId: index % 4 === 0 ? 1 : 2,
      linkRecordType: 'R',
      linkRecordId: candidate.id,
      customFields: kind === 'Call' ? [{ id: 452, value: pick(random, ['Connected', 'Left Message', 'No Answer']) }] : [],
      createdAt: at(created),
      updatedAt: at(created),
    });
  });

  return loadTrackerSeed({ settings, users, clients, contacts, jobs, candidates, applications, activities }, 'The generated Tracker seed');
}
