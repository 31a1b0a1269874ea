import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The launcher of the built CLI, next to dist/: the demo runs exactly what a user runs. */
export const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env: NodeJS.ProcessEnv;
  /** Written to the child's stdin (secrets for --api-key-stdin / --password-stdin); stdin is closed either way. */
  input?: string;
  signal?: AbortSignal;
}

/** Runs `node bin/apriora.js …args` and collects its output. Rejects only when the process cannot start. */
export function runCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      killSignal: 'SIGINT',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on('error', () => undefined); // the child may exit before reading stdin (EPIPE)
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The environment of every step: the user's, minus anything that could point the CLI at real credentials, a real
 * config or the keychain, plus a throwaway config dir, the file credential store and the demo profile.
 */
export function demoEnv(configDir: string, dataDir: string, color: boolean): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(TRACKER_|APRIORA_|XDG_CONFIG_HOME$|XDG_DATA_HOME$|DBUS_SESSION_BUS_ADDRESS$|NO_COLOR$|FORCE_COLOR$)/.test(key),
    ),
  );
  return {
    ...inherited,
    APRIORA_CONFIG_DIR: configDir,
    APRIORA_DATA_DIR: dataDir,
    APRIORA_CREDENTIAL_STORE: 'file',
    APRIORA_PROFILE: 'demo',
    // The children write to pipes: force colour when the demo itself is on a terminal, otherwise switch it off.
    ...(color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }),
  };
}

/** An argument as a user would type it in a POSIX shell. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:@=,+-]+$/.test(arg)) return arg;
  if (!/["\\$`!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
