import { connectTracker } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../cli/run.js';
import { InputError } from '../../errors.js';

export default async function jobsShow(_options: object, ctx: Context, args: string[]): Promise<CommandResult> {
  const raw = args[0] ?? '';
  if (!/^\d+$/.test(raw)) throw new InputError(`A Tracker job id is a number, not "${raw}"`, { hint: 'Find ids with `apriora tracker jobs list`.' });
  const { client } = await connectTracker(ctx);
  const job = await client.getIndividualRecord('O', Number(raw), ctx.signal);
  return {
    data: { job },
    render: async () => {
      const { htmlToText } = await import('../../workflows/html.js');
      ctx.out.fields([
        ['Id', job.id],
        ['Name', job.name],
        ['Client', job.clientname],
        ['Contact', job.contactname],
        ['Status', job.status],
        ['Type', job.type],
        ['Location', job.location || [job.city, job.state].filter(Boolean).join(', ')],
        ['Pay rate', job.salarypayrate],
        ['Start', job.startdate],
        ['End', job.enddate],
        ['Shortlisted', job.shortlisted],
      ]);
      const description = htmlToText(job.description);
      if (description) {
        ctx.out.line();
        ctx.out.line(description);
      }
    },
  };
}
