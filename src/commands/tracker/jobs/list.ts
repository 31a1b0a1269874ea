import { Command, defineCommand, examples, Option, positiveInt } from '../../../cli/command.js';

const command = () =>
  new Command('list')
    .description('List jobs (Tracker opportunities), streaming page after page')
    .addOption(new Option('--state <state>', 'which jobs').choices(['open', 'closed', 'all'] as const).default('open' as const))
    .option('--search <text>', 'only jobs whose name contains this text')
    .option('--updated-after <date>', 'only jobs updated after this date: 2026-11-01, an ISO date-time, or a duration such as 24h or 7d')
    .option('--limit <n>', 'stop after this many jobs', positiveInt)
    .option('--page-size <n>', 'records per Tracker request (default 100)', positiveInt)
    .addHelpText(
      'after',
      examples(
        'apriora tracker jobs list',
        'apriora tracker jobs list --state all --search nurse --limit 20',
        'apriora tracker jobs list --updated-after 2026-11-01 --output ndjson',
      ),
    );

export default defineCommand(command, async (options, ctx) => {
  const [{ parseDateInput }, { collectRows }] = await Promise.all([import('../../../cli/dates.js'), import('../../../cli/listing.js')]);
  const [{ toTrackerDateTime }, { jobSummary, jobsQuery }] = await Promise.all([import('../../../tracker/dates.js'), import('../../../workflows/jobs.js')]);
  const updatedAfter = options.updatedAfter ? toTrackerDateTime(parseDateInput(options.updatedAfter, '--updated-after')) : undefined;
  const { client } = await ctx.factory.tracker();
  const query = jobsQuery({ state: options.state, search: options.search, updatedAfter, pageSize: options.pageSize });
  const { rows: jobs, count, streamed } = await collectRows(ctx, mapRows(client.iterateRecords(query, ctx.signal), jobSummary), options.limit);
  return {
    data: { jobs, count },
    printed: streamed,
    render: () =>
      ctx.out.table(
        [
          { header: 'Id', priority: 5, cut: false, value: (job) => job.id },
          { header: 'Ref', priority: 1, value: (job) => job.reference },
          { header: 'Title', priority: 4, minWidth: 24, value: (job) => job.title },
          { header: 'Company', priority: 3, value: (job) => job.company },
          { header: 'Status', priority: 2, value: (job) => job.status },
          { header: 'Location', priority: 0, value: (job) => job.location },
          { header: 'Opened', priority: 1, minWidth: 10, value: (job) => job.dateOpened },
        ],
        jobs,
        'No jobs match.',
      ),
  };
});

async function* mapRows<T, U>(rows: AsyncIterable<T>, map: (row: T) => U): AsyncGenerator<U> {
  for await (const row of rows) yield map(row);
}
