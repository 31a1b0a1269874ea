import { Command, collect, defineCommand, examples, Option } from '../../../cli/command.js';
import { InputError } from '../../../errors.js';

const command = () =>
  new Command('interviews')
    .description("Switch on Apriora's automatic interview creation for new open Tracker jobs, and tune it")
    .addOption(new Option('--modality <modality>', 'phone or video interviews').choices(['phone', 'video'] as const))
    .option('--template <nameOrId>', 'the Apriora template the interviews start from (its name or id; "none" for none)')
    .option('--filter <rule>', 'a rule the jobs meet, e.g. "job.type != Temp" (repeatable; replaces the held filters)', collect)
    .option('--no-filters', 'remove every filter')
    .option('--dry-run', 'show the change without sending it')
    .addHelpText(
      'after',
      `${examples(
        'apriora automations enable interviews',
        'apriora automations enable interviews --modality phone --template "Standard phone screen"',
        'apriora automations enable interviews --filter "job.location != Remote" --filter "job.type in [Permanent, Contract]" --dry-run',
      )}
Filters: <field> <operator> <value>. Fields: job.title, job.location, job.type, job.client, job.status.
Operators: = != ~ (contains) !~ (does not contain) in [a, b] "not in" [a, b]; text compares ignoring case.
Flags not given keep what Apriora holds.
`,
    );

export default defineCommand(command, async (options, ctx) => {
  const [{ parseRule }, settings, { applyInterviewsChange }] = await Promise.all([
    import('../../../workflows/automation-rules.js'),
    import('../../../workflows/automation-settings.js'),
    import('../../../cli/automation-change.js'),
  ]);
  if (options.filters === false && options.filter) throw new InputError('--filter and --no-filters cannot be used together');
  const filters = options.filters === false ? [] : options.filter?.map((rule) => parseRule(rule, 'interviews', '--filter'));
  const template = options.template?.trim();
  if (template === '') throw new InputError('--template must not be empty: give a template name or id, or none');

  const apriora = await ctx.factory.apriora();
  const templates = await apriora.client.listTemplates(ctx.signal);
  const templateId =
    template === undefined ? undefined : template.toLowerCase() === 'none' ? null : settings.findTemplate(templates, template, '--template').templateId;
  const before = (await apriora.client.getAutomations(ctx.signal)).interviewCreation;
  const after = settings.changedInterviews(before, { enabled: true, modality: options.modality, templateId, filters });
  // A template given without --modality brings its own modality.
  if (templateId && options.modality === undefined) after.modality = templates.find((t) => t.templateId === templateId)!.modality;
  settings.checkTemplateModality(after, templates, options.modality !== undefined);
  return applyInterviewsChange(ctx, {
    apriora: apriora.client,
    before,
    after,
    templates,
    dryRun: Boolean(options.dryRun),
    sandbox: Boolean(apriora.profile?.sandbox),
  });
});
