import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import {
  AT_TERMINAL,
  DOWN,
  expectEnvelope,
  expectNoSecrets,
  KEYCHAIN_STORE,
  logIn,
  sandboxSecrets,
  savedFieldMap,
  useNoKeychain,
  useSandbox,
} from '../support/cli.js';

const t = useSandbox();

/** Every credential and host of the sandbox in the environment, as a CI job sets them. */
const ciEnv = (extra: Record<string, string | undefined> = {}) => {
  const { apiKey, username, password, aprioraApiKey } = t.sandbox.credentials;
  return {
    TRACKER_API_KEY: apiKey,
    TRACKER_USERNAME: username,
    TRACKER_PASSWORD: password,
    TRACKER_BASE_URL: t.sandbox.trackerUrl,
    APRIORA_API_KEY: aprioraApiKey,
    APRIORA_BASE_URL: t.sandbox.aprioraUrl,
    ...extra,
  };
};

const TRACKER_WRITES = new Set(['createResource', 'resourceApplication', 'updateRecord', 'createActivity']);
/** Requests that change something in Tracker or Apriora. */
const writes = (requests: RecordedRequest[]) =>
  requests.filter((request) => (request.api === 'apriora' ? request.method !== 'GET' : TRACKER_WRITES.has(request.op)));

