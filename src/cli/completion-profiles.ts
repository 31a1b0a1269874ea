import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, configDir } from '../store/paths.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The profile names of the config file, for a shell completing `--profile`: read on every Tab, so only the file is
 * read (no validation, no API code), and any problem with it is simply no names.
 */
export function profileNames(env: NodeJS.ProcessEnv): string[] {
  try {
    const config = JSON.parse(readFileSync(join(configDir(env), CONFIG_FILE_NAME), 'utf8')) as { profiles?: unknown };
    const profiles = config.profiles;
    if (typeof profiles !== 'object' || profiles === null) return [];
    return Object.keys(profiles)
      .filter((name) => PROFILE_NAME.test(name))
      .sort();
  } catch {
    return [];
  }
}
