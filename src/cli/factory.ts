import type { AprioraClient } from '../apriora/client.js';
import type { HttpClient, Throttle } from '../http/client.js';
import type { Env } from '../store/paths.js';
import type { Profile, Profiles } from '../store/profiles.js';
import type { RestJwtCache } from '../store/rest-token-cache.js';
import type { SecretStore } from '../store/secret-store.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import type { TrackerRestClient } from '../tracker/rest.js';
import type { AprioraTarget, TrackerCredentials, TrackerRestTarget, TrackerTarget } from '../workflows/connections.js';

/** Where a profile's secrets are kept; `env`: nowhere, every command reads them from the environment (CI). */
export type StoreKind = 'keychain' | 'file' | 'env';

export interface TrackerConnection {
  profile: Profile | undefined;
  target: TrackerTarget;
  client: TrackerClient;
}

export interface AprioraConnection {
  profile: Profile | undefined;
  target: AprioraTarget;
  client: AprioraClient;
}

const USER_AGENT = 'apriora-tracker-cli';

/** The client-side pace of Tracker requests: the profile's (tracker login --rate-limit, --rate-burst) or the defaults. */
export interface TrackerRate {
  perMinute?: number | undefined;
  burst?: number | undefined;
}

/** Per-request limits for clients that must answer fast (doctor's): each request's timeout and its retries. */
export interface RequestLimits {
  timeoutMs?: number;
  maxRetries?: number;
  /** The longest Retry-After waited for; a longer one fails at once (rate_limited). */
  maxRetryAfterMs?: number;
}

function trackerRate(profile: Profile | undefined): TrackerRate {
  return { perMinute: profile?.tracker?.rateLimitPerMinute, burst: profile?.tracker?.rateBurst };
}

/**
 * Everything a command gets from outside its flags, built once per process and only when first asked for: the
 * profile, the secret store (opened once), the Tracker and Apriora clients. Tests replace pieces by passing their
 * own environment (config dir, credential store, base URLs).
 */
export class Factory {
  private profilesOnce: Promise<Profiles> | undefined;
  private readonly secretStores = new Map<StoreKind, Promise<SecretStore>>();
  private trackerOnce: Promise<TrackerConnection> | undefined;
  private trackerRestOnce: Promise<TrackerRestClient> | undefined;
  private trackerThrottleOnce: Promise<Throttle> | undefined;
  private aprioraOnce: Promise<AprioraConnection> | undefined;
  private readonly restJwtCaches = new Map<string, RestJwtCache>();

  constructor(
    private readonly options: {
      env: Env;
      profileName: string;
      trace: ((line: string) => void) | undefined;
      /** The command's warnings (stderr, or the JSON envelope); without it, warnings go to the --debug trace only. */
      warn?: (message: string) => void;
    },
  ) {}

  get profileName(): string {
    return this.options.profileName;
  }

  profiles(): Promise<Profiles> {
    this.profilesOnce ??= (async () => {
      const [{ configDir }, { openProfiles }] = await Promise.all([import('../store/paths.js'), import('../store/profiles.js')]);
      return openProfiles(configDir(this.options.env));
    })();
    return this.profilesOnce;
  }

  async profile(): Promise<Profile | undefined> {
    return (await this.profiles()).get(this.profileName);
  }

  /**
   * APRIORA_CREDENTIAL_STORE (for scripts and tests) wins over the profile's choice of keychain or file; the keychain
   * is the default. A profile that keeps its secrets in the environment never reads a store, whatever the variable says.
   */
  storeKind(profile: Profile | undefined): StoreKind {
    if (profile?.credentialStore === 'env') return 'env';
    const fromEnv = this.options.env.APRIORA_CREDENTIAL_STORE;
    if (fromEnv === 'file' || fromEnv === 'keychain') return fromEnv;
    return profile?.credentialStore ?? 'keychain';
  }

  /**
   * Where a login keeps the secrets it is given: the profile's store; for a profile that kept none (its secrets in the
   * environment), the one APRIORA_CREDENTIAL_STORE names, else the keychain.
   */
  storeToSaveIn(profile: Profile | undefined): 'keychain' | 'file' {
    const kind = this.storeKind(profile);
    if (kind !== 'env') return kind;
    return this.options.env.APRIORA_CREDENTIAL_STORE === 'file' ? 'file' : 'keychain';
  }

  /** The profile's secret store, or the one of `kind` (a login choosing the file store). Nothing is read yet. */
  async secrets(kind?: StoreKind): Promise<SecretStore> {
    const chosen = kind ?? this.storeKind(await this.profile());
    let store = this.secretStores.get(chosen);
    if (!store) {
      store = (async () => {
        const [{ configDir }, { openSecretStore }] = await Promise.all([import('../store/paths.js'), import('../store/credentials.js')]);
        // A profile whose secrets live in the environment reads no store: an empty one stands in for it.
        return openSecretStore({ kind: chosen === 'env' ? 'memory' : chosen, configDir: configDir(this.options.env) });
      })();
      this.secretStores.set(chosen, store);
    }
    return store;
  }

