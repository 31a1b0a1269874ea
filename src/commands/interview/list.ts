import { Command, defineCommand, examples, positiveInt } from '../../cli/command.js';

const command = () =>
  new Command('list')
    .description('List the Apriora interviews linked to Tracker jobs')
    .option('--job <id>', 'only the interview of this Tracker job')
    .option('--limit <n>', 'stop after this many', positiveInt)
    .addHelpText('after', examples('apriora interview list', 'apriora interview list --job 3101 --json'));

export default defineCommand(command, async (options, ctx) => {
  const [{ parseJobId }, { collectRows }] = await Promise.all([import('../../cli/jobs-input.js'), import('../../cli/listing.js')]);
  const jobId = options.job === undefined ? undefined : parseJobId(options.job, '--job');
  const { trackerPositions } = await import('../../workflows/positions.js');
  const { client } = await ctx.factory.apriora();
  const { rows: positions, count, streamed } = await collectRows(ctx, trackerPositions(client, { jobId }, ctx.signal), options.limit);
  return {
    data: { interviews: positions, count },
    printed: streamed,
    render: () =>
      ctx.out.table(
        [
          { header: 'Job', priority: 5, cut: false, value: (p) => p.externalId },
          { header: 'Title', priority: 3, minWidth: 20, value: (p) => p.title },
          { header: 'Position', priority: 0, cut: false, value: (p) => p.positionId },
          { header: 'Modality', priority: 1, value: (p) => p.modality },
          { header: 'Status', priority: 2, value: (p) => p.status },
          { header: 'Interview URL', priority: 4, cut: false, value: (p) => p.interviewUrl },
        ],
        positions,
        options.job ? `No interview is linked to Tracker job ${options.job}.` : 'No interviews are linked to Tracker jobs yet.',
      ),
  };
});
