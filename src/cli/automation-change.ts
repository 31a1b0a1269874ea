import type { AprioraClient } from '../apriora/client.js';
import type { Automations } from '../apriora/partner.js';
import { InterruptedError } from '../errors.js';
import type { FieldChange } from '../workflows/automation-settings.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';

/**
 * The end of `automations enable|disable`: the change against what Apriora holds (before → after per field), a
 * question on a terminal (not with --yes or a sandbox profile), nothing sent with --dry-run, else the PATCH and what
 * Apriora saved, read back.
 */
export async function applyAutomationChange<K extends keyof Automations>(
  ctx: Context,
  input: {
    apriora: AprioraClient;
    name: K;
    /** "invitations" / "interview creation", for the question and the summary. */
    label: string;
    before: Automations[K];
    after: Automations[K];
    changes: FieldChange[];
    /** The saved settings as lines, for the read-back. */
    fields: (settings: Automations[K]) => [string, string][];
    dryRun: boolean;
    sandbox: boolean;
  },
): Promise<CommandResult> {
  const { confirm } = await import('./prompt.js');
  const { saveAutomation } = await import('../workflows/automation-settings.js');
  const changed = input.changes.some((change) => change.changed);
  const renderChanges = async (out = ctx.out) => {
    await out.table(
      [
        { header: 'Setting', value: (change: FieldChange) => change.field },
        { header: 'Apriora holds', value: (change: FieldChange) => change.before },
        { header: 'After', value: (change: FieldChange) => (change.changed ? out.colors.bold(change.after) : out.colors.dim('unchanged')) },
      ],
      input.changes,
    );
  };
  const base = { automation: input.name, dryRun: input.dryRun, changes: input.changes, before: input.before, after: input.after };
  if (!changed) {
    return {
      data: { ...base, sent: false, saved: input.before },
      render: async () => {
        await renderChanges();
        ctx.out.line(ctx.out.colors.dim(`Apriora already holds these ${input.label} settings: nothing sent.`));
      },
    };
  }
  if (input.dryRun) {
    return {
      data: { ...base, sent: false, saved: null },
      render: async () => {
        await renderChanges();
        ctx.out.line(ctx.out.colors.dim('Dry run: nothing sent to Apriora.'));
      },
    };
  }
  let shown = false;
  if (ctx.interactive && !ctx.yes && !input.sandbox) {
    await renderChanges(ctx.preview);
    shown = true;
    if (!(await confirm(ctx, `Save these ${input.label} settings in Apriora's Tracker integration (profile "${ctx.profileName}")?`, true))) {
      throw new InterruptedError('Nothing sent');
    }
  }
  const { saved, differs } = await saveAutomation(input.apriora, input.name, input.after, ctx.signal);
  if (differs) ctx.warn(`Apriora saved other ${input.label} settings than those sent: see what it holds below`);
  return {
    data: { ...base, sent: true, saved },
    render: async () => {
      if (!shown) await renderChanges();
      ctx.out.line(`${ctx.out.colors.green('✓')} Apriora saved the ${input.label} settings; it now holds:`);
      ctx.out.fields(input.fields(saved));
    },
  };
}