  /**
   * A profile that does not exist has nothing in the keychain (a login always saves the profile): the keychain is not
   * asked, so that a missing profile reads as "not logged in", not as a keychain that cannot be reached.
   */
  private async lookup() {
    const profile = await this.profile();
    const kind = this.storeKind(profile);
    const secrets = profile === undefined && kind === 'keychain' ? undefined : await this.secrets(kind);
    return { env: this.options.env, profileName: this.profileName, profile, secrets };
  }

  async trackerTarget(): Promise<TrackerTarget> {
    const { resolveTrackerTarget } = await import('../workflows/connections.js');
    return resolveTrackerTarget(await this.lookup());
  }

  /** Where Tracker's REST API is for the profile, and its REST API token when one is set. */
  async trackerRestTarget(widget?: TrackerTarget): Promise<TrackerRestTarget> {
    const { resolveTrackerRestTarget } = await import('../workflows/connections.js');
    return resolveTrackerRestTarget(await this.lookup(), widget ?? (await this.trackerTarget()));
  }

  async aprioraTarget(): Promise<AprioraTarget> {
    const { resolveAprioraTarget } = await import('../workflows/connections.js');
    return resolveAprioraTarget(await this.lookup());
  }

  /** The profile's Tracker client, or an AuthError that says how to log in. */
  tracker(): Promise<TrackerConnection> {
    this.trackerOnce ??= (async () => {
      const { requireTrackerCredentials } = await import('../workflows/connections.js');
      const [profile, target] = await Promise.all([this.profile(), this.trackerTarget()]);
      const credentials = requireTrackerCredentials(target, this.profileName, this.storeKind(profile) === 'env');
      return { profile, target, client: await this.trackerClient(target.baseUrl, credentials, trackerRate(profile)) };
    })();
    return this.trackerOnce;
  }

  /**
   * The profile's Tracker REST client, or an AuthError saying where the customer's admin generates a REST API token
   * and how to log it in. It shares the token's cached JWT with every process using that token (whatever their
   * profile) and its rate budget with the Widget client of this process.
   */
  trackerRest(): Promise<TrackerRestClient> {
    this.trackerRestOnce ??= (async () => {
      const { requireTrackerRestToken } = await import('../workflows/connections.js');
      const profile = await this.profile();
      const rest = await this.trackerRestTarget();
      const token = requireTrackerRestToken(rest, this.profileName, this.storeKind(profile) === 'env');
      return this.trackerRestClient(rest.baseUrl.value, token, trackerRate(profile));
    })();
    return this.trackerRestOnce;
  }

  /** The profile's Apriora client, or an AuthError that says how to log in. */
  apriora(): Promise<AprioraConnection> {
    this.aprioraOnce ??= (async () => {
      const { requireAprioraKey } = await import('../workflows/connections.js');
      const [profile, target] = await Promise.all([this.profile(), this.aprioraTarget()]);
      const key = requireAprioraKey(target, this.profileName, this.storeKind(profile) === 'env');
      return { profile, target, client: await this.aprioraClient(target.baseUrl, key) };
    })();
    return this.aprioraOnce;
  }

  /**
   * The target, and a client only when every credential is set: for `status` and `doctor`, which report what is
   * missing; `limits` bound each request of these clients (doctor's short timeout and single retry).
   */
  async trackerProbe(limits: RequestLimits = {}): Promise<{
    profile: Profile | undefined;
    target: TrackerTarget;
    client: TrackerClient | undefined;
    rest: { target: TrackerRestTarget; client: TrackerRestClient | undefined };
  }> {
    const { trackerCredentials } = await import('../workflows/connections.js');
    const [profile, target] = await Promise.all([this.profile(), this.trackerTarget()]);
    const restTarget = await this.trackerRestTarget(target);
    const credentials = trackerCredentials(target);
    const rateLimit = trackerRate(profile);
    const client = credentials && (await this.trackerClient(target.baseUrl, credentials, rateLimit, limits));
    const restClient = restTarget.token && (await this.trackerRestClient(restTarget.baseUrl.value, restTarget.token.value, rateLimit, limits));
    return { profile, target, client, rest: { target: restTarget, client: restClient } };
  }

  async aprioraProbe(limits: RequestLimits = {}): Promise<{ profile: Profile | undefined; target: AprioraTarget; client: AprioraClient | undefined }> {
    const [profile, target] = await Promise.all([this.profile(), this.aprioraTarget()]);
    const client = target.apiKey && (await this.aprioraClient(target.baseUrl, target.apiKey.value, limits));
    return { profile, target, client };
  }

