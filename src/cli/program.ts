import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import type { CommandRun } from './run.js';

/**
 * The whole command tree: names, flags and help only. Each action imports its command module when it runs,
 * so `--help` and `--version` load no command code.
 */
export type Loader = () => Promise<{ default: CommandRun<never> }>;
export type ActionRunner = (load: Loader, options: object, args: string[], command: Command) => Promise<void>;

const example = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

export function positiveInt(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number <= 0) {
    throw new InvalidArgumentError('must be a positive whole number.');
  }
  return number;
}

export function nonNegativeInt(value: string): number {
  return value.trim() === '0' ? 0 : positiveInt(value);
}

export function rate(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError('must be a number from 0 to 1.');
  }
  return number;
}

function trackerLogin(parent: Command) {
  return parent.command('login')
    .description("Verify a customer's Tracker API credentials and keep them in the OS keychain")
    .addOption(new Option('--region <region>', 'Tracker data centre').choices(['us', 'ca', 'uk'] as const))
    .option('--base-url <url>', 'Tracker Widget API base URL (a sandbox or emulator); overrides --region')
    .option('--username <email>', 'API Username issued by Tracker Support')
    .option('--api-key-stdin', 'read the API Key from standard input')
    .option('--password-stdin', 'read the API Password from standard input (after the API Key when both are piped)')
    .option('--sandbox', 'mark this profile as a sandbox: writes need no confirmation')
    .option('--insecure-storage', 'keep the secrets in a 0600 file in the config dir instead of the keychain')
    .option('--rate-limit <perMinute>', 'client-side limit of Tracker requests per minute (default 90)', positiveInt)
    .addHelpText('after', example(
      'apriora tracker login --region us --username api.user@customer.com',
      'printf "%s\\n%s\\n" "$KEY" "$PASS" | apriora tracker login --region uk --username api@acme.com --api-key-stdin --password-stdin',
      'apriora tracker login --base-url http://127.0.0.1:4010 --sandbox',
    ));
}
export type TrackerLoginOptions = ReturnType<ReturnType<typeof trackerLogin>['opts']>;

function trackerStatus(parent: Command) {
  return parent.command('status')
    .description('Show the Tracker connection of the profile and check that the credentials work')
    .addHelpText('after', example('apriora tracker status', 'apriora tracker status --profile acme --json'));
}

function trackerLogout(parent: Command) {
  return parent.command('logout')
    .description("Remove the profile's stored Tracker secrets")
    .addHelpText('after', example('apriora tracker logout --profile acme'));
}

function fieldsList(parent: Command) {
  return parent.command('list')
    .description('List the custom fields (association, id, name, type) and activity types of the database')
    .option('--association <name>', 'only fields of this association (e.g. Activity, Resource)')
    .addHelpText('after', example('apriora tracker fields list', 'apriora tracker fields list --association Activity --json'));
}
export type FieldsListOptions = ReturnType<ReturnType<typeof fieldsList>['opts']>;

function fieldsMap(parent: Command) {
  return parent.command('map')
    .description('Map the "Apriora Interview" activity fields to the customfield ids of this database')
    .option('--overall-score <id>', 'customfield id of "Overall Score"')
    .option('--report-link <id>', 'customfield id of "Report link"')
    .option('--grading-criteria <id>', 'customfield id of "Grading Criteria"')
    .option('--feedback <id>', 'customfield id of "Feedback"')
    .option('--auto', 'pick each field by name without asking; ambiguous or missing fields are an error')
    .option('--activity-type <name>', 'name of the custom activity type', 'Apriora Interview')
    .option('--dry-run', 'show the map without saving it')
    .addHelpText('after', example(
      'apriora tracker fields map',
      'apriora tracker fields map --auto',
      'apriora tracker fields map --overall-score 201 --report-link 202 --grading-criteria 203 --feedback 204',
    ));
}
export type FieldsMapOptions = ReturnType<ReturnType<typeof fieldsMap>['opts']>;

function trackerSupportRequest(parent: Command) {
  return parent.command('support-request')
    .description('Print a ready-to-send request to Tracker Support: API credentials, or the custom activity')
    .argument('<what>', 'credentials | custom-activity')
    .option('--company <name>', 'the customer company named in the request')
    .addHelpText('after', example(
      'apriora tracker support-request credentials --company "Acme Staffing"',
      'apriora tracker support-request custom-activity --company "Acme Staffing" | pbcopy',
    ));
}
export type SupportRequestOptions = ReturnType<ReturnType<typeof trackerSupportRequest>['opts']>;

