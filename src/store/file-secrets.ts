import { readFile, stat } from 'node:fs/promises';
import { EnvironmentError, InputError } from '../errors.js';
import { shellArg } from '../system-errors.js';
import { writePrivateFile } from './private-file.js';
import type { SecretStore } from './secret-store.js';

/** File name of the opt-in credentials file inside the config dir. */
export const CREDENTIALS_FILE_NAME = 'credentials.json';

interface CredentialsFile {
  version: 1;
  secrets: Record<string, string>;
}

/**
 * Secrets in a JSON file: directory 0700, file 0600, atomic writes (temp file + rename). Only used when the user
 * asked for it (`--insecure-storage`, or a profile with `credentialStore: 'file'`).
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  constructor(readonly path: string) {}

  async get(account: string): Promise<string | undefined> {
    const secrets = await this.#read();
    return Object.hasOwn(secrets, account) ? secrets[account] : undefined;
  }

  async set(account: string, value: string): Promise<void> {
    const secrets = await this.#read();
    secrets[account] = value;
    await this.#write(secrets);
  }

  async delete(account: string): Promise<boolean> {
    const secrets = await this.#read();
    if (!Object.hasOwn(secrets, account)) return false;
    delete secrets[account];
    await this.#write(secrets);
    return true;
  }

  async #read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Record<string, string>;
      throw error;
    }
    await this.#checkMode();
    // Never echo the content: it is secrets.
    const corrupt = () =>
      new InputError(`The credentials file ${this.path} is corrupt.`, {
        code: 'corrupt_credentials_file',
        hint: `Delete ${this.path} and log in again.`,
      });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw corrupt();
    }
    if (typeof parsed !== 'object' || parsed === null) throw corrupt();
    const raw = (parsed as Partial<CredentialsFile>).secrets ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt();
    const secrets = Object.create(null) as Record<string, string>;
    for (const [account, value] of Object.entries(raw)) {
      if (typeof value !== 'string') throw corrupt();
      secrets[account] = value;
    }
    return secrets;
  }

  /**
   * A file that others may read or write is refused, as ssh refuses a private key that is: its secrets may have been
   * read, or replaced, and silently tightening it would hide that. `chmod 600` is the fix.
   */
  async #checkMode(): Promise<void> {
    if (process.platform === 'win32') return;
    const { mode } = await stat(this.path);
    if ((mode & 0o077) === 0) return;
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new EnvironmentError(`The credentials file ${this.path} is open to other users (mode ${octal}): refusing to use it.`, {
      code: 'insecure_credentials_file',
      hint: `Run \`chmod 600 ${shellArg(this.path)}\`; if others could have read it, replace the keys it holds.`,
      details: { path: this.path, mode: octal },
    });
  }

  async #write(secrets: Record<string, string>): Promise<void> {
    const body: CredentialsFile = { version: 1, secrets: { ...secrets } };
    writePrivateFile(this.path, `${JSON.stringify(body, undefined, 2)}\n`);
  }
}
