/**
 * Where secrets live. Three implementations: the OS keychain (keychain.ts), a 0600 JSON file that the user asked
 * for (file-secrets.ts), and memory (tests). Accounts are `<profile>/<secret name>` (see credentials.ts).
 */
export type SecretStoreKind = 'keychain' | 'file' | 'memory';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** The stored value, or undefined when nothing is stored. Rejects when the store cannot be read (locked...). */
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted, false when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
}

/** In-memory store for tests (and `APRIORA_CREDENTIAL_STORE=memory`). */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly #values: Map<string, string>;

  constructor(initial: Record<string, string> = {}) {
    this.#values = new Map(Object.entries(initial));
  }

  async get(account: string): Promise<string | undefined> {
    return this.#values.get(account);
  }

  async set(account: string, value: string): Promise<void> {
    this.#values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    return this.#values.delete(account);
  }

  /** Accounts currently stored (for test assertions). */
  accounts(): string[] {
    return [...this.#values.keys()].sort();
  }
}