function jobsList(parent: Command) {
  return parent.command('list')
    .description('List jobs (Tracker opportunities), streaming page after page')
    .addOption(new Option('--state <state>', 'which jobs').choices(['open', 'closed', 'all'] as const).default('open' as const))
    .option('--search <text>', 'only jobs whose name contains this text')
    .option('--updated-after <date>', 'only jobs updated after this date: 2026-11-01, an ISO date-time, or a duration such as 24h or 7d')
    .option('--limit <n>', 'stop after this many jobs', positiveInt)
    .option('--page-size <n>', 'records per Tracker request (default 100)', positiveInt)
    .addHelpText('after', example(
      'apriora tracker jobs list',
      'apriora tracker jobs list --state all --search nurse --limit 20',
      'apriora tracker jobs list --updated-after 2026-11-01 --output ndjson',
    ));
}
export type JobsListOptions = ReturnType<ReturnType<typeof jobsList>['opts']>;

function jobsShow(parent: Command) {
  return parent.command('show')
    .description('Show one job')
    .argument('<id>', 'Tracker job (opportunity) id')
    .addHelpText('after', example('apriora tracker jobs show 3111', 'apriora tracker jobs show 3111 --json'));
}

// The sandbox's default address (SANDBOX_DEFAULT_ADDRESS) is spelled out in the two sandbox commands below rather
// than imported, so that `--help` loads no sandbox code; a unit test keeps the two in step.
function sandboxStart(parent: Command) {
  return parent.command('start')
    .description('Serve a local emulator of the Tracker API for demos, tests and CI')
    .option('--port <n>', 'port to listen on (0 picks a free one)', nonNegativeInt, 4010)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <file>', 'JSON seed file (jobs, candidates, settings)')
    .option('--jobs <n>', 'number of generated jobs when no seed file is given', positiveInt)
    .option('--latency <ms>', 'delay every answer by this many milliseconds', nonNegativeInt)
    .option('--fail-rate <r>', 'probability (0-1) that a request meets an injected fault', rate)
    .option('--faults <kinds>', 'comma-separated fault kinds for --fail-rate: 5xx,429,reset,after-commit', '5xx,429,reset')
    .option('--rate-limit <perMinute>', 'Tracker answers 429 beyond this many requests per minute', positiveInt)
    .addHelpText('after', example(
      'apriora sandbox start',
      'apriora sandbox start --port 0 --json',
      'apriora sandbox start --latency 50 --fail-rate 0.1 --faults 5xx,429,reset,after-commit',
    ));
}
export type SandboxStartOptions = ReturnType<ReturnType<typeof sandboxStart>['opts']>;

/** `onUsageError` receives commander's message; exitOverride makes parse errors throw instead of exiting. */
function aprioraLogin(parent: Command) {
  return parent.command('login')
    .description('Verify an Apriora API key and keep it in the OS keychain')
    .option('--api-key-stdin', 'read the API key from standard input')
    .option('--base-url <url>', 'Apriora API base URL (a sandbox or emulator)')
    .addOption(new Option('--modality <modality>', 'default interview modality of this profile').choices(['phone', 'video'] as const))
    .option('--sandbox', 'mark this profile as a sandbox: writes need no confirmation')
    .option('--insecure-storage', 'keep the key in a 0600 file in the config dir instead of the keychain')
    .addHelpText('after', example(
      'apriora login',
      'printf "%s\\n" "$APRIORA_KEY" | apriora login --api-key-stdin --modality video',
    ));
}
export type AprioraLoginOptions = ReturnType<ReturnType<typeof aprioraLogin>['opts']>;

