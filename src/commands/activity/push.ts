import { BulkReporter } from '../../cli/bulk.js';
import type { Context } from '../../cli/context.js';
import { parseDateInput } from '../../cli/dates.js';
import { connectApriora, connectTracker } from '../../cli/factory.js';
import { parseJobId } from '../../cli/jobs-input.js';
import type { ActivityPushOptions } from '../../cli/program.js';
import { confirm } from '../../cli/prompt.js';
import type { CommandResult } from '../../cli/run.js';
import type { AprioraClient } from '../../apriora/client.js';
import type { Position } from '../../apriora/partner.js';
import type { Report } from '../../apriora/schemas.js';
import { InputError, InterruptedError } from '../../errors.js';
import { runBulk } from '../../workflows/bulk.js';
import { DEFAULT_ACTIVITY_TYPE } from '../../workflows/field-map.js';
import { pushReport, type PushDeps, type PushItem } from '../../workflows/push-activity.js';

/** A report to push: its id, and the report itself when the source has just read it. */
interface ReportRef {
  reportId: string;
  report?: Report;
}

/**
 * `apriora activity push`: completed interviews → Tracker. Exactly one source (--report, --job, --since,
 * --candidate); each report becomes one "Apriora Interview" activity on its candidate, created, updated or skipped.
 */
