import { connectApriora } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import { parseJobId } from '../../cli/jobs-input.js';
import type { InterviewListOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import type { Position } from '../../apriora/partner.js';

export default async function list(options: InterviewListOptions, ctx: Context): Promise<CommandResult> {
  const externalId = options.job === undefined ? undefined : String(parseJobId(options.job, '--job'));
  const { client } = await connectApriora(ctx);
  const streaming = ctx.mode === 'ndjson';
  const positions: Position[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  for await (const position of client.iteratePositions({ externalSource: 'tracker', externalId }, 100, ctx.signal)) {
    if (streaming) ctx.stdout.write(`${JSON.stringify(position)}\n`);
    else positions.push(position);
    if (++count >= limit) break;
  }
  return {
    data: { interviews: positions, count },
    printed: streaming,
    render: () => ctx.out.table([
      { header: 'Job', value: (p) => p.externalId },
      { header: 'Title', value: (p) => p.title },
      { header: 'Position', value: (p) => p.positionId },
      { header: 'Modality', value: (p) => p.modality },
      { header: 'Status', value: (p) => p.status },
      { header: 'Interview URL', value: (p) => p.interviewUrl },
    ], positions, options.job ? `No interview is linked to Tracker job ${options.job}.` : 'No interviews are linked to Tracker jobs yet.'),
  };
}
