import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, EnvironmentError, InputError } from '../../src/errors.js';
import { accountFor, credentialsFilePath, openSecretStore, resolveSecret, SECRET_ENV, settingFromEnv } from '../../src/store/credentials.js';
import { FileSecretStore } from '../../src/store/file-secrets.js';
import { KeychainSecretStore, type KeyringEntry, type KeyringEntryFactory } from '../../src/store/keychain.js';
import { configDir, dataDir, ensurePrivateDir } from '../../src/store/paths.js';
import { openProfiles, type Profile } from '../../src/store/profiles.js';
import { MemorySecretStore, type SecretStore } from '../../src/store/secret-store.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-store-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('paths', () => {
  const home = '/home/ann';

  it('config dir: APRIORA_CONFIG_DIR > XDG_CONFIG_HOME/apriora > ~/.config/apriora', () => {
    expect(configDir({ APRIORA_CONFIG_DIR: '/etc/x', XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/etc/x');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/xdg/apriora');
    expect(configDir({}, home)).toBe('/home/ann/.config/apriora');
    expect(configDir({ APRIORA_CONFIG_DIR: '', XDG_CONFIG_HOME: '' }, home)).toBe('/home/ann/.config/apriora');
    // XDG base dirs must be absolute; a relative one is ignored
    expect(configDir({ XDG_CONFIG_HOME: 'rel/dir' }, home)).toBe('/home/ann/.config/apriora');
    expect(configDir({ APRIORA_CONFIG_DIR: 'rel' }, home)).toBe(join(process.cwd(), 'rel'));
  });

  it('data dir: APRIORA_DATA_DIR > XDG_DATA_HOME/apriora > ~/.local/share/apriora', () => {
    expect(dataDir({ APRIORA_DATA_DIR: '/d', XDG_DATA_HOME: '/xdg' }, home)).toBe('/d');
    expect(dataDir({ XDG_DATA_HOME: '/xdg' }, home)).toBe('/xdg/apriora');
    expect(dataDir({}, home)).toBe('/home/ann/.local/share/apriora');
  });

  it.skipIf(!posix)('ensurePrivateDir creates 0700 dirs and tightens an existing open one', () => {
    const dir = join(tmp, 'a', 'b');
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    const open = join(tmp, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    ensurePrivateDir(open);
    expect(mode(open)).toBe(0o700);
  });
});

describe('FileSecretStore', () => {
  it('round-trips, with dir 0700 and file 0600, and leaves no temp file', async () => {
    const dir = join(tmp, 'cfg');
    const store = new FileSecretStore(join(dir, 'credentials.json'));
    expect(store.kind).toBe('file');
    expect(await store.get('default/tracker.apiKey')).toBeUndefined();
    await store.set('default/tracker.apiKey', 'key-1');
    await store.set('acme/tracker.password', 'pw "with" quotes\n');
    expect(await store.get('default/tracker.apiKey')).toBe('key-1');
    expect(await store.get('acme/tracker.password')).toBe('pw "with" quotes\n');
    expect(await new FileSecretStore(store.path).get('default/tracker.apiKey')).toBe('key-1');
    if (posix) {
      expect(mode(dir)).toBe(0o700);
      expect(mode(store.path)).toBe(0o600);
    }
    expect(readdirSync(dir)).toEqual(['credentials.json']);
    expect(await store.delete('default/tracker.apiKey')).toBe(true);
    expect(await store.delete('default/tracker.apiKey')).toBe(false);
    expect(await store.get('default/tracker.apiKey')).toBeUndefined();
    expect(await store.get('toString')).toBeUndefined();
  });

  it.skipIf(!posix)('refuses a file its group or others may read or write, with the chmod that fixes it, and changes nothing', async () => {
    const path = join(tmp, 'credentials.json');
    writeFileSync(path, JSON.stringify({ version: 1, secrets: { 'default/apriora.apiKey': 'k' } }), { mode: 0o600 });
    for (const loose of [0o644, 0o640, 0o602]) {
      chmodSync(path, loose);
      const store = new FileSecretStore(path);
      for (const attempt of [
        () => store.get('default/apriora.apiKey'),
        () => store.set('default/apriora.apiKey', 'k2'),
        () => store.delete('default/apriora.apiKey'),
      ]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e as EnvironmentError,
        );
        expect(error).toBeInstanceOf(EnvironmentError);
        expect(error?.exitCode).toBe(2);
        expect(error?.code).toBe('insecure_credentials_file');
        expect(error?.message).toBe(`The credentials file ${path} is open to other users (mode 0${loose.toString(8)}): refusing to use it.`);
        expect(error?.hint).toContain(`chmod 600 ${path}`);
        expect(JSON.stringify(error?.details)).not.toContain('"k"');
      }
      expect(mode(path)).toBe(loose);
    }
    chmodSync(path, 0o600);
    expect(await new FileSecretStore(path).get('default/apriora.apiKey')).toBe('k');
  });

  it('reports a corrupt file without echoing its content', async () => {
    const path = join(tmp, 'credentials.json');
    writeFileSync(path, '{"secrets": {"a": "hunter2"', { mode: 0o600 });
    const error = await new FileSecretStore(path).get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(path);
    expect((error as InputError).message).not.toContain('hunter2');
  });
});

