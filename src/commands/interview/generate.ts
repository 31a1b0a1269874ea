import { Command, collect, concurrency, defineCommand, examples, Option } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { InputError, InterruptedError } from '../../errors.js';
import type { GenerateItem } from '../../workflows/generate-interviews.js';

const command = () =>
  new Command('generate')
    .description('Create the Apriora interview (position) of each Tracker job: one per job, never duplicated')
    .option('--job <id>', 'Tracker job id (repeatable)', collect)
    .option('--jobs-file <path>', 'file with one job id per line, or a CSV with a job_id column ("-" for stdin)')
    .option('--all-open', 'every open job of the Tracker database')
    .option('--updated-after <date>', 'with --all-open: only jobs updated after this date (2026-11-01, ISO, 24h, 7d)')
    .addOption(new Option('--modality <modality>', "phone or video (default: the profile's)").choices(['phone', 'video'] as const))
    .option('--template <nameOrId>', 'Apriora interview template, by name or id')
    .option('--notes <text>', 'notes for the interview design')
    .option('--update', 'refresh the title and description of interviews that exist')
    .option('--dry-run', 'show what would be created or updated, without writing')
    .option('--concurrency <n>', 'jobs processed at once (1-32)', concurrency, 4)
    .addHelpText(
      'after',
      examples(
        'apriora interview generate --job 3101 --modality phone',
        'apriora interview generate --jobs-file jobs.csv --template "Nurse phone screen"',
        'apriora interview generate --all-open --updated-after 7d --output ndjson',
      ),
    );

export default defineCommand(command, async (options, ctx) => {
  const [{ BulkReporter }, { parseDateInput }, { parseJobId, readJobsFile }, { confirm }] = await Promise.all([
    import('../../cli/bulk.js'),
    import('../../cli/dates.js'),
    import('../../cli/jobs-input.js'),
    import('../../cli/prompt.js'),
  ]);
  const chosen = [options.job && '--job', options.jobsFile && '--jobs-file', options.allOpen && '--all-open'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new InputError(chosen.length ? `${chosen.join(' and ')} cannot be used together` : 'Which jobs? Give --job ID, --jobs-file PATH or --all-open', {
      hint: 'apriora interview generate --job 3101 | --jobs-file jobs.csv | --all-open',
    });
  }
  if (options.updatedAfter && !options.allOpen) throw new InputError('--updated-after goes with --all-open');
  const [{ toTrackerDateTime }, { generateInterviews, findTemplate, chooseModality }] = await Promise.all([
    import('../../tracker/dates.js'),
    import('../../workflows/generate-interviews.js'),
  ]);
  const updatedAfter = options.updatedAfter ? toTrackerDateTime(parseDateInput(options.updatedAfter, '--updated-after')) : undefined;
  const ids = options.allOpen
    ? undefined
    : unique(ctx, options.jobsFile ? await readJobsFile(options.jobsFile, ctx.stdin, ctx.signal) : (options.job ?? []).map((id) => parseJobId(id, '--job')));

  const tracker = await ctx.factory.tracker();
  const apriora = await ctx.factory.apriora();
  const template = options.template ? await findTemplate(apriora.client, options.template, ctx.signal) : undefined;
  const modality = chooseModality(options.modality, template, tracker.profile?.apriora?.defaultModality);
  const dryRun = Boolean(options.dryRun);
  if (!dryRun && !tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    const what = ids ? `${ids.length} job${ids.length === 1 ? '' : 's'}` : 'every open job';
    if (!(await confirm(ctx, `Create ${modality} interviews in Apriora for ${what} (profile "${ctx.profileName}")?`, true))) {
      throw new InterruptedError('Nothing written');
    }
  }

  const reporter = new BulkReporter<GenerateItem>(ctx, { label: 'Jobs', noun: { one: 'job', plural: 'jobs' }, dryRun });
  const settings = { modality, templateId: template?.templateId, notes: options.notes, update: Boolean(options.update), dryRun };
  const run = await generateInterviews(
    { tracker: tracker.client, apriora: apriora.client },
    settings,
    ids ? { ids } : { allOpen: true, updatedAfter },
    reporter.callbacks(options.concurrency),
  );
  return reporter.result(
    run,
    [
      { header: 'Job', value: (item) => item.jobId },
      { header: 'Title', value: (item) => item.title },
      { header: 'Position', value: (item) => item.positionId },
      { header: 'Interview URL', value: (item) => item.interviewUrl },
      reporter.statusColumn(),
    ],
    { modality, template: template ? { id: template.templateId, name: template.name } : null },
  );
});

function unique(ctx: Context, ids: number[]): number[] {
  const seen = new Set(ids);
  if (seen.size < ids.length) ctx.warn(`${ids.length - seen.size} duplicate job id${ids.length - seen.size === 1 ? '' : 's'} ignored`);
  return [...seen];
}
