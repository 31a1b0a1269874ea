import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers for Apriora's phone interviews: Tracker's numbers are typed freely by recruiters (`(617) 555-0110`,
 * `07700 900123`), Apriora wants E.164 (`+16175550110`). Normalised with libphonenumber-js for the profile's default
 * country; a number that cannot be normalised is no number.
 */

/** The Tracker candidate fields that hold phone numbers, in the order they are tried. */
export const PHONE_FIELDS = ['cellphone', 'workphone', 'homephone'] as const;
export type PhoneField = (typeof PHONE_FIELDS)[number];

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
