import { Command, defineCommand, examples } from '../../../cli/command.js';
import type { Context } from '../../../cli/context.js';
import { InputError, InterruptedError } from '../../../errors.js';
import type { CustomFieldDef } from '../../../tracker/schemas.js';
import type { FieldKey, FieldProposal } from '../../../workflows/field-map.js';

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

type FieldsMapOptions = ReturnType<ReturnType<typeof command>['opts']>;

const SUPPORT_HINT = 'Ask Tracker Support to create it: `apriora tracker support-request custom-activity` prints the request.';

export default defineCommand(command, async (options, ctx) => {
  const { confirm } = await import('../../../cli/prompt.js');
  const { ACTIVITY_FIELDS, assertDistinct, autoFieldMap, fieldById, fieldSummary, findActivityType, proposeFieldMap } = await import(
    '../../../workflows/field-map.js'
  );
  const { client } = await ctx.factory.tracker();
  const profiles = await ctx.factory.profiles();
  const settings = await client.getSettingsData(ctx.signal);

  const activityType = findActivityType(settings, options.activityType);
  if (!activityType.found && activityType.known) {
    throw new InputError(`This Tracker database has no activity type "${options.activityType}"`, {
      code: 'activity_type_missing',
      hint: `${SUPPORT_HINT} Existing types: ${settings.taskTypes.map((type) => type.Name).join(', ')}.`,
    });
  }
  if (!activityType.known) ctx.warn('Tracker listed no activity types, so the activity type could not be checked');

  const { associations, proposals } = proposeFieldMap(settings.customFields);
  const explicit = explicitIds(options);
  const chosen = {} as Record<FieldKey, CustomFieldDef>;
  for (const target of ACTIVITY_FIELDS) {
    const raw = explicit[target.key];
    if (raw !== undefined) chosen[target.key] = fieldById(settings.customFields, associations, target.label, target.flag, raw);
  }
  const open = proposals.filter((proposal) => !chosen[proposal.key]);
  if (open.length) {
    if (options.auto) Object.assign(chosen, autoFieldMap(open));
    else if (ctx.interactive)
      Object.assign(
        chosen,
        await askFieldMap(
          ctx,
          open.filter((p) => p.candidates.length !== 1),
          settings.customFields,
          associations,
        ),
        sureFields(open),
      );
    else {
      throw new InputError(`No id for ${open.map((p) => `"${p.label}"`).join(', ')}`, {
        code: 'missing_value',
        hint: `Pass --auto to pick the fields by name, or give ${open.map((p) => `${p.flag} ID`).join(' ')}.`,
      });
    }
  }
  assertDistinct(chosen);

  const fields = ACTIVITY_FIELDS.map((target) => ({ key: target.key, label: target.label, ...fieldSummary(chosen[target.key]) }));
  const renderMap = (out = ctx.out) =>
    out.table(
      [
        { header: 'Apriora field', priority: 5, value: (f) => f.label },
        { header: 'Tracker field', priority: 4, value: (f) => f.name },
        { header: 'Id', priority: 3, minWidth: 12, value: (f) => f.id },
        { header: 'Association', priority: 1, value: (f) => f.association },
        { header: 'Type', priority: 2, value: (f) => f.type },
      ],
      fields,
    );

  let saved = false;
  let shown = false;
  if (!options.dryRun) {
    if (ctx.interactive && !options.auto && !ctx.yes) {
      await renderMap(ctx.preview);
      shown = true;
      if (!(await confirm(ctx, `Save this map in profile "${ctx.profileName}"?`, true))) {
        throw new InterruptedError('Nothing saved', {
          hint: 'Give the ids yourself: apriora tracker fields map --overall-score ID --report-link ID --grading-criteria ID --feedback ID',
        });
      }
    }
    profiles.update(ctx.profileName, (profile) => ({
      ...profile,
      tracker: {
        ...profile.tracker,
        activityType: activityType.name,
        fieldMap: Object.fromEntries(fields.map((field) => [field.key, String(field.id)])) as Record<FieldKey, string>,
        // Kept with the map: values are checked against them before anything is written (Text holds 255 characters).
        fieldTypes: Object.fromEntries(fields.map((field) => [field.key, field.type])),
      },
    }));
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

function explicitIds(options: FieldsMapOptions): Partial<Record<FieldKey, string>> {
  return Object.fromEntries(
    Object.entries({
      overallScore: options.overallScore,
      reportLink: options.reportLink,
      gradingCriteria: options.gradingCriteria,
      feedback: options.feedback,
    }).filter(([, value]) => value !== undefined),
  ) as Partial<Record<FieldKey, string>>;
}

/** Fields with exactly one match need no question: the final confirmation shows them. */
function sureFields(open: FieldProposal[]): Partial<Record<FieldKey, CustomFieldDef>> {
  return Object.fromEntries(open.filter((p) => p.candidates.length === 1).map((p) => [p.key, p.candidates[0]!]));
}

/** On a terminal: the proposal first, every activity field as an alternative. */
async function askFieldMap(ctx: Context, open: FieldProposal[], all: CustomFieldDef[], associations: string[]) {
  const { choose } = await import('../../../cli/prompt.js');
  const activityFields = all.filter((field) => associations.includes(field.Association));
  const pool = activityFields.length ? activityFields : all;
  const chosen = {} as Partial<Record<FieldKey, CustomFieldDef>>;
  for (const proposal of open) {
    if (pool.length === 0) {
      throw new InputError('This Tracker database has no activity custom fields', { code: 'fields_missing', hint: SUPPORT_HINT });
    }
    const ordered = [...proposal.candidates, ...pool.filter((field) => !proposal.candidates.includes(field))];
    chosen[proposal.key] = await choose(
      ctx,
      `Tracker field for "${proposal.label}"`,
      ordered.map((field, index) => ({
        name: `${field.Name} (id ${field.Id}, ${field.Association})${index === 0 && proposal.candidates.length ? '  ← proposed' : ''}`,
        value: field,
      })),
      { flag: proposal.flag },
    );
  }
  return chosen;
}
