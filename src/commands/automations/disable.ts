import { Command, defineCommand, examples } from '../../cli/command.js';

const command = () =>
  new Command('disable')
    .description("Switch off one of Apriora's automations (its other settings are kept)")
    .argument('<automation>', 'invites | interviews')
    .option('--dry-run', 'show the change without sending it')
    .addHelpText('after', examples('apriora automations disable invites', 'apriora automations disable interviews --dry-run'));

export default defineCommand(command, async (options, ctx, [kind]) => {
  const [{ parseAutomationKind }, { applyInvitesChange, applyInterviewsChange }] = await Promise.all([
    import('../../workflows/automation-settings.js'),
    import('../../cli/automation-change.js'),
  ]);
  const automation = parseAutomationKind(kind, 'apriora automations disable');
  const apriora = await ctx.factory.apriora();
  const change = { apriora: apriora.client, dryRun: Boolean(options.dryRun), sandbox: Boolean(apriora.profile?.sandbox) };
  if (automation === 'invites') {
    const before = (await apriora.client.getAutomations(ctx.signal)).invites;
    return applyInvitesChange(ctx, { ...change, before, after: { ...structuredClone(before), enabled: false } });
  }
  const [templates, automations] = await Promise.all([apriora.client.listTemplates(ctx.signal), apriora.client.getAutomations(ctx.signal)]);
  const before = automations.interviewCreation;
  return applyInterviewsChange(ctx, { ...change, before, after: { ...structuredClone(before), enabled: false }, templates });
});
