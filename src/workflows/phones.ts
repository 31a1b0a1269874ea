import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js';
import { InputError } from '../errors.js';
import type { Profile } from '../store/profiles.js';
import type { Region } from '../tracker/hosts.js';

/**
 * Phone numbers for Apriora's phone interviews: Tracker's numbers are typed freely by recruiters (`(617) 555-0110`,
 * `07700 900123`), Apriora wants E.164 (`+16175550110`). Normalised with libphonenumber-js for the profile's default
 * country; a number that cannot be normalised is no number.
 */

/** The Tracker candidate fields that hold phone numbers, in the order they are tried. */
export const PHONE_FIELDS = ['cellphone', 'workphone', 'homephone'] as const;
export type PhoneField = (typeof PHONE_FIELDS)[number];

const REGION_COUNTRIES: Record<Region, string> = { us: 'US', ca: 'CA', uk: 'GB' };

/**
 * The country a number without its international prefix belongs to: the profile's own (`tracker.country`), else
 * the one of its Tracker region (us → US, ca → CA, uk → GB), else US.
 */
export function defaultCountry(profile: Profile | undefined, target: { region?: Region | undefined } | undefined): string {
  const own = (profile?.tracker as { country?: unknown } | undefined)?.country;
  if (typeof own === 'string' && own.trim()) return own.trim().toUpperCase();
  return REGION_COUNTRIES[target?.region ?? profile?.tracker?.region ?? 'us'];
}

/** An ISO 3166 alpha-2 country code that libphonenumber knows (`--country`), upper-cased; else an InputError. */
export function parseCountry(value: string, where: string): CountryCode {
  const code = value.trim().toUpperCase();
  if (!isCountry(code)) {
    throw new InputError(`${where}: "${value}" is not a country code (ISO 3166 alpha-2, e.g. US, CA, GB)`, { code: 'invalid_country' });
  }
  return code;
}

function isCountry(code: string): code is CountryCode {
  return (getCountries() as string[]).includes(code);
}

export interface NormalisedPhone {
  /** E.164, e.g. +16175550110. */
  e164: string;
  /** Where it came from. */
  field: PhoneField;
  /** As typed in Tracker. */
  raw: string;
}

/**
 * One number in E.164 for `country`, or undefined when it cannot be read as a number of the right length.
 * `valid` also asks that the number be in an allocated range; fictional ranges (UK 07700 900xxx, US 555-01xx) are
 * only `possible`.
 */
export function normalisePhone(raw: string, country: string): { e164: string; valid: boolean } | undefined {
  const text = raw.trim();
  if (!text || !/\d/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, isCountry(country) ? country : undefined);
  if (!parsed?.isPossible()) return undefined;
  return { e164: parsed.number, valid: parsed.isValid() };
}

/**
 * The candidate's phone for Apriora: the first of cellphone, workphone, homephone that is a valid number for
 * `country`; else the first whose length is right for it (a number in a reserved range, as in test data); else
 * undefined.
 */
export function candidatePhone(record: Record<string, unknown>, country: string): NormalisedPhone | undefined {
  let possible: NormalisedPhone | undefined;
  for (const field of PHONE_FIELDS) {
    const raw = record[field];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const normalised = normalisePhone(String(raw), country);
    if (!normalised) continue;
    const found = { e164: normalised.e164, field, raw: String(raw) };
    if (normalised.valid) return found;
    possible ??= found;
  }
  return possible;
}
