import { Command, defineCommand, examples } from '../../../cli/command.js';

const command = () =>
  new Command('list')
    .description('List the custom fields (association, id, name, type) and activity types of the database')
    .option('--association <name>', 'only fields of this association (e.g. Activity, Resource)')
    .addHelpText('after', examples('apriora tracker fields list', 'apriora tracker fields list --association Activity --json'));

export default defineCommand(command, async (options, ctx) => {
  const { fieldSummary } = await import('../../../workflows/field-map.js');
  const { client } = await ctx.factory.tracker();
  const settings = await client.getSettingsData(ctx.signal);
  const wanted = options.association?.trim().toLowerCase();
  const fields = settings.customFields.filter((field) => !wanted || field.Association.toLowerCase() === wanted).map(fieldSummary);
  const activityTypes = settings.taskTypes.map((type) => ({ id: type.Id, name: type.Name }));
  if (wanted && fields.length === 0) {
    const known = [...new Set(settings.customFields.map((field) => field.Association))].join(', ');
    ctx.warn(`No custom fields of association "${options.association}"; the database has: ${known || 'none'}`);
  }
  return {
    data: { customFields: fields, activityTypes },
    render: async () => {
      ctx.out.line(ctx.out.colors.bold('Custom fields'));
      await ctx.out.table(
        [
          { header: 'Association', priority: 1, value: (f) => f.association },
          { header: 'Id', priority: 5, cut: false, value: (f) => f.id },
          { header: 'Name', priority: 4, value: (f) => f.name },
          { header: 'Type', priority: 3, value: (f) => f.type },
        ],
        fields,
        'No custom fields.',
      );
      ctx.out.line();
      ctx.out.line(ctx.out.colors.bold('Activity types'));
      await ctx.out.table(
        [
          { header: 'Id', priority: 5, cut: false, value: (t) => t.id },
          { header: 'Name', priority: 4, value: (t) => t.name },
        ],
        activityTypes,
        'No activity types.',
      );
    },
  };
});
