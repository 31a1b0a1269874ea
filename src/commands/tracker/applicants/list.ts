import { Command, collect, defineCommand, examples, positiveInt } from '../../../cli/command.js';
import { InputError } from '../../../errors.js';

const command = () =>
  new Command('list')
    .description("List a job's applicants (Tracker's REST API): candidate, e-mail, pipeline status, source, applied date")
    .option('--job <id>', 'the Tracker job')
    .option('--all-open', 'the applicants of every open job')
    .option('--status <status>', 'only applicants with this pipeline status, e.g. Applied (repeatable)', collect)
    .option('--include-inactive', 'inactive applications too (withdrawn or removed)')
    .option('--limit <n>', 'stop after this many', positiveInt)
    .addHelpText(
      'after',
      examples('apriora tracker applicants list --job 3101', 'apriora tracker applicants list --all-open --status Applied --output ndjson'),
    );

export default defineCommand(command, async (options, ctx) => {
  if (Boolean(options.job) === Boolean(options.allOpen)) {
    throw new InputError(options.job ? '--job and --all-open cannot be used together' : 'Which job? Give --job ID or --all-open', {
      hint: 'apriora tracker applicants list --job 3101 | --all-open',
    });
  }
  const [{ parseJobId }, { collectRows }, { selectApplicants, openJobIdSet, checkApplicantStatuses }] = await Promise.all([
    import('../../../cli/jobs-input.js'),
    import('../../../cli/listing.js'),
    import('../../../workflows/applicants.js'),
  ]);
  const jobId = options.job === undefined ? undefined : parseJobId(options.job, '--job');
  const source = await ctx.factory.trackerRest();
  const tracker = (await ctx.factory.tracker()).client;
  const [statuses, jobIds] = await Promise.all([
    checkApplicantStatuses(tracker, options.status ?? [], '--status', ctx.signal),
    // A job that does not exist is an error (not an empty list): getIndividualRecord answers not found.
    jobId === undefined ? openJobIdSet(tracker, ctx.signal) : tracker.getIndividualRecord('O', jobId, ctx.signal).then(() => new Set([jobId])),
  ]);
  const rows = selectApplicants(source, { jobIds, statuses, includeInactive: Boolean(options.includeInactive) }, ctx.signal);
  const { rows: applicants, count, streamed } = await collectRows(ctx, rows, options.limit);
  return {
    data: { jobId: jobId ?? null, applicants, count },
    printed: streamed,
    render: () =>
      ctx.out.table(
        [
          ...(jobId === undefined ? [{ header: 'Job', priority: 2, value: (a: (typeof applicants)[number]) => `${a.jobId} ${a.jobName}`.trim() }] : []),
          { header: 'Candidate', priority: 5, cut: false, value: (a) => a.candidateId },
          { header: 'Name', priority: 2, value: (a) => a.name },
          { header: 'E-mail', priority: 4, cut: false, value: (a) => a.email },
          { header: 'Status', priority: 3, value: (a) => (a.active ? a.status : `${a.status} (inactive)`) },
          { header: 'Source', priority: 0, value: (a) => a.source },
          { header: 'Applied', priority: 1, minWidth: 10, value: (a) => a.appliedAt?.slice(0, 10) ?? null },
        ],
        applicants,
        jobId === undefined ? 'No applicants on open jobs.' : `No applicants on job ${jobId}.`,
      ),
  };
});