export default async function push(options: ActivityPushOptions, ctx: Context): Promise<CommandResult> {
  const reportIds = options.report?.map((id) => id.trim()) ?? [];
  const flags: [boolean, string][] = [
    [reportIds.length > 0, '--report'],
    [options.job !== undefined, '--job'],
    [options.since !== undefined, '--since'],
    [options.candidate !== undefined, '--candidate'],
  ];
  const chosen = flags.filter(([given]) => given).map(([, flag]) => flag);
  if (chosen.length !== 1) {
    throw new InputError(chosen.length ? `${chosen.join(' and ')} cannot be used together` : 'Which reports? Give --report ID, --job TRACKER_JOB_ID, --since WHEN or --candidate EMAIL', {
      hint: 'apriora activity push --report rep_12 | --job 3101 | --since 24h | --candidate ada@example.com',
    });
  }
  if (reportIds.some((id) => id === '')) throw new InputError('--report needs a report id, not an empty value');
  const jobId = options.job ? parseJobId(options.job, '--job') : undefined;
  const since = options.since ? parseDateInput(options.since, '--since') : undefined;
  const email = options.candidate?.trim();
  if (options.candidate !== undefined && !email?.includes('@')) {
    throw new InputError(`--candidate must be an e-mail address, not "${options.candidate}"`);
  }

  const tracker = await connectTracker(ctx);
  const fieldMap = tracker.profile?.tracker?.fieldMap;
  if (!fieldMap) {
    throw new InputError(`The "Apriora Interview" field map of profile "${ctx.profileName}" is not set: there is nowhere to write the results`, {
      code: 'field_map_missing',
      hint: `apriora tracker fields map${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`}`,
    });
  }
  const bad = Object.entries(fieldMap).filter(([, id]) => !/^\d+$/.test(id.trim()));
  if (bad.length) {
    throw new InputError(`The field map of profile "${ctx.profileName}" has ids that are not numeric: ${bad.map(([key, id]) => `${key}="${id}"`).join(', ')}`, {
      code: 'field_map_invalid',
      hint: `apriora tracker fields map${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`}`,
    });
  }
  const activityType = tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE;
  const apriora = await connectApriora(ctx, tracker);
  const dryRun = Boolean(options.dryRun);

  if (!dryRun && !tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    const what = reportIds.length ? `${unique(reportIds).length} report${unique(reportIds).length === 1 ? '' : 's'}`
      : jobId !== undefined ? `the reports of Tracker job ${jobId}`
        : since ? `the reports completed since ${since.toISOString()}`
          : `the reports of ${email}`;
    if (!await confirm(ctx, `Write ${what} into Tracker as "${activityType}" activities (profile "${ctx.profileName}")?`, true)) {
      throw new InterruptedError('Nothing written');
    }
  }

  const reporter = new BulkReporter<PushItem>(ctx, { label: 'Reports', noun: { one: 'report', plural: 'reports' }, dryRun });
  let source: AsyncIterable<ReportRef>;
  if (reportIds.length) {
    const ids = unique(reportIds);
    if (ids.length < reportIds.length) ctx.warn(`${reportIds.length - ids.length} duplicate report id${reportIds.length - ids.length === 1 ? '' : 's'} ignored`);
    reporter.setTotal(ids.length);
    source = fromIds(ids);
  } else if (jobId !== undefined) {
    source = reportsOfJob(ctx, apriora.client, jobId);
  } else if (since) {
    source = reportsSince(apriora.client, since, ctx.signal);
  } else {
    source = reportsOfCandidate(ctx, apriora.client, email!);
  }

  const deps: PushDeps = { tracker: tracker.client, apriora: apriora.client, fieldMap, activityType, positions: new Map<string, Promise<Position>>() };
  const run = await runBulk(deduplicated(source), (ref) => pushReport(deps, ref.reportId, { dryRun, report: ref.report }), {
    concurrency: options.concurrency,
    signal: ctx.signal,
    onResult: reporter.add,
  });
  return reporter.result(run, [
    { header: 'Report', value: (item) => item.reportId },
    { header: 'Candidate', value: (item) => item.candidateEmail },
    { header: 'Tracker candidate', value: (item) => item.trackerCandidateId === null ? (item.candidateCreated ? 'new' : null) : `${item.trackerCandidateId}${item.candidateCreated ? ' (new)' : ''}` },
    { header: 'Job', value: (item) => item.jobId },
    reporter.statusColumn(),
  ], { activityType, source: chosen[0]!.slice(2) });
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

async function* fromIds(ids: string[]): AsyncGenerator<ReportRef> {
  for (const reportId of ids) yield { reportId };
}

/** The reports of the position linked to one Tracker job. */
async function* reportsOfJob(ctx: Context, apriora: AprioraClient, jobId: number): AsyncGenerator<ReportRef> {
  const [position] = await apriora.listPositions({ externalSource: 'tracker', externalId: String(jobId), limit: 1 }, ctx.signal);
  if (!position) {
    ctx.warn(`No Apriora interview is linked to Tracker job ${jobId} (create one with \`apriora interview generate --job ${jobId}\`)`);
    return;
  }
  for (const report of byCompletion(await apriora.getReports({ positionId: position.positionId }, ctx.signal))) yield { reportId: report.reportId, report };
}

/** Reports completed since `since`, of every Tracker-linked position, one position at a time. */
async function* reportsSince(apriora: AprioraClient, since: Date, signal: AbortSignal): AsyncGenerator<ReportRef> {
  const from = since.getTime() / 1000;
  for await (const position of apriora.iteratePositions({ externalSource: 'tracker' }, 100, signal)) {
    const reports = await apriora.getReports({ positionId: position.positionId }, signal);
    for (const report of byCompletion(reports.filter((r) => r.timeCompleted >= from))) yield { reportId: report.reportId, report };
  }
}

/** Every report of the Apriora candidate(s) with this e-mail. */
async function* reportsOfCandidate(ctx: Context, apriora: AprioraClient, email: string): AsyncGenerator<ReportRef> {
  const wanted = email.toLowerCase();
  const candidates = (await apriora.getCandidates({ email }, ctx.signal)).filter((candidate) => candidate.email.trim().toLowerCase() === wanted);
  if (!candidates.length) {
    ctx.warn(`Apriora has no candidate with e-mail ${email}`);
    return;
  }
  for (const candidate of candidates) {
    for (const report of byCompletion(await apriora.getReports({ candidateId: candidate.candidateId }, ctx.signal))) yield { reportId: report.reportId, report };
  }
}

function byCompletion(reports: Report[]): Report[] {
  return [...reports].sort((a, b) => a.timeCompleted - b.timeCompleted || a.reportId.localeCompare(b.reportId));
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
