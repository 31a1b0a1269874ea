import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'apriora.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of --json. */
  json<T = any>(): T;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  extraNodeArgs?: string[];
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the CLI has ended. */
  done: Promise<CliResult>;
  /** Resolves once the output so far satisfies `predicate`; rejects if the CLI ends first. */
  until(predicate: (stdout: string, stderr: string) => boolean): Promise<void>;
}

/** A throwaway config dir and an environment that can never reach the user's keychain or real Tracker. */
export class CliSandbox {
  readonly configDir = mkdtempSync(join(tmpdir(), 'apriora-e2e-'));

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TRACKER_|APRIORA_|XDG_|FORCE_COLOR|NO_COLOR|CI$)/.test(key)));
    return {
      ...clean,
      APRIORA_CONFIG_DIR: this.configDir,
      APRIORA_DATA_DIR: join(this.configDir, 'data'),
      APRIORA_CREDENTIAL_STORE: 'file',
      CI: '1',
      ...extra,
    };
  }

  run(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return this.start(args, options).done;
  }

  /** Spawns the CLI without waiting for it: for output read while it runs, signals, and concurrent runs. */
  start(args: string[], options: CliOptions = {}): RunningCli {
    const child = spawn(process.execPath, [...(options.extraNodeArgs ?? []), BIN, ...args], {
      env: this.env(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let closed = false;
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const waiter of waiters) waiter();
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      notify();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      notify();
    });
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        closed = true;
        resolve({
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
        });
        notify();
      });
    });
    child.stdin.end(options.input ?? '');
    return {
      child,
      done,
      until(predicate) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (predicate(stdout, stderr)) {
              waiters.delete(check);
              resolve();
            } else if (closed) {
              waiters.delete(check);
              reject(new Error(`the CLI ended (${child.exitCode ?? child.signalCode}) before the awaited output:\n${stdout}\nstderr:\n${stderr}`));
            }
          };
          waiters.add(check);
          check();
        });
      },
    };
  }

  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}

/** stdout is exactly one JSON envelope of the conventions: `{ok, data, warnings}` or `{ok: false, error, warnings}`. */
export function expectEnvelope(result: CliResult, ok: boolean) {
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
