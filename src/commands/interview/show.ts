import { connectApriora } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import { parseJobId } from '../../cli/jobs-input.js';
import type { InterviewShowOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { InputError, NotFoundError } from '../../errors.js';

export default async function show(options: InterviewShowOptions, ctx: Context, args: string[]): Promise<CommandResult> {
  const positionId = args[0];
  if (Boolean(positionId) === Boolean(options.job)) {
    throw new InputError('Give a position id or --job ID (one of them)', { hint: 'apriora interview show pos_12 | apriora interview show --job 3101' });
  }
  const { client } = await connectApriora(ctx);
  let position;
  if (positionId) {
    position = await client.getPosition(positionId, ctx.signal);
  } else {
    const jobId = parseJobId(options.job!, '--job');
    [position] = await client.listPositions({ externalSource: 'tracker', externalId: String(jobId), limit: 1 }, ctx.signal);
    if (!position) {
      throw new NotFoundError(`No Apriora interview is linked to Tracker job ${jobId}`, {
        hint: `apriora interview generate --job ${jobId}`,
      });
    }
  }
  return {
    data: { interview: position },
    render: () => ctx.out.fields([
      ['Position', position.positionId],
      ['Title', position.title],
      ['Modality', position.modality],
      ['Status', position.status],
      ['Tracker job', position.externalSource === 'tracker' ? position.externalId : null],
      ['Interview URL', position.interviewUrl],
      ['Created', position.createdAt ? new Date(position.createdAt * 1000).toISOString() : null],
    ]),
  };
}
