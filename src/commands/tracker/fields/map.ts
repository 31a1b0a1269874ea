import { Command, defineCommand, examples } from '../../../cli/command.js';
import { InputError } from '../../../errors.js';

const command = () =>
  new Command('map')
    .description('Map the "Apriora Interview" activity fields to the customfield ids of this database')
    .option('--overall-score <id>', 'customfield id of "Overall Score"')
    .option('--report-link <id>', 'customfield id of "Report link"')
    .option('--grading-criteria <id>', 'customfield id of "Grading Criteria"')
    .option('--feedback <id>', 'customfield id of "Feedback"')
    .option('--auto', 'pick each field by name without asking; ambiguous or missing fields are an error')
    .option('--activity-type <name>', 'name of the custom activity type', 'Apriora Interview')
    .option('--dry-run', 'show the map without saving it')
    .addHelpText(
      'after',
      examples(
        'apriora tracker fields map',
        'apriora tracker fields map --auto',
        'apriora tracker fields map --overall-score 201 --report-link 202 --grading-criteria 203 --feedback 204',
      ),
    );

const SUPPORT_HINT = 'Ask Tracker Support to create it: `apriora tracker support-request custom-activity` prints the request.';

export default defineCommand(command, async (options, ctx) => {
  const { confirm, declined } = await import('../../../cli/prompt.js');
  const { findActivityType } = await import('../../../workflows/field-map.js');
  const { explicitFieldIds, pickFieldMap, renderFieldMap, saveFieldMap } = await import('../../../cli/field-map-choice.js');
  const { client } = await ctx.factory.tracker();
  const settings = await client.getSettingsData(ctx.signal);

  const activityType = findActivityType(settings, options.activityType);
  if (!activityType.found && activityType.known) {
    throw new InputError(`This Tracker database has no activity type "${options.activityType}"`, {
      code: 'activity_type_missing',
      hint: `${SUPPORT_HINT} Existing types: ${settings.taskTypes.map((type) => type.Name).join(', ')}.`,
    });
  }
  if (!activityType.known) ctx.warn('Tracker listed no activity types, so the activity type could not be checked');

  const how = options.auto ? 'auto' : ctx.interactive ? 'ask' : 'require';
  const { associations, fields } = await pickFieldMap(ctx, settings, explicitFieldIds(options), how);
  const renderMap = (out = ctx.out) => renderFieldMap(out, fields);

  let saved = false;
  let shown = false;
  if (!options.dryRun) {
    if (ctx.interactive && !options.auto && !ctx.yes) {
      await renderMap(ctx.preview);
      shown = true;
      if (!(await confirm(ctx, `Save this map in profile "${ctx.profileName}"?`, true))) {
        return declined(ctx, 'To give the ids yourself: apriora tracker fields map --overall-score ID --report-link ID --grading-criteria ID --feedback ID');
      }
    }
    await saveFieldMap(ctx, activityType.name, fields);
    saved = true;
  }
  return {
    data: { activityType: activityType.name, activityTypeFound: activityType.found, associations, fields, saved },
    render: async () => {
      if (!shown) await renderMap();
      ctx.out.line(
        saved
          ? `${ctx.out.colors.green('✓')} Saved the field map of activity "${activityType.name}" in profile "${ctx.profileName}"`
          : ctx.out.colors.dim('Dry run: nothing saved.'),
      );
    },
  };
});
