import { existsSync } from 'node:fs';
import type { AprioraClient } from '../apriora/client.js';
import type { Automations, TrackerIntegration } from '../apriora/partner.js';
import { AuthError } from '../errors.js';
import type { ServerClock } from '../http/client.js';
import { automationStatePath, readAutomationState } from '../store/automation-state.js';
import { accountFor, resolveSecret } from '../store/credentials.js';
import type { Env } from '../store/paths.js';
import type { Profile } from '../store/profiles.js';
import { liveRunner } from '../store/runner-lock.js';
import type { SecretStore } from '../store/secret-store.js';
import type { TrackerClient } from '../tracker/client.js';
import type { TrackerRestClient } from '../tracker/rest.js';
import { restTokenHint } from '../tracker/rest-hosts.js';
import type { SettingsData } from '../tracker/schemas.js';
import { journalPath } from '../webhooks/index.js';
import type { AprioraTarget, TrackerRestTarget, TrackerTarget } from './connections.js';
import { type DoctorCheck, type DoctorReport, fail, failFrom, type Outcome, ok, skip, summarize, warn } from './doctor.js';
import {
  ACTIVITY_FIELDS,
  activityAssociations,
  DEFAULT_ACTIVITY_TYPE,
  type FieldKey,
  fieldFlagName,
  fieldKind,
  findActivityType,
  proposeFieldMap,
  requireFieldMap,
} from './field-map.js';
import { commandFor, correctVariablesHint, loginHint, SECRET_VARIABLES, withRetryHint } from './hints.js';

/**
 * `apriora doctor`: every read-only check of a profile, each independent one started at once. A check that needs
 * another one to pass first is `skip` when it did not. Nothing is written to Tracker or Apriora, nor to the profile or
 * the secret store; the Tracker REST session token is cached only when none was (see TrackerRestClient.probeToken).
 */

export interface DoctorDeps {
  profileName: string;
  profile: Profile | undefined;
  env: Env;
  dataDir: string;
  storeKind: 'keychain' | 'file' | 'env';
  /** The profiles on this machine, named when `profileName` is not one of them (a misspelt --profile). */
  knownProfiles?: string[];
  /** The Tracker side as `status` sees it (rejects when a credential cannot be read, e.g. a locked keychain). */
  tracker: () => Promise<{
    target: TrackerTarget;
    client: TrackerClient | undefined;
    rest: { target: TrackerRestTarget; client: TrackerRestClient | undefined };
  }>;
  apriora: () => Promise<{ target: AprioraTarget; client: AprioraClient | undefined }>;
  secrets: () => Promise<SecretStore>;
  signal: AbortSignal;
  now?: () => number;
}

/** The order of the report, and each check's title. */
export const DOCTOR_CHECKS = [
  ['tracker.credentials', 'Tracker credentials'],
  ['tracker.host', 'Tracker host'],
  ['tracker.logon', 'Tracker logon'],
  ['tracker.rest', 'Tracker REST API token'],
  ['tracker.activityType', 'Activity type'],
  ['tracker.fields', 'Activity fields'],
  ['apriora.key', 'Apriora API key'],
  ['apriora.integration', "Apriora's Tracker integration"],
  ['apriora.automations', 'Automations'],
  ['keychain', 'Keychain'],
  ['clock', 'Clock'],
  ['webhooks.secret', 'Webhook signing secret'],
] as const;

export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number][0];

/**
 * One call through a connection's client, as an outcome: undefined without a client (no credentials) or when the
 * connection could not be built; otherwise whether the call went through, with its error.
 */
