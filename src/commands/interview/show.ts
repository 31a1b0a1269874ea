import { Command, defineCommand, examples } from '../../cli/command.js';
import { InputError, NotFoundError } from '../../errors.js';

const command = () =>
  new Command('show')
    .description('Show one Apriora interview, by position id or by Tracker job')
    .argument('[positionId]', 'Apriora position id')
    .option('--job <id>', 'the interview linked to this Tracker job')
    .addHelpText('after', examples('apriora interview show pos_12', 'apriora interview show --job 3101'));

export default defineCommand(command, async (options, ctx, args) => {
  const { parseJobId } = await import('../../cli/jobs-input.js');
  const positionId = args[0];
  if (Boolean(positionId) === Boolean(options.job)) {
    throw new InputError('Give a position id or --job ID (one of them)', { hint: 'apriora interview show pos_12 | apriora interview show --job 3101' });
  }
  const { positionOfJob, linkedJobId } = await import('../../workflows/positions.js');
  const { client } = await ctx.factory.apriora();
  let position;
  if (positionId) {
    position = await client.getPosition(positionId, ctx.signal);
  } else {
    const jobId = parseJobId(options.job!, '--job');
    position = await positionOfJob(client, jobId, ctx.signal);
    if (!position) {
      throw new NotFoundError(`No Apriora interview is linked to Tracker job ${jobId}`, {
        hint: `apriora interview generate --job ${jobId}`,
      });
    }
  }
  return {
    data: { interview: position },
    render: () =>
      ctx.out.fields([
        ['Position', position.positionId],
        ['Title', position.title],
        ['Modality', position.modality],
        ['Status', position.status],
        ['Tracker job', linkedJobId(position)],
        ['Interview URL', position.interviewUrl],
        ['Created', position.createdAt ? new Date(position.createdAt * 1000).toISOString() : null],
      ]),
  };
});
