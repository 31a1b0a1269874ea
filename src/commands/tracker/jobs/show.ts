import { Command, defineCommand, examples } from '../../../cli/command.js';
import { InputError } from '../../../errors.js';

const command = () =>
  new Command('show')
    .description('Show one job')
    .argument('<id>', 'Tracker job (opportunity) id')
    .addHelpText('after', examples('apriora tracker jobs show 3111', 'apriora tracker jobs show 3111 --json'));

export default defineCommand(command, async (_options, ctx, args) => {
  const raw = args[0] ?? '';
  if (!/^\d+$/.test(raw)) throw new InputError(`A Tracker job id is a number, not "${raw}"`, { hint: 'Find ids with `apriora tracker jobs list`.' });
  const { client } = await ctx.factory.tracker();
  const job = await client.getIndividualRecord('O', Number(raw), ctx.signal);
  return {
    data: { job },
    render: async () => {
      const { htmlToText } = await import('../../../workflows/html.js');
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
});