describe('profiles', () => {
  const acme: Profile = {
    sandbox: true,
    tracker: {
      region: 'uk',
      username: 'ann@acme.test',
      rateLimitPerMinute: 60,
      fieldMap: { overallScore: 'c1', reportLink: 'c2', gradingCriteria: 'c3', feedback: 'c4' },
    },
    apriora: { baseUrl: 'https://api.apriora.test', defaultModality: 'video' },
  };

  it('round-trips in <configDir>/config.json with mode 0600', async () => {
    const dir = join(tmp, 'cfg');
    const profiles = await openProfiles(dir);
    expect(profiles.path).toBe(join(dir, 'config.json'));
    expect(profiles.list()).toEqual([]);
    expect(profiles.get('default')).toBeUndefined();

    profiles.set('acme.prod', acme);
    profiles.set('default', { credentialStore: 'file' });
    expect(profiles.list()).toEqual(['acme.prod', 'default']);
    expect(profiles.get('acme.prod')).toEqual(acme);
    if (posix) {
      expect(mode(dir)).toBe(0o700);
      expect(mode(profiles.path)).toBe(0o600);
    }
    expect(JSON.parse(readFileSync(profiles.path, 'utf8'))).toEqual({
      profiles: { 'acme.prod': acme, default: { credentialStore: 'file' } },
    });

    const updated = profiles.update('default', (p) => ({ ...p, tracker: { ...p.tracker, region: 'ca' } }));
    expect(updated).toEqual({ credentialStore: 'file', tracker: { region: 'ca' } });
    expect(profiles.update('new', (p) => ({ ...p, sandbox: false }))).toEqual({ sandbox: false });

    const reopened = await openProfiles(dir);
    expect(reopened.get('default')).toEqual({ credentialStore: 'file', tracker: { region: 'ca' } });
    reopened.delete('acme.prod');
    reopened.delete('missing');
    expect(profiles.list()).toEqual(['default', 'new']);
  });

  it.skipIf(!posix)('tightens an existing loose config file to 0600', async () => {
    writeFileSync(join(tmp, 'config.json'), '{"profiles":{}}', { mode: 0o644 });
    chmodSync(join(tmp, 'config.json'), 0o644);
    await openProfiles(tmp);
    expect(mode(join(tmp, 'config.json'))).toBe(0o600);
  });

  it('reports a corrupt config file as an InputError naming the file', async () => {
    const path = join(tmp, 'config.json');
    writeFileSync(path, '{"profiles": {', { mode: 0o600 });
    const error = await openProfiles(tmp).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`The config file ${path} is not valid JSON.`);
    expect((error as InputError).exitCode).toBe(2);

    writeFileSync(path, JSON.stringify({ profiles: { default: { tracker: { region: 'mars' } } } }));
    const invalid = await openProfiles(tmp).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InputError);
    expect((invalid as InputError).message).toContain(path);
    expect((invalid as InputError).message).toContain('profiles.default.tracker.region');
  });

  it('an invalid config file names the first wrong value, in the order of the profile, and what it must be', async () => {
    const path = join(tmp, 'config.json');
    const cases: [unknown, string][] = [
      [[], 'Invalid input: expected object, received array'],
      [{ profiles: [] }, 'at "profiles": Invalid input: expected record, received array'],
      [{ profiles: { default: null } }, 'at "profiles.default": Invalid input: expected object, received null'],
      [{ profiles: { default: { sandbox: 'yes' } } }, 'at "profiles.default.sandbox": Invalid input: expected boolean, received string'],
      [
        { profiles: { default: { credentialStore: 'vault' } } },
        'at "profiles.default.credentialStore": Invalid option: expected one of "keychain"|"file"|"env"',
      ],
      [{ profiles: { default: { tracker: { region: 'mars' } } } }, 'at "profiles.default.tracker.region": Invalid option: expected one of "us"|"ca"|"uk"'],
      [{ profiles: { default: { tracker: { baseUrl: 'not a url' } } } }, 'at "profiles.default.tracker.baseUrl": Invalid URL'],
      [
        { profiles: { default: { tracker: { restBaseUrl: 5 } } } },
        'at "profiles.default.tracker.restBaseUrl": Invalid input: expected string, received number',
      ],
      [{ profiles: { default: { tracker: { username: '' } } } }, 'at "profiles.default.tracker.username": Too small: expected string to have >=1 characters'],
      [{ profiles: { default: { tracker: { country: 'us' } } } }, 'at "profiles.default.tracker.country": Invalid string: must match pattern /^[A-Z]{2}$/'],
      [
        { profiles: { default: { tracker: { rateLimitPerMinute: 1.5 } } } },
        'at "profiles.default.tracker.rateLimitPerMinute": Invalid input: expected int, received number',
      ],
      [
        { profiles: { default: { tracker: { rateLimitPerMinute: 0 } } } },
        'at "profiles.default.tracker.rateLimitPerMinute": Too small: expected number to be >0',
      ],
      [
        { profiles: { default: { tracker: { rateLimitPerMinute: 2 ** 60 } } } },
        'at "profiles.default.tracker.rateLimitPerMinute": Too big: expected int to be <=9007199254740991',
      ],
      [
        { profiles: { default: { tracker: { rateLimitPerMinute: '90' } } } },
        'at "profiles.default.tracker.rateLimitPerMinute": Invalid input: expected number, received string',
      ],
      [
        { profiles: { default: { tracker: { fieldMap: { overallScore: 'c1', reportLink: '' } } } } },
        'at "profiles.default.tracker.fieldMap.reportLink": Too small: expected string to have >=1 characters',
      ],
      [
        { profiles: { default: { tracker: { fieldMap: {} } } } },
        'at "profiles.default.tracker.fieldMap.overallScore": Invalid input: expected string, received undefined',
      ],
      [
        { profiles: { default: { tracker: { fieldTypes: { feedback: 3 } } } } },
        'at "profiles.default.tracker.fieldTypes.feedback": Invalid input: expected string, received number',
      ],
      [
        { profiles: { default: { apriora: { defaultModality: 'audio' } } } },
        'at "profiles.default.apriora.defaultModality": Invalid option: expected one of "phone"|"video"',
      ],
      // The first in the profile's own order, whatever the order in the file.
      [
        { profiles: { default: { apriora: { baseUrl: 'x' }, tracker: { region: 'mars' }, sandbox: 1 } } },
        'at "profiles.default.sandbox": Invalid input: expected boolean, received number',
      ],
    ];
    for (const [content, problem] of cases) {
      writeFileSync(path, JSON.stringify(content), { mode: 0o600 });
      const error = await openProfiles(tmp).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(`The config file ${path} is invalid${problem.startsWith('at ') ? ' ' : ': '}${problem}.`);
      expect(error).toMatchObject({ code: 'invalid_config', hint: `Fix or delete ${path} (profiles can be recreated with \`apriora login\`).` });
    }
    writeFileSync(path, '{"profiles":{"default":{"tracker":{"rateLimitPerMinute":1e400}}}}', { mode: 0o600 });
    expect(await openProfiles(tmp).catch((e: InputError) => e.message)).toContain(': Invalid input: expected number, received Infinity.');

    const profiles = await openProfiles(join(tmp, 'fresh'));
    expect(() => profiles.set('default', { tracker: { rateLimitPerMinute: 0 } })).toThrow(
      'Invalid profile "default" at "tracker.rateLimitPerMinute": Too small: expected number to be >0.',
    );
    expect(() => profiles.set('default', null as unknown as Profile)).toThrow(
      'Invalid profile "default" at "": Invalid input: expected object, received null.',
    );
  });

  it('keeps other sections of the config file, drops keys a profile does not have, and trims URLs', async () => {
    const path = join(tmp, 'config.json');
    const file = {
      later: { kept: [1] },
      profiles: { default: { old: true, tracker: { baseUrl: ' https://tracker.test/x\n', region: 'uk', extra: 1 }, apriora: { defaultModality: 'phone' } } },
    };
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    const profiles = await openProfiles(tmp);
    expect(profiles.get('default')).toEqual({ tracker: { region: 'uk', baseUrl: 'https://tracker.test/x' }, apriora: { defaultModality: 'phone' } });
    profiles.set('other', { sandbox: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      later: { kept: [1] },
      profiles: { default: { tracker: { region: 'uk', baseUrl: 'https://tracker.test/x' }, apriora: { defaultModality: 'phone' } }, other: { sandbox: true } },
    });
  });

  it('refuses secrets and bad profile names', async () => {
    const profiles = await openProfiles(tmp);
    expect(() => profiles.set('default', { tracker: { apiKey: 'nope' } } as unknown as Profile)).toThrow(/keychain/);
    expect(() => profiles.set('a/b', {})).toThrow(InputError);
    expect(() => profiles.set('', {})).toThrow(InputError);
    expect(existsSync(profiles.path) ? readFileSync(profiles.path, 'utf8') : '').not.toContain('nope');
  });
});

