import { Command, collect, concurrency, defineCommand, examples } from '../../cli/command.js';
import { InputError } from '../../errors.js';
import type { PushItem } from '../../workflows/push-activity.js';
import type { ReportRef, ReportSelector } from '../../workflows/report-sources.js';

const command = () =>
  new Command('push')
    .description('Write completed interview results into Tracker as "Apriora Interview" activities (one per report)')
    .option('--report <id>', 'Apriora report id (repeatable)', collect)
    .option('--job <trackerJobId>', 'every report of the interview linked to this Tracker job (repeatable)', collect)
    .option('--since <when>', 'every report of Tracker-linked interviews completed since (ISO date, 24h, 7d)')
    .option('--candidate <email>', 'every report of this candidate (repeatable)', collect)
    .option('--dry-run', 'show what would be created, updated or skipped, without writing')
    .option('--concurrency <n>', 'reports processed at once (1-32)', concurrency, 4)
    .addHelpText(
      'after',
      examples('apriora activity push --report rep_12', 'apriora activity push --job 3101', 'apriora activity push --since 24h --output ndjson'),
    );

/**
 * `apriora activity push`: completed interviews → Tracker. Exactly one source (--report, --job, --since,
 * --candidate); each report becomes one "Apriora Interview" activity on its candidate, created, updated or skipped.
 */
export default defineCommand(command, async (options, ctx) => {
  const [{ BulkReporter }, { parseDateInput, readableTime }, { parseJobId }, { confirm, declined }] = await Promise.all([
    import('../../cli/bulk.js'),
    import('../../cli/dates.js'),
    import('../../cli/jobs-input.js'),
    import('../../cli/prompt.js'),
  ]);
  const reportIds = options.report?.map((id) => id.trim()) ?? [];
  const flags: [boolean, string][] = [
    [reportIds.length > 0, '--report'],
    [(options.job?.length ?? 0) > 0, '--job'],
    [options.since !== undefined, '--since'],
    [(options.candidate?.length ?? 0) > 0, '--candidate'],
  ];
  const chosen = flags.filter(([given]) => given).map(([, flag]) => flag);
  if (chosen.length !== 1) {
    throw new InputError(
      chosen.length
        ? `${chosen.join(' and ')} cannot be used together`
        : 'Which reports? Give --report ID, --job TRACKER_JOB_ID, --since WHEN or --candidate EMAIL',
      {
        hint: 'apriora activity push --report rep_12 | --job 3101 | --since 24h | --candidate ada@example.com',
      },
    );
  }
  if (reportIds.some((id) => id === '')) throw new InputError('--report needs a report id, not an empty value');
  const jobIds = unique((options.job ?? []).map((job) => parseJobId(job, '--job')));
  const since = options.since ? parseDateInput(options.since, '--since') : undefined;
  const emails = (options.candidate ?? [])
    .map((candidate) => {
      const email = candidate.trim();
      if (!email.includes('@')) throw new InputError(`--candidate must be an e-mail address, not "${candidate}"`);
      return email;
    })
    .filter((email, index, all) => all.findIndex((other) => other.toLowerCase() === email.toLowerCase()) === index);

  const [{ listReports, pushReports }, { DEFAULT_ACTIVITY_TYPE, requireFieldMap, resolveFieldTypes }] = await Promise.all([
    import('../../workflows/push-activity.js'),
    import('../../workflows/field-map.js'),
  ]);
  const tracker = await ctx.factory.tracker();
  const fieldMap = requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);
  const fieldTypes = await resolveFieldTypes(tracker.client, fieldMap, tracker.profile?.tracker?.fieldTypes, ctx.signal);
  const activityType = tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE;
  const apriora = await ctx.factory.apriora();
  const dryRun = Boolean(options.dryRun);

  const ids = unique(reportIds);
  if (ids.length < reportIds.length) ctx.warn(`${reportIds.length - ids.length} duplicate report id${reportIds.length - ids.length === 1 ? '' : 's'} ignored`);
  const selector: ReportSelector = ids.length
    ? { kind: 'ids', reportIds: ids }
    : jobIds.length
      ? { kind: 'job', jobIds }
      : since
        ? { kind: 'since', since }
        : { kind: 'candidate', emails };
  let listed: ReportRef[] | undefined;
  if (!dryRun && !tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    // The question says how many: the reports are listed first (Apriora reads only), and not read again.
    listed = selector.kind === 'ids' ? undefined : await listReports(apriora.client, selector, ctx.signal, (message) => ctx.warn(message));
    const count = listed?.length ?? ids.length;
    const question =
      `Write ${count} "${activityType}" activit${count === 1 ? 'y' : 'ies'} into Tracker (one per report ${describeSelection(selector, readableTime)}; ` +
      `one already there is updated or skipped) for profile "${ctx.profileName}"?`;
    if (count > 0 && !(await confirm(ctx, question, true))) return declined(ctx);
  }

  // One writer per report and per new candidate among this profile's processes (a listener, another push).
  const writeLock = dryRun ? null : await ctx.factory.writeLocks();
  const reporter = new BulkReporter<PushItem>(ctx, { label: 'Reports', noun: { one: 'report', plural: 'reports' }, dryRun });
  const run = await pushReports(
    { tracker: tracker.client, apriora: apriora.client, fieldMap, fieldTypes, activityType, writeLock },
    selector,
    { dryRun, warn: (message) => ctx.warn(message), ...(listed ? { listed } : {}) },
    reporter.callbacks(options.concurrency),
  );
  return reporter.result(
    run,
    [
      { header: 'Report', priority: 4, cut: false, value: (item) => item.reportId },
      { header: 'Candidate', priority: 3, cut: false, value: (item) => item.candidateEmail },
      {
        header: 'Tracker candidate',
        priority: 2,
        value: (item) =>
          item.trackerCandidateId === null ? (item.candidateCreated ? 'new' : null) : `${item.trackerCandidateId}${item.candidateCreated ? ' (new)' : ''}`,
      },
      { header: 'Job', priority: 2, cut: false, value: (item) => item.jobId },
      { header: 'Activity', priority: 1, cut: false, value: (item) => item.activityId ?? (item.status === 'created' && dryRun ? 'new' : null) },
      reporter.statusColumn(),
    ],
    { activityType, source: chosen[0]!.slice(2) },
  );
});

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Which reports, after "one per report". */
function describeSelection(selector: ReportSelector, readableTime: (date: Date) => string): string {
  switch (selector.kind) {
    case 'ids':
      return selector.reportIds.length === 1 ? `${selector.reportIds[0]}` : `given (${selector.reportIds.join(', ')})`;
    case 'job':
      return `of Tracker job${selector.jobIds.length === 1 ? '' : 's'} ${selector.jobIds.join(', ')}`;
    case 'since':
      return `completed since ${readableTime(selector.since)}`;
    case 'candidate':
      return `of ${selector.emails.join(', ')}`;
  }
}