function trackerConnect(parent: Command) {
  return parent.command('connect')
    .description("Send the profile's Tracker credentials and field map to Apriora's Tracker integration")
    .option('--dry-run', 'show what would be sent (secrets masked) without sending it')
    .addHelpText('after', example('apriora tracker connect --dry-run', 'apriora tracker connect --profile acme --yes'));
}
export type TrackerConnectOptions = ReturnType<ReturnType<typeof trackerConnect>['opts']>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function interviewGenerate(parent: Command) {
  return parent.command('generate')
    .description('Create the Apriora interview (position) of each Tracker job: one per job, never duplicated')
    .option('--job <id>', 'Tracker job id (repeatable)', collect)
    .option('--jobs-file <path>', 'file with one job id per line, or a CSV with a job_id column ("-" for stdin)')
    .option('--all-open', 'every open job of the Tracker database')
    .option('--updated-after <date>', 'with --all-open: only jobs updated after this date (2026-11-01, ISO, 24h, 7d)')
    .addOption(new Option('--modality <modality>', 'phone or video (default: the profile\'s)').choices(['phone', 'video'] as const))
    .option('--template <nameOrId>', 'Apriora interview template, by name or id')
    .option('--notes <text>', 'notes for the interview design')
    .option('--update', 'refresh the title and description of interviews that exist')
    .option('--dry-run', 'show what would be created or updated, without writing')
    .option('--concurrency <n>', 'jobs processed at once', positiveInt, 4)
    .addHelpText('after', example(
      'apriora interview generate --job 3101 --modality phone',
      'apriora interview generate --jobs-file jobs.csv --template "Nurse phone screen"',
      'apriora interview generate --all-open --updated-after 7d --output ndjson',
    ));
}
export type InterviewGenerateOptions = ReturnType<ReturnType<typeof interviewGenerate>['opts']>;

function interviewList(parent: Command) {
  return parent.command('list')
    .description('List the Apriora interviews linked to Tracker jobs')
    .option('--job <id>', 'only the interview of this Tracker job')
    .option('--limit <n>', 'stop after this many', positiveInt)
    .addHelpText('after', example('apriora interview list', 'apriora interview list --job 3101 --json'));
}
export type InterviewListOptions = ReturnType<ReturnType<typeof interviewList>['opts']>;

function interviewShow(parent: Command) {
  return parent.command('show')
    .description('Show one Apriora interview, by position id or by Tracker job')
    .argument('[positionId]', 'Apriora position id')
    .option('--job <id>', 'the interview linked to this Tracker job')
    .addHelpText('after', example('apriora interview show pos_12', 'apriora interview show --job 3101'));
}
export type InterviewShowOptions = ReturnType<ReturnType<typeof interviewShow>['opts']>;

function activityPush(parent: Command) {
  return parent.command('push')
    .description('Write completed interview results into Tracker as "Apriora Interview" activities (one per report)')
    .option('--report <id>', 'Apriora report id (repeatable)', collect)
    .option('--job <trackerJobId>', 'every report of the interview linked to this Tracker job')
    .option('--since <when>', 'every report of Tracker-linked interviews completed since (ISO date, 24h, 7d)')
    .option('--candidate <email>', "every report of this candidate")
    .option('--dry-run', 'show what would be created, updated or skipped, without writing')
    .option('--concurrency <n>', 'reports processed at once', positiveInt, 4)
    .addHelpText('after', example(
      'apriora activity push --report rep_12',
      'apriora activity push --job 3101',
      'apriora activity push --since 24h --output ndjson',
    ));
}
export type ActivityPushOptions = ReturnType<ReturnType<typeof activityPush>['opts']>;

