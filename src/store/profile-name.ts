import { InputError } from '../errors.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Profile names end up in keychain accounts (`<profile>/<secret>`) and file names: keep them plain. */
export function validateProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new InputError(`Invalid profile name "${name}"`, {
      code: 'invalid_profile_name',
      hint: 'Use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    });
  }
  return name;
}
