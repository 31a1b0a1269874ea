// Scenario data put straight into the sandbox's state (faster than through the CLI): interviews linked to Tracker
// jobs, Tracker candidates, completed interviews (Apriora reports).

/** 0 → "aaa", 1 → "aab", …: a fixed-width lower-case tag, so that no generated name is a prefix of another. */
export function letters(n, width = 3) {
  let text = '';
  for (let i = 0; i < width; i++) {
    text = String.fromCharCode(97 + (n % 26)) + text;
    n = Math.floor(n / 26);
  }
  return text;
}

const capitalized = (word) => word.charAt(0).toUpperCase() + word.slice(1);

/** The Apriora interview (position) of a Tracker job, linked as `interview generate` links it. */
export function linkPosition(sandbox, job) {
  return sandbox.apriora.createPosition({
    title: job.title,
    description: job.description || job.title,
    modality: 'phone',
    externalSource: 'tracker',
    externalId: String(job.id),
  });
}

/** The first `count` open jobs of the sandbox's Tracker. */
export function openJobs(sandbox, count) {
  const jobs = sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').slice(0, count);
  if (jobs.length < count) throw new Error(`the seed has ${jobs.length} open jobs, ${count} wanted`);
  return jobs;
}

/**
 * `count` people: a distinct e-mail at `domain` each; distinct names ("Ada Knownaab"), or all the same name when
 * `sameName` is given ({ firstName, lastName }).
 */
export function people(count, { domain, stem, sameName }) {
  return Array.from({ length: count }, (_, i) => ({
    email: `${stem}.${i + 1}@${domain}`,
    firstName: sameName?.firstName ?? 'Ada',
    lastName: sameName?.lastName ?? `${capitalized(stem)}${letters(i)}`,
  }));
}

/** Each person as a Tracker candidate (what an earlier application or import made). */
export function addTrackerCandidates(sandbox, persons) {
  for (const person of persons) {
    sandbox.tracker.addCandidate({ firstname: person.firstName, lastname: person.lastName, email: person.email, source: 'Website', status: 'Active' });
  }
}

/** Each person completes the interview of `positionId`; `at` (Unix seconds) when given. Returns the reports. */
export function completeInterviews(sandbox, positionId, persons, at) {
  return persons.map(
    (person) =>
      sandbox.apriora.completeInterview({ positionId, email: person.email, firstName: person.firstName, lastName: person.lastName, ...(at ? { at } : {}) })
        .report,
  );
}

/** Report id → how many Tracker activities carry its marker. */
export function activitiesByReport(sandbox) {
  const counts = new Map();
  for (const activity of sandbox.tracker.activities) {
    for (const [, id] of activity.subject.matchAll(/\[apriora:([^\]/]+)\]/g)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Throws unless every report has exactly one activity in Tracker. */
export function expectOneActivityEach(sandbox, reports, what) {
  const counts = activitiesByReport(sandbox);
  const wrong = reports.filter((report) => counts.get(report.reportId) !== 1);
  if (wrong.length) {
    throw new Error(
      `${what}: ${wrong.length} of ${reports.length} reports do not have exactly one activity (e.g. ${wrong[0].reportId}: ${counts.get(wrong[0].reportId) ?? 0})`,
    );
  }
}
