import { Command, collect, concurrency, defineCommand, examples, Option } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { InputError } from '../../errors.js';
import type { GenerateItem, JobRef } from '../../workflows/generate-interviews.js';

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
  const [{ BulkReporter }, { parseDateInput }, { parseJobId, openJobsFile }, { choose, confirm, declined }] = await Promise.all([
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
  const [{ toTrackerDateTime }, { generateInterviews, findTemplate, chooseModality, listOpenJobs, trackerReads }, { DEFAULT_TRACKER_RATE_LIMIT }] =
    await Promise.all([import('../../tracker/dates.js'), import('../../workflows/generate-interviews.js'), import('../../tracker/hosts.js')]);
  const updatedAfter = options.updatedAfter ? toTrackerDateTime(parseDateInput(options.updatedAfter, '--updated-after')) : undefined;
  // A jobs file is checked line by line (and counted) before anything else; stdin up to its first id.
  const file = options.jobsFile ? await openJobsFile(options.jobsFile, ctx.stdin, ctx.signal) : undefined;
  try {
    const listed = options.job
      ? unique(
          ctx,
          options.job.map((id) => parseJobId(id, '--job')),
        )
      : undefined;
    if (file?.duplicates) ctx.warn(duplicatesIgnored(file.duplicates));
    if (file?.tooManyToCheck) ctx.warn(tooManyToCheck(file.source));
    const total = listed?.length ?? file?.total;
    const selection = listed ? { ids: listed } : file ? { ids: file.ids(), total: file.total, wanted: file.wanted } : undefined;

    const tracker = await ctx.factory.tracker();
    const apriora = await ctx.factory.apriora();
    const template = options.template ? await findTemplate(apriora.client, options.template, ctx.signal) : undefined;
    const profileModality = tracker.profile?.apriora?.defaultModality;
    // Nothing says which modality: a question at a terminal (not when the terminal is where the job ids come from).
    const asked =
      options.modality === undefined && !template && !profileModality && ctx.interactive && options.jobsFile !== '-'
        ? await choose(
            ctx,
            'Interview modality (set a default with `apriora login --modality`)',
            [
              { name: 'phone', value: 'phone' as const },
              { name: 'video', value: 'video' as const },
            ],
            { flag: '--modality phone|video' },
          )
        : undefined;
    const modality = chooseModality(options.modality ?? asked, template, profileModality);
    const dryRun = Boolean(options.dryRun);

    // The jobs are read at the profile's rate limit, a long list by pages: say so when that is long (stdin's length is
    // unknown, and its ids are read one a request).
    const rate = tracker.profile?.tracker?.rateLimitPerMinute ?? DEFAULT_TRACKER_RATE_LIMIT;
    const reads = selection && total !== undefined ? await trackerReads(selection) : { pages: 0, singles: 0 };
    const minutes = (reads.pages + reads.singles) / rate;
    const long = minutes > LONG_RUN_MINUTES;
    const how = reads.pages ? `${plural(reads.pages, 'list page')}${reads.singles ? ` and ${plural(reads.singles, 'single read')}` : ''}` : 'one read per job';
    const estimate = `${plural(total ?? 0, 'job')} at ${rate.toLocaleString('en-US')} Tracker requests a minute (${how}) take about ${duration(minutes)}`;
    if (long) ctx.warn(estimate);
    const askToWrite = !dryRun && !tracker.profile?.sandbox;
    let openListed: JobRef[] | undefined;
    if (ctx.interactive && !ctx.yes && (askToWrite || long)) {
      if (options.jobsFile === '-') {
        throw new InputError('Cannot ask for confirmation: the terminal is where the job ids are read from (--jobs-file -)', {
          hint: 'Pass --yes, or pipe the ids in: cat jobs.txt | apriora interview generate --jobs-file - --yes',
        });
      }
      // Every open job: listed first, so that the question says how many (and the run does not list them again).
      if (askToWrite && !selection) openListed = await listOpenJobs(tracker.client, updatedAfter, ctx.signal);
      const count = total ?? openListed?.length;
      const which = count !== undefined ? plural(count, `${modality} interview`) : `the ${modality} interviews`;
      const jobs = openListed ? 'one per open job' : total !== undefined ? 'one per job' : 'one per job on stdin';
      const existing = options.update ? 'one that exists is updated' : 'one that exists is kept';
      const question = askToWrite ? `Create ${which} in Apriora, ${jobs} (${existing}), for profile "${ctx.profileName}"?` : 'Go on?';
      if (count !== 0 && !(await confirm(ctx, long ? `${estimate}. ${question}` : question, true))) {
        return declined(ctx);
      }
    }

    const reporter = new BulkReporter<GenerateItem>(ctx, { label: 'Jobs', noun: { one: 'job', plural: 'jobs' }, dryRun });
    const settings = { modality, templateId: template?.templateId, notes: options.notes, update: Boolean(options.update), dryRun };
    const run = await generateInterviews(
      { tracker: tracker.client, apriora: apriora.client },
      settings,
      selection ?? (openListed ? { listed: openListed } : { allOpen: true, updatedAfter }),
      reporter.callbacks(options.concurrency),
    );
    // stdin's repeats are known once it has been read.
    if (file && file.total === undefined) {
      if (file.duplicates) ctx.warn(duplicatesIgnored(file.duplicates));
      if (file.tooManyToCheck) ctx.warn(tooManyToCheck(file.source));
    }
    return reporter.result(
      run,
      [
        { header: 'Job', priority: 5, cut: false, value: (item) => item.jobId },
        { header: 'Title', priority: 2, minWidth: 20, value: (item) => item.title },
        { header: 'Position', priority: 1, cut: false, value: (item) => item.positionId },
        { header: 'Interview URL', priority: 5, cut: false, value: (item) => item.interviewUrl },
        reporter.statusColumn(),
      ],
      { modality, template: template ? { id: template.templateId, name: template.name } : null },
    );
  } finally {
    // stdin left unread (a failed login, a declined question) is closed: its writer must not keep the run waiting.
    await file?.close();
  }
});

/** Above this estimate a run warns, and asks on a terminal. */
const LONG_RUN_MINUTES = 10;

function unique(ctx: Context, ids: number[]): number[] {
  const seen = new Set(ids);
  if (seen.size < ids.length) ctx.warn(duplicatesIgnored(ids.length - seen.size));
  return [...seen];
}

function duplicatesIgnored(count: number): string {
  return `${count} duplicate job id${count === 1 ? '' : 's'} ignored`;
}

function tooManyToCheck(source: string): string {
  return `${source} has too many distinct job ids to check them all for repeats: a repeated id may be processed again (it is then reported as exists)`;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** 11 minutes, 2 h 5 min, 3 days 4 h. */
function duration(minutes: number): string {
  const total = Math.ceil(minutes);
  if (total < 60) return plural(total, 'minute');
  const hours = Math.floor(total / 60);
  if (hours < 48) return `${hours} h${total % 60 ? ` ${total % 60} min` : ''}`;
  return `${plural(Math.floor(hours / 24), 'day')}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
