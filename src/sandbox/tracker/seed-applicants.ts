import { createRandom, pick, randomInt } from '../prng.js';
import type { JobState } from './model.js';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from './seed-data.js';
import type { TrackerSeedInput } from './seed-schema.js';
import { formatTimestamp } from './time.js';

type JobInput = NonNullable<TrackerSeedInput['jobs']>[number];
type CandidateInput = NonNullable<TrackerSeedInput['candidates']>[number];
type ApplicationInput = NonNullable<TrackerSeedInput['applications']>[number];

export interface Phones {
  cellphone: string;
  workphone: string;
  homephone: string;
}

/**
 * Phone numbers as recruiters type them into Tracker, by candidate index: US numbers in local formats, none at all,
 * a UK mobile in its national format, garbage, and only a work and home number. Fictional (555-01xx, 07700 900xxx).
 */
export function seedPhones(index: number): Phones {
  const none: Phones = { cellphone: '', workphone: '', homephone: '' };
  const two = (n: number): string => String(n % 100).padStart(2, '0');
  switch (index % 6) {
    case 0:
      return { ...none, cellphone: `(617) 555-01${two(10 + index)}` };
    case 1:
      return { ...none, cellphone: `617.555.01${two(33 + index)}` };
    case 2:
      return none;
    case 3:
      return { ...none, cellphone: `07700 900${String(120 + index).padStart(3, '0')}` };
    case 4:
      return { ...none, cellphone: 'ext 12' };
    default:
      return { ...none, workphone: `+1 212 555 01${two(10 + index)}`, homephone: `(212) 555-01${two(40 + index)}` };
  }
}

/** Indexes of the candidates the first open job's showcase uses (see seedApplicants). */
const SHOWCASE: readonly { index: number; status: string; active?: boolean }[] = [
  { index: 0, status: 'Applied' }, // (617) 555-0110, also on the second open job
  { index: 1, status: 'Applied' }, // 617.555.0134
  { index: 2, status: 'Applied' }, // no phone
  { index: 3, status: 'Applied' }, // 07700 900123
  { index: 4, status: 'Applied' }, // ext 12
  { index: 5, status: 'Applied', active: false }, // withdrawn
  { index: 6, status: 'Shortlisted' },
  { index: 19, status: 'Applied' }, // no e-mail
];

const WEIGHTED_STATUSES = ['Applied', 'Applied', 'Applied', 'Applied', 'Shortlisted', 'Shortlisted', 'Interview', 'Interview', 'Rejected', 'Offered'];

/** The candidate index the seed leaves without an e-mail (when there are that many candidates). */
export const NO_EMAIL_INDEX = 19;

export interface ApplicantSeedOptions {
  seed: number;
  jobs: readonly JobInput[];
  candidates: CandidateInput[];
  stateOf: (status: string) => JobState;
  firstApplicationId: number;
  firstCandidateId: number;
  /** Extra rows, each with a new candidate, dealt round-robin over the jobs not named in jobApplicants. */
  extraApplicants: number;
  /** Job id → the number of applicant rows it holds at least (new Applied candidates fill it up). */
  jobApplicants: Readonly<Record<string, number>>;
  epochMs: number;
}

const HOUR_MS = 3_600_000;
const at = (ms: number): string => formatTimestamp(new Date(ms));
const parseAt = (timestamp: string | undefined): number => Date.parse(`${(timestamp ?? '').replace(' ', 'T')}Z`);

/**
 * Applicant rows (OpportunityResource) of the generated database, from their own PRNG so that the rest of the seed
 * does not move when they change:
 * - the first open job: a showcase (see SHOWCASE): Applied candidates with each kind of phone, one without an
 *   e-mail, a withdrawn row (active false), a Shortlisted one;
 * - the second open job: the first candidate again (a candidate on two jobs), then random rows;
 * - other open jobs: 2–5 rows of weighted statuses, about one in ten withdrawn; won jobs: Placed, Rejected, Offered;
 *   closed jobs: 1–2 rows (the search returns them too);
 * - then `extraApplicants` and `jobApplicants` rows, each with a new candidate (bulk databases for benchmarks).
 */