function activityListen(parent: Command) {
  return parent.command('listen')
    .description('Receive Apriora session.completed webhooks and push each result into Tracker as it arrives')
    .option('--port <n>', 'port to listen on', nonNegativeInt, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--path <path>', 'URL path of the webhook', '/webhooks/apriora')
    .option('--secret-stdin', 'read the webhook signing secret from standard input (else APRIORA_WEBHOOK_SECRET)')
    .option('--insecure-no-verify', 'accept unsigned deliveries (local testing only)')
    .option('--concurrency <n>', 'deliveries pushed at once', positiveInt, 4)
    .addHelpText('after', example(
      'APRIORA_WEBHOOK_SECRET=… apriora activity listen --port 8787',
      'apriora activity listen --json   # one JSON line per event',
    ));
}
export type ActivityListenOptions = ReturnType<ReturnType<typeof activityListen>['opts']>;

function sandboxComplete(parent: Command) {
  return parent.command('complete')
    .description('Simulate a candidate completing an interview in a running sandbox (creates the report)')
    .requiredOption('--position <id>', 'Apriora position id')
    .requiredOption('--email <email>', "the candidate's e-mail")
    .option('--first-name <name>', "the candidate's first name")
    .option('--last-name <name>', "the candidate's last name")
    .option('--sandbox-url <url>', 'the running sandbox', 'http://127.0.0.1:4010')
    .option('--webhook-url <url>', 'also deliver the signed session.completed webhook to this URL')
    .addHelpText('after', example(
      'apriora sandbox complete --position pos_1 --email ada@example.com',
      'APRIORA_WEBHOOK_SECRET=s3cret apriora sandbox complete --position pos_1 --email ada@example.com --webhook-url http://127.0.0.1:8787/webhooks/apriora',
    ));
}
export type SandboxCompleteOptions = ReturnType<ReturnType<typeof sandboxComplete>['opts']>;

export function buildProgram(version: string, runAction: ActionRunner, onUsageError: (message: string) => void): Command {
  const program = new Command('apriora')
    .description("Connect a customer's Tracker RMS database with Apriora's AI interviews")
    .version(version, '-v, --version', 'print the version')
    .option('-p, --profile <name>', 'profile (one per customer); env APRIORA_PROFILE')
    .option('--json', 'print one JSON document on stdout')
    .option('-o, --output <format>', 'table | json | ndjson')
    .option('--no-color', 'disable colour')
    .option('--debug', 'trace HTTP requests on stderr (secrets redacted); env APRIORA_DEBUG=1')
    .option('--no-input', 'never prompt; missing values are an error')
    .option('-y, --yes', 'do not ask for confirmation')
    .exitOverride()
    .configureOutput({ outputError: onUsageError })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText('after', example(
      'apriora tracker login --region us',
      'apriora tracker fields map --auto',
      'apriora login',
      'apriora tracker connect',
      'apriora interview generate --all-open --modality phone',
      'apriora sandbox start',
    ));

  const action = (load: Loader) => async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const options = args.at(-2) as object;
    await runAction(load, options, args.slice(0, -2) as string[], command);
  };

  aprioraLogin(program).action(action(() => import('../commands/login.js')));
  program.command('logout').description("Remove the profile's stored Apriora API key")
    .addHelpText('after', example('apriora logout --profile acme'))
    .action(action(() => import('../commands/logout.js')));
  program.command('status').description('Both connections of the profile at a glance: Tracker and Apriora')
    .addHelpText('after', example('apriora status', 'apriora status --profile acme --json'))
    .action(action(() => import('../commands/status.js')));

  const tracker = program.command('tracker').description('Tracker RMS: credentials, custom fields, jobs');
  trackerLogin(tracker).action(action(() => import('../commands/tracker/login.js')));
  trackerStatus(tracker).action(action(() => import('../commands/tracker/status.js')));
  trackerLogout(tracker).action(action(() => import('../commands/tracker/logout.js')));
  trackerSupportRequest(tracker).action(action(() => import('../commands/tracker/support-request.js')));

  trackerConnect(tracker).action(action(() => import('../commands/tracker/connect.js')));

  const fields = tracker.command('fields').description('Custom fields of the "Apriora Interview" activity');
  fieldsList(fields).action(action(() => import('../commands/tracker/fields-list.js')));
  fieldsMap(fields).action(action(() => import('../commands/tracker/fields-map.js')));

  const jobs = tracker.command('jobs').description('Jobs (Tracker opportunities)');
  jobsList(jobs).action(action(() => import('../commands/tracker/jobs-list.js')));
  jobsShow(jobs).action(action(() => import('../commands/tracker/jobs-show.js')));

  const interview = program.command('interview').description('Apriora interviews built from Tracker jobs');
  interviewGenerate(interview).action(action(() => import('../commands/interview/generate.js')));
  interviewList(interview).action(action(() => import('../commands/interview/list.js')));
  interviewShow(interview).action(action(() => import('../commands/interview/show.js')));

  const activity = program.command('activity').description('Interview results written into Tracker as activities');
  activityPush(activity).action(action(() => import('../commands/activity/push.js')));
  activityListen(activity).action(action(() => import('../commands/activity/listen.js')));

  const sandbox = program.command('sandbox').description('Local emulators of the Tracker and Apriora APIs');
  sandboxStart(sandbox).action(action(() => import('../commands/sandbox/start.js')));
  sandboxComplete(sandbox).action(action(() => import('../commands/sandbox/complete.js')));

  return program;
}
