import type { AprioraClient } from '../apriora/client.js';
import type { Automations, InterviewCreationAutomation, InvitesAutomation, Template } from '../apriora/partner.js';
import type { FieldChange } from '../workflows/automation-settings.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';

/**
 * The end of `automations enable|disable`: the change against what Apriora holds (before → after per field), a
 * question on a terminal (not with --yes or a sandbox profile), nothing sent with --dry-run, else the PATCH and what
 * Apriora saved, read back.
 */
async function applyAutomationChange<K extends keyof Automations>(
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
  const { confirm, declined } = await import('./prompt.js');
  const { saveAutomation } = await import('../workflows/automation-settings.js');
  const changed = input.changes.some((change) => change.changed);
  const renderChanges = async (out = ctx.out) => {
    await out.table(
      [
        { header: 'Setting', priority: 5, value: (change: FieldChange) => change.field },
        { header: 'Apriora holds', priority: 3, value: (change: FieldChange) => change.before },
        { header: 'After', priority: 4, value: (change: FieldChange) => (change.changed ? out.colors.bold(change.after) : out.colors.dim('unchanged')) },
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
    const count = input.changes.filter((change) => change.changed).length;
    const what = `${count} changed ${input.label} setting${count === 1 ? '' : 's'}`;
    if (!(await confirm(ctx, `Save ${what} in Apriora's Tracker integration for profile "${ctx.profileName}"?`, true))) {
      return declined(ctx);
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

interface ChangeInput<T> {
  apriora: AprioraClient;
  before: T;
  after: T;
  dryRun: boolean;
  sandbox: boolean;
}

/** A change of the invitation automation, shown, asked, sent and read back. */
export async function applyInvitesChange(ctx: Context, input: ChangeInput<InvitesAutomation>): Promise<CommandResult> {
  const { invitesChanges, invitesFields } = await import('../workflows/automation-settings.js');
  return applyAutomationChange(ctx, {
    ...input,
    name: 'invites',
    label: 'invitation',
    changes: invitesChanges(input.before, input.after),
    fields: invitesFields,
  });
}

/** A change of the interview creation automation (the templates name the template in what is shown). */
export async function applyInterviewsChange(ctx: Context, input: ChangeInput<InterviewCreationAutomation> & { templates: Template[] }): Promise<CommandResult> {
  const { interviewsChanges, interviewsFields } = await import('../workflows/automation-settings.js');
  const { templates, ...change } = input;
  return applyAutomationChange(ctx, {
    ...change,
    name: 'interviewCreation',
    label: 'interview creation',
    changes: interviewsChanges(input.before, input.after, templates),
    fields: (saved) => interviewsFields(saved, templates),
  });
}
