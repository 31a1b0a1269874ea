import { Command, defineCommand, examples } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import type { AutomationState } from '../../store/automation-state.js';

const command = () =>
  new Command('status')
    .description("Show Apriora's automations for Tracker as Apriora holds them, and the state of this machine's runner")
    .addHelpText('after', examples('apriora automations status', 'apriora automations status --json'));

export default defineCommand(command, async (_options, ctx) => {
  const settings = await import('../../workflows/automation-settings.js');
  const apriora = await ctx.factory.apriora();
  const [automations, templates] = await Promise.all([apriora.client.getAutomations(ctx.signal), apriora.client.listTemplates(ctx.signal)]);
  const runner = await runnerState(ctx);
  const apriorasOwn = [automations.invites.enabled && 'invitations', automations.interviewCreation.enabled && 'interview creation'].filter(
    (name): name is string => Boolean(name),
  );
  return {
    data: {
      profile: ctx.profileName,
      automations,
      // Apriora runs an enabled automation itself: a local runner would act alongside it.
      aprioraRuns: { invites: automations.invites.enabled, interviews: automations.interviewCreation.enabled },
      runner,
    },
    render: () => {
      const { out } = ctx;
      out.line(out.colors.bold('Invitations (Apriora)'));
      out.fields(settings.invitesFields(automations.invites));
      out.line();
      out.line(out.colors.bold('Interview creation (Apriora)'));
      out.fields(settings.interviewsFields(automations.interviewCreation, templates));
      out.line();
      if (apriorasOwn.length) {
        out.line(
          `Apriora runs ${apriorasOwn.join(' and ')} itself while enabled: a local \`apriora automations run\` would act alongside it (Apriora's already_invited keeps an invitation to one).`,
        );
        out.line();
      }
      renderRunner(ctx, runner);
    },
  };
});

// ---------------------------------------------------------------------------------------------------------------
// The local runner's state (`apriora automations run`), read from the profile's data dir.

type RunnerState =
  | { path: string; ran: false }
  | { path: string; ran: true; corrupt: string }
  | ({ path: string; ran: true; corrupt?: undefined } & AutomationState);

async function runnerState(ctx: Context): Promise<RunnerState> {
  const [{ dataDir }, { automationStatePath, readAutomationState }] = await Promise.all([
    import('../../store/paths.js'),
    import('../../store/automation-state.js'),
  ]);
  const path = automationStatePath(dataDir(ctx.env), ctx.profileName);
  const read = readAutomationState(path);
  if (read.status === 'missing') return { path, ran: false };
  if (read.status === 'corrupt') return { path, ran: true, corrupt: read.reason };
  return { path, ran: true, ...read.state };
}

function renderRunner(ctx: Context, runner: RunnerState): void {
  const { out } = ctx;
  out.line(out.colors.bold('Local runner (apriora automations run)'));
  if (!runner.ran) {
    out.fields([['State', 'never run on this machine for this profile']]);
    return;
  }
  if (runner.corrupt !== undefined) {
    out.fields([
      ['State', `unreadable (${runner.corrupt}): the next run starts over with a full scan`],
      ['State file', runner.path],
    ]);
    return;
  }
  const cycle = runner.lastCycle;
  out.fields([
    ['Last cycle', cycle ? `${cycle.startedAt}${cycle.finishedAt === null ? ' (did not finish)' : ` to ${cycle.finishedAt}`}` : 'none'],
    ['Invited / created / skipped / failed', cycle ? `${cycle.invited} / ${cycle.created} / ${cycle.skipped} / ${cycle.failed}` : null],
    ['Last application seen', runner.applicants.lastApplicationId],
    ['Last full applicant scan', runner.applicants.lastFullScanAt],
    ['Jobs checked up to', runner.jobs.lastCycleAt],
    ['Next run', runner.nextRunAt],
    ['State file', runner.path],
  ]);
}
