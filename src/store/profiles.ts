import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { boolean, type Infer, object, oneOf, optional, positiveInt, record, safeParse, string, url } from '../lib/shape.js';
import { CONFIG_FILE_NAME } from './paths.js';
import { writePrivateFile } from './private-file.js';
import { validateProfileName } from './profile-name.js';

export { validateProfileName };

export const DEFAULT_PROFILE = 'default';
export { CONFIG_FILE_NAME };

const fieldMapSchema = object({
  overallScore: string({ min: 1 }),
  reportLink: string({ min: 1 }),
  gradingCriteria: string({ min: 1 }),
  feedback: string({ min: 1 }),
});

/**
 * The Tracker type of each mapped field (`getSettingsData` customFields[].Type, e.g. Text, Number, Memo), saved by
 * `tracker fields map` so that values are checked before anything is written. Profiles saved before it have none.
 */
const fieldTypesSchema = object({
  overallScore: optional(string()),
  reportLink: optional(string()),
  gradingCriteria: optional(string()),
  feedback: optional(string()),
});

/**
 * A profile: one customer. Never holds secrets (those live in the keychain, see credentials.ts). Checked without zod,
 * whose load time every command would pay: see src/lib/shape.ts.
 */
export const profileSchema = object({
  sandbox: optional(boolean()),
  /** `env`: no secret is stored; every command reads them from the environment (`tracker login --env-secrets`). */
  credentialStore: optional(oneOf('keychain', 'file', 'env')),
  tracker: optional(
    object({
      region: optional(oneOf('us', 'ca', 'uk')),
      baseUrl: optional(url()),
      /** Tracker's REST API base URL, when neither the region nor the Widget base URL gives the right one. */
      restBaseUrl: optional(url()),
      username: optional(string({ min: 1 })),
      /** ISO 3166 alpha-2 country of phone numbers typed without a country code (default: the region's). */
      country: optional(string({ pattern: /^[A-Z]{2}$/ })),
      rateLimitPerMinute: optional(positiveInt()),
      /** Tracker requests that may go at once after a pause (default: a tenth of the rate limit). */
      rateBurst: optional(positiveInt()),
      activityType: optional(string({ min: 1 })),
      fieldMap: optional(fieldMapSchema),
      fieldTypes: optional(fieldTypesSchema),
    }),
  ),
  apriora: optional(
    object({
      baseUrl: optional(url()),
      defaultModality: optional(oneOf('phone', 'video')),
    }),
  ),
});

export type Profile = Infer<typeof profileSchema>;
export type FieldMap = Infer<typeof fieldMapSchema>;
export type FieldTypes = Infer<typeof fieldTypesSchema>;

/** Other top-level sections are kept as they are (forward compatibility). */
const configSchema = object({ profiles: optional(record(profileSchema)) }, { keepUnknown: true });

const SECRET_KEY = /pass(word)?|secret|token|api_?key|credential(?!Store$)/i;

/** Refuses any key that looks like a secret, so a caller bug cannot write one into the config file. */
function assertNoSecrets(value: unknown, path: string[] = []): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) {
      throw new InputError(`Refusing to store "${[...path, key].join('.')}" in the config file: secrets go to the keychain.`, {
        code: 'secret_in_config',
      });
    }
    assertNoSecrets(child, [...path, key]);
  }
}

export interface Profiles {
  /** Absolute path of the config file. */
  readonly path: string;
  get(name: string): Profile | undefined;
  set(name: string, profile: Profile): void;
  /** Applies `fn` to the current profile (`{}` when absent), saves and returns the result. */
  update(name: string, fn: (profile: Profile) => Profile): Profile;
  delete(name: string): void;
  /** Profile names, sorted. */
  list(): string[];
}

type ConfigData = Infer<typeof configSchema>;

/**
 * Opens `<configDir>/config.json` (dir 0700, file 0600, atomic writes). Plain JSON read and written directly: `conf`
 * did the same but cost ~190 ms of start-up per command (its JSON-schema validator).
 * A corrupt or invalid file is an `InputError` naming the file.
 */
export async function openProfiles(configDir: string): Promise<Profiles> {
  const path = join(configDir, CONFIG_FILE_NAME);
  tightenFileMode(path);

  const read = (): ConfigData => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // A directory or file that cannot be read is the machine's fault, reported with its fix (src/system-errors.ts).
      if (!(error instanceof SyntaxError)) throw error;
      throw corrupt(path);
    }
    const parsed = safeParse(configSchema, raw);
    if (!parsed.success) {
      const { issue } = parsed;
      const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
      throw new InputError(`The config file ${path} is invalid${where}: ${issue.message}.`, {
        code: 'invalid_config',
        hint: `Fix or delete ${path} (profiles can be recreated with \`apriora login\`).`,
      });
    }
    return parsed.data;
  };

  read(); // a corrupt file is reported when opened, before any command does work

  const write = (data: ConfigData): void => {
    writePrivateFile(path, `${JSON.stringify(data, undefined, '\t')}\n`);
  };

  const profiles: Profiles = {
    path,
    get(name) {
      const all = read().profiles ?? {};
      return Object.hasOwn(all, name) ? all[name] : undefined;
    },
    set(name, profile) {
      validateProfileName(name);
      assertNoSecrets(profile);
      const checked = safeParse(profileSchema, profile);
      if (!checked.success) {
        const { issue } = checked;
        throw new InputError(`Invalid profile "${name}" at "${issue.path.join('.')}": ${issue.message}.`, { code: 'invalid_profile' });
      }
      const data = read();
      write({ ...data, profiles: { ...(data.profiles ?? {}), [name]: checked.data } });
    },
    update(name, fn) {
      const next = fn(structuredClone(profiles.get(name) ?? {}));
      profiles.set(name, next);
      return profiles.get(name) ?? next;
    },
    delete(name) {
      const data = read();
      if (!data.profiles || !Object.hasOwn(data.profiles, name)) return;
      const { [name]: _removed, ...rest } = data.profiles;
      write({ ...data, profiles: rest });
    },
    list() {
      return Object.keys(read().profiles ?? {}).sort();
    },
  };
  return profiles;
}

function corrupt(path: string): InputError {
  return new InputError(`The config file ${path} is not valid JSON.`, {
    code: 'invalid_config',
    hint: `Fix or delete ${path} (profiles can be recreated with \`apriora login\`).`,
  });
}

/**
 * config.json holds no secrets: one open to others is put back to 0600 where that is possible, and used as it is on a
 * read-only mount or when it belongs to someone else.
 */
function tightenFileMode(path: string): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    if (!['EROFS', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