describe('resolveSecret', () => {
  const env = { TRACKER_API_KEY: 'from-env' };

  it('exports the secret names and their env vars', () => {
    expect(SECRET_ENV).toEqual({
      'tracker.apiKey': 'TRACKER_API_KEY',
      'tracker.password': 'TRACKER_PASSWORD',
      'tracker.restToken': 'TRACKER_REST_TOKEN',
      'apriora.apiKey': 'APRIORA_API_KEY',
      'apriora.webhookSecret': 'APRIORA_WEBHOOK_SECRET',
    });
    expect(accountFor('acme', 'tracker.password')).toBe('acme/tracker.password');
    expect(settingFromEnv('tracker.region', { TRACKER_REGION: ' uk ' })).toBe('uk');
    expect(settingFromEnv('apriora.baseUrl', { APRIORA_BASE_URL: '' })).toBeUndefined();
  });

  it('stdin > env > store, per profile', async () => {
    const store = new MemorySecretStore({ 'acme/tracker.apiKey': 'from-store', 'default/tracker.apiKey': 'other' });
    const opts = { profile: 'acme', store };
    expect(await resolveSecret('tracker.apiKey', { ...opts, env, stdinValue: 'from-stdin\n' })).toEqual({
      value: 'from-stdin',
      source: 'stdin',
    });
    expect(await resolveSecret('tracker.apiKey', { ...opts, env })).toEqual({ value: 'from-env', source: 'env' });
    expect(await resolveSecret('tracker.apiKey', { ...opts, env: { TRACKER_API_KEY: '' } })).toEqual({
      value: 'from-store',
      source: 'memory',
    });
    expect(await resolveSecret('tracker.password', { ...opts, env })).toBeUndefined();
    expect(await resolveSecret('tracker.password', { profile: 'acme', env: {} })).toBeUndefined();
    await expect(resolveSecret('tracker.apiKey', { ...opts, env, stdinValue: '\n' })).rejects.toBeInstanceOf(InputError);
  });

  it('reports the file store as the source', async () => {
    const store = openSecretStore({ kind: 'file', configDir: tmp });
    expect(store.kind).toBe('file');
    await store.set('default/apriora.apiKey', 'k');
    expect(existsSync(credentialsFilePath(tmp))).toBe(true);
    expect(await resolveSecret('apriora.apiKey', { profile: 'default', env: {}, store })).toEqual({
      value: 'k',
      source: 'file',
    });
    expect(openSecretStore({ kind: 'keychain', configDir: tmp }).kind).toBe('keychain');
  });

  it('propagates store errors (a locked keychain is not "not logged in")', async () => {
    const locked: SecretStore = {
      kind: 'keychain',
      get: () => Promise.reject(new AuthError('The keychain is locked', { code: 'keychain_locked' })),
      set: () => Promise.reject(new Error('unused')),
      delete: () => Promise.reject(new Error('unused')),
    };
    await expect(resolveSecret('tracker.apiKey', { profile: 'default', env: {}, store: locked })).rejects.toMatchObject({
      code: 'keychain_locked',
    });
    // env still wins without touching the store
    expect(await resolveSecret('tracker.apiKey', { profile: 'default', env, store: locked })).toEqual({
      value: 'from-env',
      source: 'env',
    });
  });
});

