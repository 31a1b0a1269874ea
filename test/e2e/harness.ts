import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A throwaway config dir and an environment that can never reach the user's keychain or real Tracker. */
export class CliSandbox {
  readonly configDir = mkdtempSync(join(tmpdir(), 'apriora-e2e-'));

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) =>
      !/^(TRACKER_|APRIORA_|XDG_|FORCE_COLOR|NO_COLOR|CI$)/.test(key)));
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
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...(options.extraNodeArgs ?? []), BIN, ...args], {
        env: this.env(options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
      child.on('error', reject);
      child.on('close', (code) => resolve({
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
      }));
      child.stdin.end(options.input ?? '');
    });
  }

  cleanup(): void {
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