  /** The cross-process write locks of the profile's Tracker database (shared with other profiles of that database). */
  async writeLocks(): Promise<WriteLock> {
    const [{ dataDir }, { openWriteLocks, trackerDatabaseKey, writeLocksDir }, { target }] = await Promise.all([
      import('../store/paths.js'),
      import('../store/write-lock.js'),
      this.tracker(),
    ]);
    return openWriteLocks(writeLocksDir(dataDir(this.options.env), trackerDatabaseKey(target.baseUrl, target.username?.value ?? '')));
  }

  async trackerClient(baseUrl: string, credentials: TrackerCredentials, rate: TrackerRate = {}, limits: RequestLimits = {}): Promise<TrackerClient> {
    const { TrackerClient } = await import('../tracker/client.js');
    return new TrackerClient({
      http: await this.http({ baseUrl, service: 'Tracker', throttle: await this.trackerThrottle(rate), changeUrl: this.changeUrlHint('tracker'), ...limits }),
      credentials,
    });
  }

  /** A Tracker REST client at `baseUrl` with the token's shared JWT cache and the process's Tracker rate budget. */
  async trackerRestClient(baseUrl: string, apiToken: string, rate: TrackerRate = {}, limits: RequestLimits = {}): Promise<TrackerRestClient> {
    const [{ TrackerRestClient, restTokenHint }, cache, profile] = await Promise.all([
      import('../tracker/rest.js'),
      this.restJwtCache(baseUrl, apiToken),
      this.profile(),
    ]);
    return new TrackerRestClient({
      http: await this.http({
        baseUrl,
        service: 'Tracker REST',
        throttle: await this.trackerThrottle(rate),
        changeUrl: this.changeUrlHint('trackerRest'),
        ...limits,
      }),
      apiToken,
      cache,
      tokenHint: restTokenHint(this.profileName, this.storeKind(profile) === 'env'),
    });
  }

  /**
   * The cached Tracker REST JWT of `apiToken` at `baseUrl`, shared by every process and profile using that token on
   * this machine (`<dataDir>/tracker-rest/`). One per token in this process, so that a warning about it is given once.
   */
  async restJwtCache(baseUrl: string, apiToken: string): Promise<RestJwtCache> {
    const [{ dataDir }, { openRestJwtCache }, { restJwtKey }] = await Promise.all([
      import('../store/paths.js'),
      import('../store/rest-token-cache.js'),
      import('../tracker/rest-auth.js'),
    ]);
    const key = restJwtKey(baseUrl, apiToken);
    let cache = this.restJwtCaches.get(key);
    if (!cache) {
      const { trace, warn } = this.options;
      cache = openRestJwtCache(dataDir(this.options.env), key, {
        onExposed: (message) => {
          trace?.(message);
          warn?.(message);
        },
      });
      this.restJwtCaches.set(key, cache);
    }
    return cache;
  }

  /**
   * One client-side rate budget for every Tracker request of this process, Widget and REST alike (Tracker counts them
   * together per database): the first client made fixes the rate, the profile's or the default 90 a minute, and its
   * burst.
   */
  private trackerThrottle(rate: TrackerRate): Promise<Throttle> {
    this.trackerThrottleOnce ??= (async () => {
      const [{ createThrottle }, { DEFAULT_TRACKER_RATE_LIMIT }] = await Promise.all([import('../http/throttle.js'), import('../tracker/hosts.js')]);
      return createThrottle(rate.perMinute ?? DEFAULT_TRACKER_RATE_LIMIT, { burst: rate.burst });
    })();
    return this.trackerThrottleOnce;
  }

  async aprioraClient(baseUrl: string, apiKey: string, limits: RequestLimits = {}): Promise<AprioraClient> {
    const { AprioraClient } = await import('../apriora/client.js');
    return new AprioraClient({ http: await this.http({ baseUrl, service: 'Apriora', changeUrl: this.changeUrlHint('apriora'), ...limits }), apiKey });
  }

  /** Where each URL is set: its variable, or the profile's login. */
  private changeUrlHint(which: 'tracker' | 'trackerRest' | 'apriora'): string {
    const profile = this.profileName === 'default' ? '' : ` --profile ${this.profileName}`;
    switch (which) {
      case 'tracker':
        return `To use another, set TRACKER_BASE_URL or run \`apriora tracker login${profile} --base-url URL\` (or --region us|ca|uk).`;
      case 'trackerRest':
        return `To use another, set TRACKER_REST_BASE_URL or run \`apriora tracker login${profile} --rest-base-url URL\`.`;
      case 'apriora':
        return `To use another, set APRIORA_BASE_URL or run \`apriora login${profile} --base-url URL\`.`;
    }
  }

  async http(
    options: { baseUrl: string; service: string; rateLimitPerMinute?: number; throttle?: Throttle; changeUrl?: string } & RequestLimits,
  ): Promise<HttpClient> {
    const { HttpClient } = await import('../http/client.js');
    return new HttpClient({ ...options, trace: this.options.trace, userAgent: USER_AGENT });
  }
}