async function attempt<Client>(
  connection: Promise<{ client: Client | undefined }>,
  call: (client: Client) => Promise<unknown>,
): Promise<{ ok: true } | { ok: false; error: unknown } | undefined> {
  const built = await connection.catch(() => undefined);
  if (!built?.client) return undefined;
  try {
    await call(built.client);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Clock skew that is worth a warning, and the skew beyond which Apriora's webhook signatures are refused. */
export const CLOCK_WARN_MS = 60_000;
export const CLOCK_FAIL_MS = 300_000;

type Pending = Promise<Outcome>;

export async function runDoctorChecks(deps: DoctorDeps): Promise<DoctorReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { profileName, signal } = deps;
  const guard = (work: () => Pending, fix: string): Pending => {
    try {
      return work().catch((error: unknown) => failFrom(error, fix));
    } catch (error) {
      return Promise.resolve(failFrom(error, fix));
    }
  };
  const envOnly = deps.storeKind === 'env';
  const trackerLogin = loginHint('tracker', profileName, true, envOnly);
  const aprioraLogin = loginHint('apriora', profileName, true, envOnly);

  // Tracker: the credentials, then one logon that says both whether the host answers and whether it accepts them.
  const tracker = deps.tracker();
  tracker.catch(() => {});
  const credentials = guard(async () => trackerCredentialsOutcome(await tracker, profileName, envOnly, noSuchProfile(deps)), trackerLogin);
  const logon = attempt(tracker, (client) => client.checkLogon(signal));
  const host = guard(async () => {
    const { target } = await tracker;
    const where = `${target.baseUrl}${target.region ? ` (region ${target.region})` : ''}`;
    const result = await logon;
    if (!result) return skip(`${where}: not asked without credentials`);
    if (result.ok || result.error instanceof AuthError) return ok(`${where} answers`);
    return failFrom(
      result.error,
      `Check the network and the Tracker URL (${target.baseUrl}); TRACKER_BASE_URL or \`apriora tracker login --base-url\` (or --region) sets it.`,
    );
  }, trackerLogin);
  const logonOutcome = guard(async () => {
    const result = await logon;
    if (!result) return skip('needs the credentials');
    if (result.ok) return ok(`accepted for ${(await tracker).target.username?.value ?? 'the API user'}`);
    if (!(result.error instanceof AuthError)) return skip('Tracker did not answer');
    const { target } = await tracker;
    const fromEnv = target.apiKey?.source === 'env' || target.password?.source === 'env';
    return failFrom(fromEnv ? withRetryHint(result.error, correctVariablesHint(SECRET_VARIABLES.tracker)) : result.error, trackerLogin);
  }, trackerLogin);
  const settings = logon.then(async (result) => {
    if (!result?.ok) return undefined;
    const { client } = await tracker;
    return client!.getSettingsData(signal);
  });
  settings.catch(() => {});
  const activityType = guard(async () => {
    if (!(await logon)?.ok) return skip('needs a Tracker logon');
    return activityTypeOutcome(deps, (await settings)!);
  }, trackerLogin);
  const fields = guard(
    async () => {
      const map = fieldMapOutcome(deps);
      if ('status' in map) return map;
      if (!(await logon)?.ok) return skip('field map set; its fields need a Tracker logon to be checked');
      return fieldsOutcome(deps, map, (await settings)!);
    },
    commandFor('apriora tracker fields map', profileName),
  );
  const rest = guard(async () => restOutcome(await tracker, profileName, signal, envOnly), restTokenHint(profileName, envOnly));

  // Apriora: the key, then what its Tracker integration holds.
  const apriora = deps.apriora();
  apriora.catch(() => {});
  const key = attempt(apriora, (client) => client.verifyKey(signal));
  const keyOutcome = guard(async () => {
    const { target, client } = await apriora;
    if (!client)
      return fail(
        `no API key for profile "${profileName}"${noSuchProfile(deps)}`,
        envOnly ? aprioraLogin : withOnboard(aprioraLogin, profileName),
        'not_logged_in',
        4,
      );
    const result = await key;
    return result?.ok
      ? ok(`accepted by ${target.baseUrl} (key from ${SOURCE_NAMES[target.apiKey?.source ?? ''] ?? target.apiKey?.source})`)
      : failFrom(target.apiKey?.source === 'env' ? withRetryHint(result?.error, correctVariablesHint(SECRET_VARIABLES.apriora)) : result?.error, aprioraLogin);
  }, aprioraLogin);
  const integration = key.then(async (result) => (result?.ok ? (await apriora).client!.getTrackerIntegration(signal) : undefined));
  integration.catch(() => {});
  const connect = commandFor('apriora tracker connect', profileName);
  const integrationOutcome = guard(async () => {
    if (!(await key)?.ok) return skip('needs an accepted Apriora key');
    const current = await integration;
    return integrationCheck(
      deps,
      current!,
      await tracker.then(
        (side) => side.target.username?.value,
        () => undefined,
      ),
      connect,
    );
  }, connect);
  const automations = guard(
    async () => {
      if (!(await key)?.ok) return skip('needs an accepted Apriora key');
      return automationsOutcome(deps, (await integration)!.automations, now());
    },
    commandFor('apriora automations status', profileName),
  );

  const keychain = guard(() => keychainOutcome(deps, tracker, apriora), loginHint('tracker', profileName));
  const clock = guard(async () => {
    await Promise.all([logon, key, rest]);
    const [trackerSide, aprioraSide] = await Promise.all([tracker.catch(() => undefined), apriora.catch(() => undefined)]);
    return clockOutcome({
      tracker: trackerSide?.client?.http.serverClock ?? trackerSide?.rest.client?.http.serverClock,
      apriora: aprioraSide?.client?.http.serverClock,
    });
  }, 'Set the clock of this machine (turn on NTP).');
  const webhooks = guard(() => webhookSecretOutcome(deps), 'Set APRIORA_WEBHOOK_SECRET.');

  const outcomes: Record<DoctorCheckId, Pending> = {
    'tracker.credentials': credentials,
    'tracker.host': host,
    'tracker.logon': logonOutcome,
    'tracker.rest': rest,
    'tracker.activityType': activityType,
    'tracker.fields': fields,
    'apriora.key': keyOutcome,
    'apriora.integration': integrationOutcome,
    'apriora.automations': automations,
    keychain,
    clock,
    'webhooks.secret': webhooks,
  };
  const checks: DoctorCheck[] = await Promise.all(DOCTOR_CHECKS.map(async ([id, title]) => ({ id, title, ...(await outcomes[id]) })));
  return summarize(profileName, checks, Math.max(0, now() - started));
}

const SOURCE_NAMES: Record<string, string> = { env: 'env', keychain: 'keychain', file: 'file store', profile: 'profile', flag: 'flag', stdin: 'stdin' };

/** A login's fix, with the one step that sets up everything a profile lacks. */
function withOnboard(login: string, profileName: string): string {
  return `${login}; or set up the whole profile in one step: ${commandFor('apriora onboard', profileName)}`;
}

/** `: there is no profile "x" (profiles on this machine: …)` when the profile does not exist, else nothing. */
function noSuchProfile(deps: DoctorDeps): string {
  if (deps.profile) return '';
  const others = (deps.knownProfiles ?? []).filter((name) => name !== deps.profileName);
  return `: there is no profile "${deps.profileName}"${others.length ? ` (profiles on this machine: ${others.join(', ')})` : ''}`;
}

function trackerCredentialsOutcome(side: Awaited<ReturnType<DoctorDeps['tracker']>>, profileName: string, envOnly: boolean, noProfile = ''): Outcome {
  const { target, client } = side;
  const missing = [
    !target.apiKey && 'API Key (TRACKER_API_KEY)',
    !target.username && 'API Username (TRACKER_USERNAME)',
    !target.password && 'API Password (TRACKER_PASSWORD)',
  ].filter(Boolean);
  if (!client || missing.length) {
    return fail(
      `missing ${missing.join(', ') || 'credentials'} for profile "${profileName}"${noProfile}${target.storedFor ? ` (its stored secrets are for ${target.storedFor}, not ${target.baseUrl})` : ''}`,
      envOnly ? loginHint('tracker', profileName, true, true) : withOnboard(loginHint('tracker', profileName, true), profileName),
      'not_logged_in',
      4,
    );
  }
  const from = (resolved: { source: string } | undefined) => SOURCE_NAMES[resolved?.source ?? ''] ?? resolved?.source;
  return ok(`${target.username!.value} (username from ${from(target.username)}, API key from ${from(target.apiKey)}, password from ${from(target.password)})`);
}

async function restOutcome(side: Awaited<ReturnType<DoctorDeps['tracker']>>, profileName: string, signal: AbortSignal, envOnly: boolean): Promise<Outcome> {
  const { target, client } = side.rest;
  if (!target.token || !client) {
    return warn(
      'no REST API token: only the applicant commands (and the automations runner) need one',
      restTokenHint(profileName, envOnly),
      'tracker_rest_token_missing',
    );
  }
  const { via } = await client.probeToken(signal);
  const source = SOURCE_NAMES[target.token.source] ?? target.token.source;
  return ok(
    via === 'cached'
      ? `the cached session token is accepted by ${target.baseUrl.value} (token from ${source})`
      : `exchanged at ${target.baseUrl.value} (token from ${source}; the new session token is cached for the next commands)`,
  );
}

function activityTypeName(deps: DoctorDeps): string {
  return deps.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE;
}

function activityTypeOutcome(deps: DoctorDeps, settings: SettingsData): Outcome {
  const wanted = activityTypeName(deps);
  const found = findActivityType(settings, wanted);
  if (found.found) return ok(`"${found.name}" exists`);
  const known = settings.taskTypes.map((type) => `"${type.Name}"`).join(', ');
  return fail(
    `Tracker has no activity type "${wanted}"${known ? ` (it has ${known})` : ''}`,
    `Ask Tracker Support to create it: ${commandFor('apriora tracker support-request custom-activity', deps.profileName)}`,
    'activity_type_missing',
    2,
  );
}

function fieldMapOutcome(deps: DoctorDeps): Outcome | Record<FieldKey, string> {
  try {
    return requireFieldMap(deps.profile?.tracker?.fieldMap, deps.profileName);
  } catch (error) {
    return failFrom(error, commandFor('apriora tracker fields map', deps.profileName));
  }
}

/** The field kinds that can hold each value: the score is a number, the others text (a link, a long text). */
const USABLE_KINDS: Record<FieldKey, string[]> = {
  overallScore: ['number', 'text', 'memo'],
  reportLink: ['text', 'memo'],
  gradingCriteria: ['text', 'memo'],
  feedback: ['text', 'memo'],
};

function fieldsOutcome(deps: DoctorDeps, map: Record<FieldKey, string>, settings: SettingsData): Outcome {
  const associations = activityAssociations(settings.customFields);
  const problems: string[] = [];
  const gone: FieldKey[] = [];
  for (const target of ACTIVITY_FIELDS) {
    const id = Number(map[target.key].trim());
    const field = settings.customFields.find((candidate) => candidate.Id === id);
    if (!field) {
      gone.push(target.key);
      problems.push(`${target.label} (field ${id}) no longer exists in Tracker`);
    } else if (associations.length && !associations.includes(field.Association)) {
      problems.push(`${target.label} (field ${id} "${field.Name}") belongs to ${field.Association}, not to activities`);
    } else if (!USABLE_KINDS[target.key].includes(fieldKind(field.Type))) {
      problems.push(`${target.label} (field ${id} "${field.Name}") is of type ${field.Type}, which cannot hold it`);
    }
  }
  if (!problems.length) return ok(`${ACTIVITY_FIELDS.map((target) => map[target.key]).join(', ')} exist on activities with usable types`);
  const remap = commandFor('apriora tracker fields map', deps.profileName);
  // A gone field with no namesake on activities cannot be mapped again: only Tracker Support can add it.
  const { proposals } = proposeFieldMap(settings.customFields);
  const unmappable = gone.filter((key) => proposals.find((proposal) => proposal.key === key)?.candidates.length === 0);
  if (unmappable.length) {
    const request = commandFor(`apriora tracker support-request custom-activity --only-fields ${unmappable.map(fieldFlagName).join(',')}`, deps.profileName);
    const one = unmappable.length === 1;
    return fail(
      problems.join('; '),
      `Tracker has no activity field of that name: ask Tracker Support to add ${one ? 'it' : 'them'} (${request}); once ${one ? 'it exists' : 'they exist'}, run ${remap}`,
      'field_map_stale',
      2,
    );
  }
  return fail(problems.join('; '), `Map the fields again: ${remap}`, 'field_map_stale', 2);
}

function integrationCheck(deps: DoctorDeps, current: TrackerIntegration, username: string | undefined, connect: string): Outcome {
  const problems: string[] = [];
  if (!current.hasCredentials) problems.push('holds no Tracker credentials');
  else if (username && current.username && current.username.trim().toLowerCase() !== username.trim().toLowerCase()) {
    problems.push(`holds the credentials of ${current.username}, not ${username}`);
  }
  const wanted = activityTypeName(deps);
  if (current.activityType.trim().toLowerCase() !== wanted.trim().toLowerCase()) {
    problems.push(`uses activity type "${current.activityType}", not "${wanted}"`);
  }
  const map = deps.profile?.tracker?.fieldMap;
  if (!map) {
    if (problems.length) return fail(`Apriora's integration ${problems.join('; ')}`, connect, 'integration_mismatch', 2);
    const held = ACTIVITY_FIELDS.map((target) => current.activityFields[target.key] ?? 'unset').join(', ');
    return ok(
      `holds the credentials of ${current.username ?? username ?? 'the API user'} and activity "${current.activityType}"; its fields (${held}) not compared: no local field map`,
    );
  }
  const differ = ACTIVITY_FIELDS.filter((target) => String(current.activityFields[target.key] ?? '') !== String(map[target.key] ?? '').trim());
  if (differ.length) {
    problems.push(
      `has other fields than the local map: ${differ.map((target) => `${target.label} ${current.activityFields[target.key] ?? 'unset'} (here ${map[target.key]})`).join(', ')}`,
    );
  }
  if (problems.length) return fail(`Apriora's integration ${problems.join('; ')}`, connect, 'integration_mismatch', 2);
  return ok(`holds the credentials of ${current.username ?? username ?? 'the API user'}, activity "${current.activityType}" and the same four fields`);
}

/** Apriora runs an enabled automation itself; `apriora automations run` does the same work from here. */
function automationsOutcome(deps: DoctorDeps, automations: Automations, now: number): Outcome {
  const enabled = [automations.invites.enabled && 'invitations', automations.interviewCreation.enabled && 'interview creation'].filter((name): name is string =>
    Boolean(name),
  );
  const stateFile = automationStatePath(deps.dataDir, deps.profileName);
  const runner = liveRunner(stateFile, now);
  const read = readAutomationState(stateFile);
  const aprioraRuns = enabled.length ? `Apriora runs ${enabled.join(' and ')}` : "none of Apriora's automations is enabled";
  const status = commandFor('apriora automations status', deps.profileName);
  if (read.status === 'corrupt') {
    return warn(
      `${aprioraRuns}; the local runner's state is unreadable (${read.reason}): its next run starts over with a full scan`,
      status,
      'runner_state_corrupt',
    );
  }
  if (runner) {
    const who = `a local \`apriora automations run\` (pid ${runner.pid}${runner.host ? ` on ${runner.host}` : ''}) is running`;
    if (enabled.length) {
      return warn(
        `${aprioraRuns} and ${who}: both do the same work`,
        `Stop the local runner, or switch Apriora's off: ${commandFor(`apriora automations disable ${automations.invites.enabled ? 'invites' : 'interviews'}`, deps.profileName)}`,
        'automations_doubled',
      );
    }
    return warn(
      `${who}, but ${aprioraRuns}: it has nothing to do`,
      `${commandFor('apriora automations enable', deps.profileName)} (or stop the runner)`,
      'automations_idle',
    );
  }
  const unfinished = read.status === 'ok' ? Object.keys(read.state.applicants.unfinished).length : 0;
  if (unfinished) {
    return warn(
      `${aprioraRuns}; the local runner stopped with ${unfinished} invitation${unfinished === 1 ? '' : 's'} unfinished`,
      commandFor('apriora automations run --once', deps.profileName),
      'runner_unfinished',
    );
  }
  const last = read.status === 'ok' && read.state.lastCycle ? `; the local runner last ran at ${read.state.lastCycle.startedAt}` : '; no local runner';
  return ok(`${aprioraRuns}${last}`);
}

async function keychainOutcome(deps: DoctorDeps, tracker: ReturnType<DoctorDeps['tracker']>, apriora: ReturnType<DoctorDeps['apriora']>): Promise<Outcome> {
  if (deps.storeKind === 'env') return skip('the profile takes its secrets from the environment only');
  if (deps.storeKind !== 'keychain') return skip('the profile keeps its secrets in the file store');
  if (!deps.profile) return skip(`there is no profile "${deps.profileName}"`);
  const [trackerSide, aprioraSide] = await Promise.all([tracker.catch(() => undefined), apriora.catch(() => undefined)]);
  const sources = [trackerSide?.target.apiKey, trackerSide?.target.password, trackerSide?.rest.target.token, aprioraSide?.target.apiKey]
    .filter((resolved) => resolved !== undefined)
    .map((resolved) => resolved.source);
  if (sources.length && sources.every((source) => source === 'env')) return skip('every credential comes from the environment');
  try {
    await (await deps.secrets()).get(accountFor(deps.profileName, 'tracker.apiKey'));
  } catch (error) {
    return failFrom(error, 'Unlock the keychain, or use the file store: APRIORA_CREDENTIAL_STORE=file.');
  }
  return ok('readable');
}

/**
 * Apriora signs webhooks and this machine checks them, so this machine against Apriora decides the risk: more than
 * 300 s apart fails, more than a minute warns. Tracker's clock alone being off puts nothing here at risk: at most a
 * warning naming Tracker's clock (or a proxy in front of it).
 */
export function clockOutcome({ tracker, apriora }: { tracker?: ServerClock | undefined; apriora?: ServerClock | undefined }): Outcome {
  if (!tracker && !apriora) return skip('no server answered with a Date header');
  const seconds = (ms: number) => `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(1)} s`;
  const detail = [tracker && `Tracker ${seconds(tracker.offsetMs)}`, apriora && `Apriora ${seconds(apriora.offsetMs)}`].filter(Boolean).join(', ');
  // The Date header is whole seconds: a skew is counted only beyond what the measurement cannot tell apart.
  const off = (clock: ServerClock, from = 0) => Math.max(0, Math.abs(clock.offsetMs - from) - clock.uncertaintyMs);
  const fix = "Set this machine's clock (turn on NTP, e.g. `sudo timedatectl set-ntp true`).";
  if (apriora && off(apriora) > CLOCK_WARN_MS) {
    const both = tracker && off(tracker, apriora.offsetMs) <= CLOCK_WARN_MS ? ' (Tracker and Apriora agree with each other)' : '';
    if (off(apriora) > CLOCK_FAIL_MS) {
      return fail(`${detail}: this machine's clock is more than 300 s off${both}; Apriora's webhook signatures are refused beyond that`, fix, 'clock_skew', 2);
    }
    return warn(`${detail}: this machine's clock is more than a minute off${both}`, fix, 'clock_skew');
  }
  if (tracker && off(tracker) > CLOCK_WARN_MS) {
    if (apriora) {
      return warn(
        `${detail}: Tracker's clock (or a proxy in front of it) is off; this machine agrees with Apriora, so webhooks are not at risk`,
        'Nothing to change here; if the times Tracker shows are wrong, tell Tracker Support (or check the proxy in front of Tracker).',
        'tracker_clock_skew',
      );
    }
    return warn(
      `${detail}: more than a minute off Tracker; Apriora did not answer to tell whose clock is off`,
      "Check this machine's clock (turn on NTP); if it is right, Tracker's clock or a proxy in front of it is off.",
      'clock_skew',
    );
  }
  return ok(`within a minute of the servers (${detail})`);
}

async function webhookSecretOutcome(deps: DoctorDeps): Promise<Outcome> {
  const journal = journalPath(deps.dataDir, deps.profileName);
  if (!existsSync(journal)) return skip('no webhook listener has run for this profile on this machine');
  const store = deps.profile ? await deps.secrets() : undefined;
  const secret = await resolveSecret('apriora.webhookSecret', { profile: deps.profileName, env: deps.env, store, optional: true });
  if (secret) return ok(`set (from ${SOURCE_NAMES[secret.source] ?? secret.source})`);
  return warn(
    '`apriora activity listen` runs for this profile here and no signing secret is set: it will not start unless one is piped with --secret-stdin',
    "Set APRIORA_WEBHOOK_SECRET (the secret set in Apriora's web app), or pipe it with `apriora activity listen --secret-stdin`.",
    'missing_value',
  );
}
