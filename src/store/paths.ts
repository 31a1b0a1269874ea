import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { PathRole } from '../system-errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

const APP = 'apriora';

/** The profiles' file in the config dir. */
export const CONFIG_FILE_NAME = 'config.json';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** XDG base directories must be absolute; a relative one is ignored (XDG Base Directory spec). */
function xdg(value: string | undefined): string | undefined {
  const v = nonEmpty(value);
  return v !== undefined && isAbsolute(v) ? v : undefined;
}

/** `APRIORA_CONFIG_DIR` > `$XDG_CONFIG_HOME/apriora` > `~/.config/apriora`. Does not create it. */
export function configDir(env: Env = process.env, home: string = homedir()): string {
  const explicit = nonEmpty(env.APRIORA_CONFIG_DIR);
  if (explicit !== undefined) return resolve(explicit);
  const base = xdg(env.XDG_CONFIG_HOME) ?? join(home, '.config');
  return join(base, APP);
}

/** `APRIORA_DATA_DIR` > `$XDG_DATA_HOME/apriora` > `~/.local/share/apriora`. Does not create it. */
export function dataDir(env: Env = process.env, home: string = homedir()): string {
  const explicit = nonEmpty(env.APRIORA_DATA_DIR);
  if (explicit !== undefined) return resolve(explicit);
  const base = xdg(env.XDG_DATA_HOME) ?? join(home, '.local', 'share');
  return join(base, APP);
}

/**
 * Creates `dir` (and its parents) with mode 0700, and tightens an existing directory to 0700 when it is ours and
 * open to group/others. A shared sticky directory such as /tmp (someone pointed APRIORA_CONFIG_DIR at it) is never
 * chmod-ed. Returns `dir`.
 */
export function ensurePrivateDir(dir: string): string {
  makeDirectories(resolve(dir));
  const st = statSync(dir);
  const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
  const sticky = (st.mode & 0o1000) !== 0;
  if (ours && !sticky && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** The CLI's directories, for messages about a file in them (src/system-errors.ts). */
export function storageRoles(env: Env = process.env): PathRole[] {
  return [{ dir: configDir(env), what: 'the config dir', env: 'APRIORA_CONFIG_DIR' }, dataDirRole(dataDir(env))];
}

/** The data dir `dir`, for messages about a file in it. */
export function dataDirRole(dir: string): PathRole {
  return { dir: resolve(dir), what: 'the data dir', env: 'APRIORA_DATA_DIR' };
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir loops forever where a parent exists but takes no new
 * directory (under /proc), and a dangling link then fails with ENOENT naming the level that could not be made.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(path)) throw error;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
