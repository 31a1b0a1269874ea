import { Command, defineCommand, examples } from '../../cli/command.js';

const command = () =>
  new Command('disable')
    .description("Switch off one of Apriora's automations (its other settings are kept)")
    .argument('<automation>', 'invites | interviews')
    .option('--dry-run', 'show the change without sending it')
    .addHelpText('after', examples('apriora automations disable invites', 'apriora automations disable interviews --dry-run'));

export default defineCommand(command, async (options, ctx, [kind]) => {
  const [settings, { applyAutomationChange }] = await Promise.all([import('../../workflows/automation-settings.js'), import('../../cli/automation-change.js')]);
  const automation = settings.parseAutomationKind(kind, 'apriora automations disable');
  const apriora = await ctx.factory.apriora();
  const dryRun = Boolean(options.dryRun);
  const sandbox = Boolean(apriora.profile?.sandbox);
  if (automation === 'invites') {
    const before = (await apriora.client.getAutomations(ctx.signal)).invites;
    const after = { ...structuredClone(before), enabled: false };
    return applyAutomationChange(ctx, {
      apriora: apriora.client,
      name: 'invites',
      label: 'invitation',
      before,
      after,
      changes: settings.invitesChanges(before, after),
      fields: settings.invitesFields,
      dryRun,
      sandbox,
    });
  }
  const [templates, automations] = await Promise.all([apriora.client.listTemplates(ctx.signal), apriora.client.getAutomations(ctx.signal)]);
  const before = automations.interviewCreation;
  const after = { ...structuredClone(before), enabled: false };
  return applyAutomationChange(ctx, {
    apriora: apriora.client,
    name: 'interviewCreation',
    label: 'interview creation',
    before,
    after,
    changes: settings.interviewsChanges(before, after, templates),
    fields: (saved) => settings.interviewsFields(saved, templates),
    dryRun,
    sandbox,
  });
});