describe('KeychainSecretStore error mapping (fake keyring)', () => {
  const fake = (entry: Partial<KeyringEntry> | (() => never)): KeychainSecretStore => {
    const factory: KeyringEntryFactory = () => (typeof entry === 'function' ? entry() : ({ ...entry } as KeyringEntry));
    return new KeychainSecretStore({
      timeoutMs: 200,
      loadEntryFactory: async () => factory,
    });
  };
  const failWith = (message: string) => () => Promise.reject(Object.assign(new Error(message), { code: 'GenericFailure' }));
  const catchIt = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as AuthError,
    );

  it('an unlock prompt that cannot be shown is keychain_locked; a missing D-Bus is keychain_unavailable', async () => {
    const locked = fake({ getPassword: failWith("Couldn't access platform storage: Secret Service: unlock prompt was dismissed") });
    const error = await catchIt(locked.get('p/x'));
    expect(error?.code).toBe('keychain_locked');
    expect(error?.message).toBe('The keychain is locked: cannot read the credential "p/x".');
    const noBus = fake({ getPassword: failWith('Platform failure: DBus error: Failed to connect to socket /run/user/0/bus') });
    expect((await catchIt(noBus.get('p/x')))?.code).toBe('keychain_unavailable');
  });

  it('maps null to undefined and false to false', async () => {
    const store = fake({ getPassword: async () => null, deleteCredential: async () => false });
    expect(await store.get('default/x')).toBeUndefined();
    expect(await store.delete('default/x')).toBe(false);
  });

  it('never puts the secret in an error', async () => {
    const store = fake({ setPassword: (value: string) => Promise.reject(new Error(`weird failure echoing ${value}`)) });
    const error = await catchIt(store.set('p/x', 's3cr3t-value'));
    expect(error?.code).toBe('keychain_error');
    expect(JSON.stringify({ m: error?.message, d: error?.details, h: error?.hint })).not.toContain('s3cr3t-value');
  });
});

describe.skipIf(process.platform !== 'linux')('KeychainSecretStore without a Secret Service (real addon)', () => {
  it('throws keychain_unavailable quickly instead of hanging', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tmp, 'no-bus')}`;
    try {
      const started = Date.now();
      const error = await new KeychainSecretStore().get('default/tracker.apiKey').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_500);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('keychain_unavailable');
      expect((error as AuthError).message).toMatch(/keychain is unavailable/);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
