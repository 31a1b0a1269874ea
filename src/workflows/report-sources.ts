import type { AprioraClient } from '../apriora/client.js';
import type { Report } from '../apriora/schemas.js';
import { positionOfJob, trackerPositions } from './positions.js';

/** A report to push: its id, and the report itself when the source has just read it. */
export interface ReportRef {
  reportId: string;
  report?: Report;
}

export type ReportSelector =
  | { kind: 'ids'; reportIds: string[] }
  | { kind: 'job'; jobId: number }
  | { kind: 'since'; since: Date }
  | { kind: 'candidate'; email: string };

/** The reports a selector names, each once, oldest completion first within each read. `warn` hears of empty sources. */
export function reportSource(apriora: AprioraClient, selector: ReportSelector, signal: AbortSignal, warn: (message: string) => void): AsyncIterable<ReportRef> {
  switch (selector.kind) {
    case 'ids':
      return deduplicated(fromIds(selector.reportIds));
    case 'job':
      return deduplicated(reportsOfJob(apriora, selector.jobId, signal, warn));
    case 'since':
      return deduplicated(reportsSince(apriora, selector.since, signal));
    case 'candidate':
      return deduplicated(reportsOfCandidate(apriora, selector.email, signal, warn));
  }
}

async function* fromIds(ids: string[]): AsyncGenerator<ReportRef> {
  for (const reportId of ids) yield { reportId };
}

/** The reports of the position linked to one Tracker job. */
async function* reportsOfJob(apriora: AprioraClient, jobId: number, signal: AbortSignal, warn: (message: string) => void): AsyncGenerator<ReportRef> {
  const position = await positionOfJob(apriora, jobId, signal);
  if (!position) {
    warn(`No Apriora interview is linked to Tracker job ${jobId} (create one with \`apriora interview generate --job ${jobId}\`)`);
    return;
  }
  yield* refs(await apriora.getReports({ positionId: position.positionId }, signal));
}

/** Reports completed since `since`, of every Tracker-linked position, one position at a time. */
async function* reportsSince(apriora: AprioraClient, since: Date, signal: AbortSignal): AsyncGenerator<ReportRef> {
  const from = since.getTime() / 1000;
  for await (const position of trackerPositions(apriora, {}, signal)) {
    const reports = await apriora.getReports({ positionId: position.positionId }, signal);
    yield* refs(reports.filter((report) => report.timeCompleted >= from));
  }
}

/** Every report of the Apriora candidate(s) with this e-mail. */
async function* reportsOfCandidate(apriora: AprioraClient, email: string, signal: AbortSignal, warn: (message: string) => void): AsyncGenerator<ReportRef> {
  const wanted = email.toLowerCase();
  const candidates = (await apriora.getCandidates({ email }, signal)).filter((candidate) => candidate.email.trim().toLowerCase() === wanted);
  if (!candidates.length) {
    warn(`Apriora has no candidate with e-mail ${email}`);
    return;
  }
  for (const candidate of candidates) yield* refs(await apriora.getReports({ candidateId: candidate.candidateId }, signal));
}

function* refs(reports: Report[]): Generator<ReportRef> {
  const ordered = [...reports].sort((a, b) => a.timeCompleted - b.timeCompleted || a.reportId.localeCompare(b.reportId));
  for (const report of ordered) yield { reportId: report.reportId, report };
}

/** Each report once, whatever the source. */
async function* deduplicated(source: AsyncIterable<ReportRef>): AsyncGenerator<ReportRef> {
  const seen = new Set<string>();
  for await (const ref of source) {
    if (seen.has(ref.reportId)) continue;
    seen.add(ref.reportId);
    yield ref;
  }
}