export function seedApplicants(options: ApplicantSeedOptions): ApplicationInput[] {
  const random = createRandom(options.seed ^ 0x5eed);
  const { candidates, jobs } = options;
  const rows: ApplicationInput[] = [];
  const onJob = new Map<number, Set<number>>();
  const add = (job: JobInput, candidate: CandidateInput, status: string, active: boolean, createdMs: number): void => {
    const taken = onJob.get(job.id) ?? new Set<number>();
    if (taken.has(candidate.id)) return;
    taken.add(candidate.id);
    onJob.set(job.id, taken);
    const short = status !== 'Applied';
    rows.push({
      id: options.firstApplicationId + rows.length,
      opportunityId: job.id,
      resourceId: candidate.id,
      list: short ? 'short' : 'long',
      status,
      active,
      shortlistedBy: short ? 'user' : null,
      source: candidate.source ?? '',
      createdAt: at(createdMs),
      updatedAt: at(createdMs + (short || !active ? 26 * HOUR_MS : 0)),
    });
  };

  const open = jobs.filter((job) => options.stateOf(job.status ?? '') === 'open');
  if (candidates.length > 0) {
    jobs.forEach((job) => {
      const state = options.stateOf(job.status ?? '');
      const opened = parseAt(job.createdAt);
      const when = (k: number): number => opened + (k + 1) * 2 * HOUR_MS;
      if (job === open[0]) {
        SHOWCASE.forEach((entry, k) => {
          const candidate = candidates[entry.index % candidates.length] as CandidateInput;
          add(job, candidate, entry.status, entry.active ?? true, when(k));
        });
        return;
      }
      let k = 0;
      if (job === open[1]) add(job, candidates[0] as CandidateInput, 'Applied', true, when(k++));
      const wanted = state === 'open' ? randomInt(random, 2, 5) : state === 'won' ? 3 : randomInt(random, 1, 2);
      for (let n = 0; n < wanted; n += 1, k += 1) {
        const candidate = pick(random, candidates);
        const status =
          state === 'won' ? (['Placed', 'Rejected', 'Offered'][n] ?? 'Rejected') : state === 'closed' ? 'Rejected' : pick(random, WEIGHTED_STATUSES);
        add(job, candidate, status, state !== 'open' || random() >= 0.1, when(k));
      }
    });
  }

  let nextCandidate = options.firstCandidateId + candidates.length;
  let extraIndex = 0;
  const newCandidate = (): CandidateInput => {
    const n = extraIndex++;
    const firstname = FIRST_NAMES[(n * 13 + 5) % FIRST_NAMES.length] as string;
    const lastname = LAST_NAMES[(n * 17 + Math.floor(n / FIRST_NAMES.length) + 3) % LAST_NAMES.length] as string;
    const created = options.epochMs + 40 * 24 * HOUR_MS + n * 10 * 60_000;
    const candidate: CandidateInput = {
      id: nextCandidate++,
      firstname,
      lastname,
      email: `${firstname}.${lastname}.a${n + 1}@${EMAIL_DOMAINS[n % EMAIL_DOMAINS.length]}`.toLowerCase(),
      ...(n % 7 === 6 ? {} : { cellphone: `(617) 555-${String(100 + (n % 100)).padStart(4, '0')}` }),
      source: pick(random, ['Website', 'LinkedIn', 'Job Board', 'Referral']),
      status: 'Active',
      createdAt: at(created),
      updatedAt: at(created),
    };
    candidates.push(candidate);
    return candidate;
  };
  const extraAt = (): number => options.epochMs + 40 * 24 * HOUR_MS + rows.length * 10 * 60_000;

  const topped = new Set(Object.keys(options.jobApplicants).map(Number));
  const spread = jobs.filter((job) => !topped.has(job.id));
  for (let n = 0; n < options.extraApplicants && spread.length > 0; n += 1) {
    const job = spread[n % spread.length] as JobInput;
    add(job, newCandidate(), pick(random, WEIGHTED_STATUSES), random() >= 0.1, extraAt());
  }
  for (const [jobId, wanted] of Object.entries(options.jobApplicants)) {
    const job = jobs.find((each) => each.id === Number(jobId));
    if (!job) throw new RangeError(`jobApplicants names job ${jobId}, which the generated database does not have`);
    while ((onJob.get(job.id)?.size ?? 0) < wanted) add(job, newCandidate(), 'Applied', true, extraAt());
  }
  return rows;
}