/** The words of a command as a POSIX shell splits them (plain words and single quotes, as onboard's hints print them). */
const shellWords = (command: string) =>
  [...command.matchAll(/(?:[^\s']+|'[^']*')+/g)].map(([word]) => word.replace(/'([^']*)'/g, '$1').replaceAll("'\\''", "'"));

/** The arguments of the `apriora onboard …` a hint says to run. */
const hintedArgs = (hint: string) => {
  const command = /`(apriora onboard[^`]*)`/.exec(hint)?.[1];
  expect(command, hint).toBeDefined();
  return shellWords(command!).slice(1);
};

const STEP_IDS = [
  'tracker.credentials',
  'tracker.restToken',
  'tracker.activityType',
  'tracker.fieldMap',
  'apriora.key',
  'apriora.integration',
  'apriora.automations',
];

describe('apriora onboard', () => {
  it('--no-input with env credentials takes an empty profile to a passing doctor, where generate and push work', async () => {
    const env = ciEnv();
    const result = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'phone', '--automations', 'invites', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(Object.keys(data).sort()).toEqual(['doctor', 'nothingToDo', 'profile', 'steps']);
    expect(data.profile).toBe('default');
    expect(data.nothingToDo).toBe(false);
    expect(data.steps.map((step: { id: string }) => step.id)).toEqual(STEP_IDS);
    for (const step of data.steps) expect(Object.keys(step).sort()).toEqual(['detail', 'id', 'status', 'title']);
    expect(Object.fromEntries(data.steps.map((step: { id: string; status: string }) => [step.id, step.status]))).toEqual({
      'tracker.credentials': 'done-now',
      'tracker.restToken': 'skipped',
      'tracker.activityType': 'done-before',
      'tracker.fieldMap': 'done-now',
      'apriora.key': 'done-now',
      'apriora.integration': 'done-now',
      'apriora.automations': 'done-now',
    });
    expect(data.doctor).toMatchObject({ profile: 'default', ok: true });

    // The profile keeps the non-secret settings; the secrets stay in the environment.
    const profile = t.cli.config().profiles.default;
    expect(profile).toMatchObject({
      sandbox: true,
      tracker: { baseUrl: t.sandbox.trackerUrl, username: t.sandbox.credentials.username, activityType: 'Apriora Interview' },
      apriora: { baseUrl: t.sandbox.aprioraUrl, defaultModality: 'phone' },
    });
    expect(t.cli.storedSecrets()).toBeUndefined();
    const fieldMap = savedFieldMap(t.cli);
    const { apiKey, username, password } = t.sandbox.credentials;
    expect(t.sandbox.apriora.storedTrackerCredentials()).toEqual({ apiKey, username, password, region: null });
    expect(t.sandbox.apriora.integration()).toMatchObject({ hasCredentials: true, username, activityFields: fieldMap });
    expect(t.sandbox.apriora.integration().automations).toMatchObject({ invites: { enabled: true }, interviewCreation: { enabled: false } });

    const generate = await t.cli.run(['interview', 'generate', '--job', String(t.sandbox.tracker.jobs[0]!.id), '--json'], { env });
    expect(generate.code, generate.stderr).toBe(0);
    const [item] = generate.json().data.items;
    expect(item.status).toBe('created');
    const completed = await t.cli.run(
      [
        'sandbox',
        'complete',
        '--sandbox-url',
        t.sandbox.url,
        '--position',
        item.positionId,
        '--email',
        'grace.hopper@example.com',
        '--first-name',
        'Grace',
        '--last-name',
        'Hopper',
      ],
      { env },
    );
    expect(completed.code, completed.stderr).toBe(0);
    const push = await t.cli.run(['activity', 'push', '--since', '7d', '--json'], { env });
    expect(push.code, push.stderr).toBe(0);
    expect(push.json().data.items.map((entry: { status: string }) => entry.status)).toEqual(['created']);
    expectNoSecrets(sandboxSecrets(t.sandbox), [result, generate, completed, push]);
  });

  it('--sandbox with a local --base-url on another port points Apriora at that sandbox, not at 4010', async () => {
    const env = ciEnv({ TRACKER_BASE_URL: undefined, APRIORA_BASE_URL: undefined });
    const args = ['onboard', '--no-input', '--sandbox', '--base-url', t.sandbox.trackerUrl, '--modality', 'video', '--json'];
    const result = await t.cli.run(args, { env });
    expect(result.code, result.stderr).toBe(0);
    const derived = `${new URL(t.sandbox.trackerUrl).origin}/apriora/v1/api`;
    expect(new URL(derived).port).not.toBe('4010');
    expect(t.cli.config().profiles.default.apriora.baseUrl).toBe(derived);
    expect(result.json().data.steps.find((step: { id: string }) => step.id === 'apriora.key').detail).toContain(`accepted by Apriora at ${derived}`);
    expect(t.sandbox.apriora.integration().hasCredentials).toBe(true);
  });

  it('run again on a done profile it does nothing and says so: no write reaches Tracker or Apriora', async () => {
    const env = ciEnv();
    const first = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'video'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('✓ Profile "default" is onboarded.');
    t.sandbox.requests.length = 0;

    const again = await t.cli.run(['onboard', '--no-input'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to do: every step is already done\.$/m);
    expect(again.stdout).toMatch(/^✓ Tracker credentials: already done, api\.user@sandbox\.example at http/m);
    expect(again.stdout).toMatch(/^- Automations: skipped, invitations off, interview creation off/m);
    expect(again.stdout).toMatch(/^Doctor:$/m);
    const json = await t.cli.run(['onboard', '--no-input', '--json'], { env });
    const data = expectEnvelope(json, true).data;
    expect(data.nothingToDo).toBe(true);
    expect(data.steps.every((step: { status: string }) => step.status === 'done-before' || step.status === 'skipped')).toBe(true);
    expect(t.sandbox.requests.length).toBeGreaterThan(0);
    expect(writes(t.sandbox.requests)).toEqual([]);
  });

  it('a missing value off a terminal is exit 2 naming the flag and the variable, before anything is written', async () => {
    const noRegion = await t.cli.run(['onboard']);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/^Error: The Tracker region is required$/m);
    expect(noRegion.stderr).toMatch(/^Try: Pass --region us\|ca\|uk or --base-url URL, or set TRACKER_REGION or TRACKER_BASE_URL/m);

    const noKey = await t.cli.run(['onboard', '--json'], { env: ciEnv({ TRACKER_PASSWORD: undefined }) });
    expect(noKey.code).toBe(2);
    expect(expectEnvelope(noKey, false).error).toMatchObject({
      code: 'missing_value',
      message: 'Tracker API Password is required',
      hint: expect.stringMatching(/^Set TRACKER_PASSWORD, or log in first \(apriora tracker login\)/),
    });

    const noApriora = await t.cli.run(['onboard', '--modality', 'phone'], { env: ciEnv({ APRIORA_API_KEY: undefined }) });
    expect(noApriora.code).toBe(2);
    expect(noApriora.stderr).toMatch(/^Error: Apriora API key is required$/m);
    expect(noApriora.stderr).toMatch(/^Try: Set APRIORA_API_KEY, or log in first \(apriora login\)/m);

    const noModality = await t.cli.run(['onboard'], { env: ciEnv() });
    expect(noModality.code).toBe(2);
    expect(noModality.stderr).toMatch(/^Error: The default interview modality is required$/m);
    expect(noModality.stderr).toMatch(/^Try: Pass --modality phone\|video/m);
    expect(writes(t.sandbox.requests)).toEqual([]);
  });

  it('an activity type missing in Tracker prints the request to Tracker Support and stops with exit 2; once created, onboarding goes on', async () => {
    const { taskTypes } = t.sandbox.tracker.settings;
    const saved = [...taskTypes];
    taskTypes.splice(0, taskTypes.length, ...taskTypes.filter((type) => type.Name !== 'Apriora Interview'));
    const env = ciEnv();
    const args = ['onboard', '--no-input', '--sandbox', '--modality', 'phone', '--company', 'Acme Staffing'];
    const human = await t.cli.run(args, { env });
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/^✗ Activity type "Apriora Interview": needs Tracker Support, missing in Tracker/m);
    expect(human.stdout).toContain('Subject: Custom activity type "Apriora Interview" for the Apriora integration — Acme Staffing');
    expect(human.stdout).toContain('Overall Score');
    expect(human.stderr).toMatch(/^Error: This Tracker database has no activity type "Apriora Interview": Tracker Support must create it/m);
    const next = "apriora onboard --sandbox --modality phone --company 'Acme Staffing' --no-input";
    expect(human.stderr).toContain(`Try: Send the request above to Tracker Support; once they have done it, run \`${next}\` again`);

    const json = await t.cli.run([...args, '--json'], { env });
    expect(json.code).toBe(2);
    const envelope = json.json();
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('activity_type_missing');
    expect(envelope.data.supportRequest.subject).toMatch(/Custom activity type "Apriora Interview"/);
    expect(envelope.data.next).toBe(next);
    expect(hintedArgs(envelope.error.hint)).toEqual(['onboard', '--sandbox', '--modality', 'phone', '--company', 'Acme Staffing', '--no-input']);
    expect(envelope.data.steps.map((step: { id: string; status: string }) => `${step.id} ${step.status}`)).toEqual([
      'tracker.credentials done-before',
      'tracker.restToken skipped',
      'tracker.activityType needs-support',
    ]);
    expect(writes(t.sandbox.requests)).toEqual([]);

    taskTypes.splice(0, taskTypes.length, ...saved);
    const resumed = await t.cli.run(args, { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^✓ Tracker credentials: already done/m);
    expect(resumed.stdout).toMatch(/^✓ Field map: done now/m);
  });

  it('credentials from the environment that Tracker rejects: exit 4, and the hint says to correct the variables', async () => {
    const result = await t.cli.run(['onboard', '--no-input', '--sandbox', '-p', 'acme', '--json'], { env: ciEnv({ TRACKER_PASSWORD: 'wrong-password' }) });
    expect(result.code).toBe(4);
    expect(result.json().error.hint).toBe(
      "Check the API Key, API Username and API Password that Tracker Support issued, then correct TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD (in CI, the repository's secrets) and run again.",
    );
    expect(result.json().data).toMatchObject({ profile: 'acme', steps: [], next: 'apriora onboard --profile acme --sandbox --no-input' });
  });

  it('an Apriora key from the environment that Apriora rejects: the hint names APRIORA_API_KEY; the steps done are shown', async () => {
    const args = ['onboard', '--no-input', '--sandbox', '--modality', 'video'];
    const human = await t.cli.run(args, { env: ciEnv({ APRIORA_API_KEY: 'apr_wrong' }) });
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Try: .*correct APRIORA_API_KEY \(in CI, the repository's secrets\) and run again\.$/m);
    expect(human.stderr).not.toContain('apriora login');
    expect(human.stdout).toMatch(/^✓ Tracker credentials: done now/m);
    expect(human.stdout).toMatch(/^✓ Field map: done now/m);
    expect(human.stdout).toContain(
      'Onboarding stopped after these steps (what is done is kept); once fixed, run `apriora onboard --sandbox --modality video --no-input` to go on.',
    );
    const json = await t.cli.run([...args, '--json'], { env: ciEnv({ APRIORA_API_KEY: 'apr_wrong' }) });
    expect(json.code).toBe(4);
    const envelope = json.json();
    expect(envelope).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(envelope.data.steps.map((step: { id: string; status: string }) => `${step.id} ${step.status}`)).toEqual([
      'tracker.credentials done-before',
      'tracker.restToken skipped',
      'tracker.activityType done-before',
      'tracker.fieldMap done-before',
    ]);
    expect(envelope.data.next).toBe('apriora onboard --sandbox --modality video --no-input');
    const fixed = await t.cli.run(shellWords(envelope.data.next).slice(1), { env: ciEnv() });
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('fields Tracker does not have also need Tracker Support: exit 2 activity_fields_missing', async () => {
    const { customFields } = t.sandbox.tracker.settings;
    const saved = [...customFields];
    customFields.splice(0, customFields.length, ...customFields.filter((field) => field.Name !== 'Feedback'));
    // No Apriora URL in the environment: only the flag says where it is, and nothing saves it before the stop.
    const env = ciEnv({ APRIORA_BASE_URL: undefined });
    const args = ['onboard', '--no-input', '--sandbox', '--modality', 'phone', '--apriora-base-url', t.sandbox.aprioraUrl, '--automations', 'invites'];
    const result = await t.cli.run([...args, '--json'], { env });
    expect(result.code).toBe(2);
    expect(result.json().data.next).toBe(
      `apriora onboard --sandbox --apriora-base-url ${t.sandbox.aprioraUrl} --modality phone --automations invites --no-input`,
    );
    expect(result.json().error.hint).toContain(`run \`${result.json().data.next}\` again`);
    // Once Tracker Support has added the field, the hint run as printed finishes with the same answers.
    customFields.splice(0, customFields.length, ...saved);
    const resumed = await t.cli.run([...hintedArgs(result.json().error.hint), '--json'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(t.cli.config().profiles.default.apriora).toMatchObject({ baseUrl: t.sandbox.aprioraUrl, defaultModality: 'phone' });
    expect(t.sandbox.apriora.integration().automations.invites.enabled).toBe(true);
    expect(result.json().error.code).toBe('activity_fields_missing');
    expect(result.json().data.steps.at(-1)).toMatchObject({ id: 'tracker.fieldMap', status: 'needs-support' });
    // The activity type exists: the request asks only for the missing field on it.
    const request = result.json().data.supportRequest;
    expect(request.subject).toBe('Custom field "Feedback" on the activity type "Apriora Interview" for the Apriora integration — <company name>');
    expect(request.body).toContain('could you please add this custom field to the existing activity type\n"Apriora Interview" in our database:');
    expect(request.body).toMatch(/^ {7}Feedback {2}Long text \(memo\)$/m);
    expect(request.body).not.toMatch(/Overall Score|Report link|Grading Criteria|custom activity type named/);
  });

  it('an ambiguous field off a terminal is exit 2 naming the id flag; the flag settles it', async () => {
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const env = ciEnv();
    const ambiguous = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'phone', '--json'], { env });
    expect(ambiguous.code).toBe(2);
    expect(expectEnvelope(ambiguous, false).error).toMatchObject({ code: 'field_map_ambiguous', hint: expect.stringContaining('--feedback ID') });
    const settled = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'phone', '--feedback', '990'], { env });
    expect(settled.code, settled.stderr).toBe(0);
    expect(savedFieldMap(t.cli).feedback).toBe(990);
  });

  it('at a terminal it asks only for what is missing, masks the key, and confirms before sending for a customer profile', async () => {
    const env = { ...AT_TERMINAL.env, ...ciEnv({ APRIORA_API_KEY: undefined }) };
    const running = t.cli.start(['onboard'], { ...AT_TERMINAL, env });
    await running.answer('Apriora API key', `${t.sandbox.credentials.aprioraApiKey}\r`);
    await running.answer('Default interview modality of this profile', '\r');
    await running.answer(`Send these to Apriora's Tracker integration for profile "default"?`, 'y\r');
    await running.answer("Switch on Apriora's automations?", '\r');
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    // Nothing the environment gives is asked for.
    expect(result.stderr).not.toMatch(/Tracker API Key|Tracker API Password|API Username|REST API token|region/i);
    expect(result.stderr).not.toContain(t.sandbox.credentials.aprioraApiKey);
    // What is sent is shown before the question, secrets masked.
    expect(result.stdout).toMatch(/^API Password\s+\*\*\*$/m);
    expect(result.stdout).toMatch(/^- Automations: skipped/m);
    // The typed key is stored; the environment's secrets are not.
    expect(Object.keys(t.cli.storedSecrets() ?? {})).toEqual(['default/apriora.apiKey']);
    expect(t.cli.config().profiles.default.apriora.defaultModality).toBe('phone');
    expect(t.sandbox.apriora.integration().hasCredentials).toBe(true);
    expectNoSecrets(sandboxSecrets(t.sandbox), [result]);

    // Again at the terminal: nothing is asked, nothing is sent.
    t.sandbox.requests.length = 0;
    const again = await t.cli.run(['onboard'], { ...AT_TERMINAL, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do: every step is already done.');
    expect(again.stderr).not.toContain('?');
    expect(writes(t.sandbox.requests)).toEqual([]);
  });
  it('a profile set up by the separate commands: only the missing integration is done, with the stored secrets', async () => {
    await logIn(t.cli, t.sandbox);
    const secretsBefore = t.cli.storedSecrets();
    t.sandbox.requests.length = 0;
    const result = await t.cli.run(['onboard', '--no-input', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const statuses = Object.fromEntries(expectEnvelope(result, true).data.steps.map((step: { id: string; status: string }) => [step.id, step.status]));
    expect(statuses).toEqual({
      'tracker.credentials': 'done-before',
      'tracker.restToken': 'skipped',
      'tracker.activityType': 'done-before',
      'tracker.fieldMap': 'done-before',
      'apriora.key': 'done-before',
      'apriora.integration': 'done-now',
      'apriora.automations': 'skipped',
    });
    expect(writes(t.sandbox.requests).map((request) => request.op)).toEqual(['PATCH /integrations/tracker']);
    expect(t.cli.storedSecrets()).toEqual(secretsBefore);
    expect(t.sandbox.apriora.integration()).toMatchObject({ hasCredentials: true, username: t.sandbox.credentials.username });
  });

  it('--base-url of another host on a set-up profile keeps its username and says which secrets the new host needs', async () => {
    await logIn(t.cli, t.sandbox, { restToken: true });
    expect((await t.cli.run(['onboard', '--no-input', '--json'])).code).toBe(0);
    const { username, apiKey, password } = t.sandbox.credentials;
    // Another host in front of the same Tracker: a TCP relay to the sandbox.
    const sandboxPort = Number(new URL(t.sandbox.trackerUrl).port);
    const sockets = new Set<Socket>();
    const relay = createServer((socket) => {
      const upstream = connect(sandboxPort, '127.0.0.1');
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}${new URL(t.sandbox.trackerUrl).pathname.replace(/\/$/, '')}`;
    try {
      // The stored secrets were saved for the first host: off a terminal, the error names what the new host needs.
      const missing = await t.cli.run(['onboard', '--no-input', '--base-url', otherUrl, '--json']);
      expect(missing.code, missing.stdout).toBe(2);
      const error = expectEnvelope(missing, false).error;
      expect(error.message).toBe(`Tracker API Key for ${otherUrl} (the profile's saved one is for ${t.sandbox.trackerUrl}) is required`);
      expect(error.message).not.toContain('Username');
      expect(error.hint).toContain('TRACKER_API_KEY');
      expect(t.cli.config().profiles.default.tracker.baseUrl).toBe(t.sandbox.trackerUrl);

      // With the secrets for the new host (and no username given), the profile moves there with the same username.
      expect(t.cli.storedSecrets()?.['default/tracker.restToken']).toBe(t.sandbox.credentials.restToken);
      t.sandbox.requests.length = 0;
      const moved = await t.cli.run(['onboard', '--no-input', '--base-url', otherUrl, '--json'], {
        env: { TRACKER_API_KEY: apiKey, TRACKER_PASSWORD: password },
      });
      expect(moved.code, moved.stdout + moved.stderr).toBe(0);
      expect(expectEnvelope(moved, true).data.steps[0]).toMatchObject({
        id: 'tracker.credentials',
        status: 'done-now',
        detail: expect.stringContaining(`${username} at ${otherUrl}`),
      });
      // The REST token stored for the first host is never sent to the new one: it is removed, and the step says so.
      expect(expectEnvelope(moved, true).data.steps[1]).toMatchObject({
        id: 'tracker.restToken',
        status: 'skipped',
        detail: expect.stringContaining('the saved one was for'),
      });
      expect(t.sandbox.requests.filter((request) => request.api === 'tracker-rest')).toEqual([]);
      expect(t.cli.storedSecrets()?.['default/tracker.restToken']).toBeUndefined();
      expect(t.cli.config().profiles.default.tracker).toMatchObject({ baseUrl: otherUrl, username });
      expectNoSecrets(sandboxSecrets(t.sandbox), [missing, moved]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it('an integration holding other field ids is sent again; "no" at a terminal sends nothing and stops there (exit 0)', async () => {
    await logIn(t.cli, t.sandbox, { sandboxProfile: false });
    expect((await t.cli.run(['tracker', 'connect'])).code).toBe(0);
    await t.cli.run(['tracker', 'fields', 'map', '--overall-score', '448', '--report-link', '449', '--grading-criteria', '451', '--feedback', '450']);
    t.sandbox.requests.length = 0;
    const running = t.cli.start(['onboard'], AT_TERMINAL);
    await running.answer(`Send these to Apriora's Tracker integration for profile "default"?`, 'n\r');
    const declined = await running.done;
    expect(declined.code).toBe(0);
    expect(declined.stdout).toMatch(/Nothing sent\. Onboarding stopped there; run `apriora onboard` to go on/);
    expect(declined.stdout).not.toMatch(/Doctor:/);
    expect(writes(t.sandbox.requests)).toEqual([]);

    const accepted = await t.cli.run(['onboard', '--yes', '--json'], AT_TERMINAL);
    expect(accepted.code, accepted.stderr).toBe(0);
    const step = accepted.json().data.steps.find((entry: { id: string }) => entry.id === 'apriora.integration');
    expect(step).toMatchObject({ status: 'done-now', detail: expect.stringContaining('(it held other field ids for Grading Criteria, Feedback)') });
    expect(t.sandbox.apriora.integration().activityFields).toMatchObject({ gradingCriteria: 451, feedback: 450 });
  });
  it('at a terminal with nothing set it asks for every credential (masked), stores the typed secrets, and asks nothing again', async () => {
    const { apiKey, username, password, aprioraApiKey } = t.sandbox.credentials;
    const args = ['onboard', '--sandbox', '--base-url', t.sandbox.trackerUrl, '--apriora-base-url', t.sandbox.aprioraUrl];
    const running = t.cli.start(args, AT_TERMINAL);
    await running.answer('Tracker API Username (e-mail)', `${username}\r`);
    await running.answer('Tracker API Key', `${apiKey}\r`);
    await running.answer('Tracker API Password', `${password}\r`);
    await running.answer('Tracker REST API token (optional', '\r');
    await running.answer('Apriora API key', `${aprioraApiKey}\r`);
    await running.answer('Default interview modality of this profile', `${DOWN}\r`);
    await running.answer("Switch on Apriora's automations?", `${DOWN}\r`);
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    // A sandbox profile: nothing to confirm before sending.
    expect(result.stderr).not.toContain('Send these');
    expect(result.stdout).toMatch(/^✓ Automations: done now, switched on invitations$/m);
    expect(Object.keys(t.cli.storedSecrets() ?? {}).sort()).toEqual(['default/apriora.apiKey', 'default/tracker.apiKey', 'default/tracker.password']);
    expect(t.cli.config().profiles.default).toMatchObject({ sandbox: true, tracker: { username }, apriora: { defaultModality: 'video' } });
    expectNoSecrets(sandboxSecrets(t.sandbox), [result]);

    t.sandbox.requests.length = 0;
    const again = await t.cli.run(['onboard'], AT_TERMINAL);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do: every step is already done.');
    expect(again.stderr).toBe('');
    expect(writes(t.sandbox.requests)).toEqual([]);
  });
  it('at a terminal an ambiguous field is a choice, the proposal first; the other fields are not asked', async () => {
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const env = { ...AT_TERMINAL.env, ...ciEnv() };
    const running = t.cli.start(['onboard', '--sandbox', '--modality', 'phone', '--automations', 'none'], { ...AT_TERMINAL, env });
    await running.answer('Tracker field for "Feedback"', `${DOWN}\r`);
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/Tracker field for "(Overall Score|Report link|Grading Criteria)"/);
    expect(savedFieldMap(t.cli).feedback).toBe(990);
  });

  describe('without an OS keychain', () => {
    useNoKeychain();

    it('every secret in the environment but the optional REST token: onboard, doctor and status need no keychain', async () => {
      const env = { ...KEYCHAIN_STORE, ...ciEnv() };
      const onboarded = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'phone', '-p', 'acme', '--json'], { env });
      expect(onboarded.code, onboarded.stderr).toBe(0);
      expect(onboarded.json().data.steps[1]).toMatchObject({ id: 'tracker.restToken', status: 'skipped' });
      const doctor = await t.cli.run(['doctor', '-p', 'acme', '--json'], { env });
      expect(doctor.code, doctor.stderr).toBe(0);
      const status = await t.cli.run(['status', '-p', 'acme', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(status.json().data.tracker.credentialSources).toEqual({ username: 'env', apiKey: 'env', password: 'env', restToken: null });
    });

    it('at a terminal the file question names every secret that will go there; a wrong password says to run onboard again', async () => {
      const { apiKey, username } = t.sandbox.credentials;
      const args = ['onboard', '--sandbox', '--base-url', t.sandbox.trackerUrl, '--apriora-base-url', t.sandbox.aprioraUrl];
      const running = t.cli.start(args, { ...AT_TERMINAL, env: { ...AT_TERMINAL.env, ...KEYCHAIN_STORE } });
      await running.answer(
        'Store the secrets you type (the Tracker API Key and Password, then the REST API token and Apriora API key when asked for) in a plain file readable only by you (0600) instead?',
        'y\r',
      );
      await running.answer('Tracker API Username (e-mail)', `${username}\r`);
      await running.answer('Tracker API Key', `${apiKey}\r`);
      await running.answer('Tracker API Password', 'wrong-password\r');
      const result = await running.done;
      expect(result.code).toBe(4);
      // The command to run again repeats the flags: without them it would ask for a production region.
      const next = `apriora onboard --sandbox --base-url ${t.sandbox.trackerUrl} --apriora-base-url ${t.sandbox.aprioraUrl}`;
      expect(result.stderr).toContain(`Try: Check the API Key, API Username and API Password that Tracker Support issued, then run \`${next}\` again.`);
      expect(result.stderr).not.toContain('apriora tracker login');
      expect(t.cli.storedSecrets()).toBeUndefined();
    });

    it('a wrong password at a terminal: the hint repeats the flags, and run as printed it onboards the same sandbox', async () => {
      const { apiKey, username, password, aprioraApiKey } = t.sandbox.credentials;
      const args = [
        'onboard',
        '--sandbox',
        '--insecure-storage',
        '--base-url',
        t.sandbox.trackerUrl,
        '--apriora-base-url',
        t.sandbox.aprioraUrl,
        '-p',
        'inter',
      ];
      const atTerminal = { ...AT_TERMINAL, env: { ...AT_TERMINAL.env, ...KEYCHAIN_STORE } };
      const running = t.cli.start(args, atTerminal);
      await running.answer('Tracker API Username (e-mail)', `${username}\r`);
      await running.answer('Tracker API Key', `${apiKey}\r`);
      await running.answer('Tracker API Password', 'wrong-password\r');
      const result = await running.done;
      expect(result.code).toBe(4);
      const next = `apriora onboard --profile inter --sandbox --insecure-storage --base-url ${t.sandbox.trackerUrl} --apriora-base-url ${t.sandbox.aprioraUrl}`;
      expect(result.stderr).toContain(`run \`${next}\` again.`);

      // Without the flags it would ask for a production region; as printed it asks only for the secrets.
      const again = t.cli.start(hintedArgs(result.stderr), atTerminal);
      await again.answer('Tracker API Username (e-mail)', `${username}\r`);
      await again.answer('Tracker API Key', `${apiKey}\r`);
      await again.answer('Tracker API Password', `${password}\r`);
      await again.answer('Tracker REST API token (optional', '\r');
      await again.answer('Apriora API key', `${aprioraApiKey}\r`);
      await again.answer('Default interview modality of this profile', '\r');
      await again.answer("Switch on Apriora's automations?", '\r');
      const done = await again.done;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stderr).not.toMatch(/region|plain file/i);
      expect(t.cli.config().profiles.inter).toMatchObject({
        sandbox: true,
        credentialStore: 'file',
        tracker: { baseUrl: t.sandbox.trackerUrl },
        apriora: { baseUrl: t.sandbox.aprioraUrl },
      });
      expectNoSecrets(sandboxSecrets(t.sandbox), [result, done]);
    });

    it('onboarded from the environment, the profile keeps no secrets: without the variables each command names them', async () => {
      const env = { ...KEYCHAIN_STORE, ...ciEnv() };
      const onboarded = await t.cli.run(['onboard', '--no-input', '--sandbox', '--modality', 'phone', '-p', 'acme'], { env });
      expect(onboarded.code, onboarded.stderr).toBe(0);
      expect(t.cli.config().profiles.acme.credentialStore).toBe('env');
      const rerun = await t.cli.run(['onboard', '--no-input', '-p', 'acme', '--json'], { env });
      expect(rerun.json().data.steps[1]).toMatchObject({ id: 'tracker.restToken', detail: expect.stringMatching(/\(set TRACKER_REST_TOKEN\)$/) });
      const bare = { ...env, TRACKER_API_KEY: undefined, TRACKER_PASSWORD: undefined, TRACKER_USERNAME: undefined, APRIORA_API_KEY: undefined };
      const variables = /Set TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD: profile "acme" keeps no secrets, it reads them from the environment/;
      const doctor = await t.cli.run(['doctor', '-p', 'acme', '--json'], { env: bare });
      const key = doctor.json().data.checks.find((check: { id: string }) => check.id === 'apriora.key');
      expect(key.fix).toBe(
        'Set APRIORA_API_KEY: profile "acme" keeps no secrets, it reads them from the environment (or store them: apriora login --profile acme)',
      );
      for (const args of [['status'], ['tracker', 'status'], ['tracker', 'jobs', 'list'], ['doctor']]) {
        const result = await t.cli.run([...args, '-p', 'acme'], { env: bare });
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(4);
        expect(result.stdout + result.stderr, args.join(' ')).toMatch(variables);
        expect(result.stdout + result.stderr, args.join(' ')).not.toMatch(
          /keychain (is )?(unavailable|locked)|unlock|keyring|D-?Bus|Try: apriora tracker login/i,
        );
      }
    });
  });
});
