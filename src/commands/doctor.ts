import { Command, defineCommand, examples } from '../cli/command.js';

const command = () =>
  new Command('doctor').description('Check everything the profile needs, read-only: each check ok, warning or failed, with the fix').addHelpText(
    'after',
    `
Checks (ids in --json): tracker.credentials, tracker.host, tracker.logon, tracker.rest (the REST
API token: a usable cached session token is tried and kept; without one, or when Tracker
refuses it, the token is exchanged and the new session token cached for the next commands, as
any command does), tracker.activityType, tracker.fields, apriora.key, apriora.integration
(same username, activity type and fields as here), apriora.automations (Apriora's automations
against a local runner), keychain, clock (this machine against Apriora's Date, which webhook
signatures depend on: a warning beyond 60 s, a failure beyond 300 s; Tracker's alone off is a
warning), webhooks.secret (when a listener has run for the profile). A check that
needs a failed one is skipped. Nothing is written to Tracker, Apriora, the profile or the
secret store.

Each request gives up after 10 s and is retried once at most; the whole run stops after 25 s
(what is still under way then fails with its fix).

Exit codes: 0 when nothing failed (warnings are fine); otherwise checks_failed with the exit
code of the first failed check: 2 setup missing (field map, activity type, integration, clock),
4 credentials missing or refused (keychain too), 5 a service that does not answer. Never 1.
${examples('apriora doctor', 'apriora doctor --profile acme --json')}`,
  );

/** `apriora doctor`: every read-only check of the profile, run at once; the first failure's exit code. */
export default defineCommand(command, async (_options, ctx) => {
  const [{ runDoctor, renderDoctor, doctorFailure }, { notLoggedIn }] = await Promise.all([
    import('../cli/doctor-run.js'),
    import('../workflows/connections.js'),
  ]);
  const report = await runDoctor(ctx);
  let error = doctorFailure(report);
  // A profile that does not exist while others do (a typo): the error says so and names them, as `status` does.
  const profile = await ctx.factory.profile();
  const notLogged = report.checks.some((check) => check.code === 'not_logged_in');
  const known = error && !profile && notLogged ? (await ctx.factory.profiles()).list() : [];
  if (known.length > 0) error = notLoggedIn(['tracker', 'apriora'], ctx.profileName, profile, known);
  return { data: report, error, render: () => renderDoctor(ctx.out, report) };
});
