import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * What the CLI in this process (test/support/cli.ts) and the CLI as a real process (test/e2e/harness.ts) share: the
 * environment of a throwaway user, the result of a command, waiting for output while it runs, and the JSON envelope.
 */

/** A command that has ended: its exit code (null for a process killed by a signal) and what it wrote. */
export interface CliResult<Code extends number | null = number> {
  code: Code;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of --json. */
  json<T = any>(): T;
}

export function cliResult<Code extends number | null>(code: Code, stdout: string, stderr: string): CliResult<Code> {
  return {
    code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not one JSON document:\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/**
 * The environment of a user whose config and data live in `configDir`: nothing of the real user's Tracker or Apriora
 * settings, colour or CI flags, secrets in the file store (never the keychain), and CI set. `extra` adds to it; an
 * undefined value removes a variable.
 */
export function cliEnv(configDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TRACKER_|APRIORA_|XDG_|FORCE_COLOR$|NO_COLOR$|CI$|COLUMNS$)/.test(key)));
  const env: NodeJS.ProcessEnv = {
    ...clean,
    APRIORA_CONFIG_DIR: configDir,
    APRIORA_DATA_DIR: join(configDir, 'data'),
    APRIORA_CREDENTIAL_STORE: 'file',
    CI: '1',
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Waiting for the output of a command that is still running. `output` reads what it has written so far; `ended`
 * says, once it has ended, how (for the error), and undefined before. Call `changed` after each write and at the end.
 */
export function outputWaiter(output: () => { stdout: string; stderr: string }, ended: () => string | undefined) {
  const waiters = new Set<() => void>();
  return {
    changed(): void {
      for (const waiter of waiters) waiter();
    },
    /** Resolves once the output so far satisfies `predicate`; rejects if the command ends first. */
    until(predicate: (stdout: string, stderr: string) => boolean): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const { stdout, stderr } = output();
          const end = ended();
          if (predicate(stdout, stderr)) {
            waiters.delete(check);
            resolve();
          } else if (end !== undefined) {
            waiters.delete(check);
            reject(new Error(`${end} before the awaited output:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** stdout is exactly one JSON envelope of the conventions: `{ok, data, warnings}` or `{ok: false, error, warnings}`. */
export function expectEnvelope(result: Pick<CliResult<number | null>, 'json' | 'stdout' | 'stderr'>, ok: boolean) {
  const document = result.json();
  expect(document.ok, result.stdout + result.stderr).toBe(ok);
  expect(Array.isArray(document.warnings)).toBe(true);
  if (ok) {
    expect(Object.keys(document).sort()).toEqual(['data', 'ok', 'warnings']);
  } else {
    expect(document.error).toEqual({
      code: expect.any(String),
      message: expect.any(String),
      hint: expect.toSatisfy((hint: unknown) => hint === null || typeof hint === 'string'),
      details: expect.toSatisfy((details: unknown) => details === null || typeof details === 'object'),
    });
  }
  return document;
}
