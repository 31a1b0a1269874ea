import { Command, defineCommand, examples, positiveInt } from '../../cli/command.js';
import { InputError } from '../../errors.js';

const command = () =>
  new Command('invitations')
    .description('List the Apriora invitations and their status, newest first')
    .option('--job <id>', 'only the invitations to the interview of this Tracker job')
    .option('--email <email>', "only this candidate's invitations")
    .option('--limit <n>', 'stop after this many', positiveInt)
    .addHelpText('after', examples('apriora interview invitations --job 3101', 'apriora interview invitations --email ada@example.com --json'));

export default defineCommand(command, async (options, ctx) => {
  const [{ parseJobId }, { collectRows }, { positionOfJob }] = await Promise.all([
    import('../../cli/jobs-input.js'),
    import('../../cli/listing.js'),
    import('../../workflows/positions.js'),
  ]);
  const jobId = options.job === undefined ? undefined : parseJobId(options.job, '--job');
  const email = options.email?.trim() || undefined;
  if (options.email !== undefined && (!email || !/^[^@\s]+@[^@\s]+$/.test(email))) {
    throw new InputError(`--email "${options.email}" is not an e-mail address`);
  }
  const { client } = await ctx.factory.apriora();
  let positionId: string | undefined;
  if (jobId !== undefined) {
    const position = await positionOfJob(client, jobId, ctx.signal);
    if (!position) {
      throw new InputError(`No Apriora interview is linked to Tracker job ${jobId}, so there are no invitations to it`, {
        code: 'no_interview',
        hint: `Check the job id (apriora tracker jobs show ${jobId}); an open job gets its interview with: apriora interview generate --job ${jobId}`,
      });
    }
    positionId = position.positionId;
  }
  const { rows, count, streamed } = await collectRows(ctx, client.iterateInvitations({ positionId, email }, undefined, ctx.signal), options.limit);
  // Apriora answers newest first; kept so whatever the order of the pages.
  const invitations = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => (b.row.createdAt ?? 0) - (a.row.createdAt ?? 0) || a.index - b.index)
    .map(({ row }) => row);
  return {
    data: { jobId: jobId ?? null, positionId: positionId ?? null, invitations, count },
    printed: streamed,
    render: () =>
      ctx.out.table(
        [
          { header: 'Invitation', priority: 5, cut: false, value: (i) => i.invitationId },
          { header: 'Position', priority: 1, cut: false, value: (i) => i.positionId },
          { header: 'E-mail', priority: 4, cut: false, value: (i) => i.email },
          { header: 'Status', priority: 4, value: (i) => i.status },
          { header: 'Created', priority: 2, value: (i) => (i.createdAt === null ? null : new Date(i.createdAt * 1000).toISOString().replace('.000Z', 'Z')) },
          { header: 'Interview link', priority: 3, cut: false, value: (i) => i.interviewLink },
        ],
        invitations,
        'No invitations.',
      ),
  };
});
