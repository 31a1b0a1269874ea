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

/** Countries of the North American Numbering Plan, where a ten-digit number is typed without any prefix. */
const NANP = new Set([
  'US',
  'CA',
  'AG',
  'AI',
  'AS',
  'BB',
  'BM',
  'BS',
  'DM',
  'DO',
  'GD',
  'GU',
  'JM',
  'KN',
  'KY',
  'LC',
  'MP',
  'MS',
  'PR',
  'SX',
  'TC',
  'TT',
  'VC',
  'VG',
  'VI',
]);

/**
 * One number in E.164 for `country`, or undefined when it cannot be read as one. `valid` asks that the number be in
 * an allocated range. A number outside one (the fictional ranges test data use: UK 07700 900xxx, US 555-01xx) is kept
 * only when it was typed whole: with its country code (+44…, 0044…), with the country's trunk 0 (07700…), or as a
 * ten-digit North American number; `555-0110` on a UK profile is a fragment, not a number.
 */
export function normalisePhone(raw: string, country: string): { e164: string; valid: boolean } | undefined {
  const text = raw.trim();
  if (!text || !/\d/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, isCountry(country) ? country : undefined);
  if (!parsed?.isPossible()) return undefined;
  const valid = parsed.isValid();
  if (!valid && !typedWhole(text, country)) return undefined;
  return { e164: parsed.number, valid };
}

function typedWhole(text: string, country: string): boolean {
  const digits = text.replace(/(?:ext?\.?|x|#)\s*\d+\s*$/i, '').replace(/[^\d+]/g, '');
  if (digits.startsWith('+') || digits.startsWith('00')) return true;
  if (NANP.has(country.toUpperCase())) return /^1?\d{10}$/.test(digits);
  return digits.startsWith('0');
}

/**
 * The candidate's phone for Apriora: the first of cellphone, workphone, homephone that is a valid number for
 * `country`; else the first typed whole in a reserved range (as in test data); else undefined.
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

/** The numbers Tracker holds for the candidate, as typed (for a skip's message). */
export function typedPhones(record: Record<string, unknown>): string[] {
  return PHONE_FIELDS.map((field) => record[field])
    .filter((value): value is string | number => (typeof value === 'string' && value.trim() !== '') || typeof value === 'number')
    .map((value) => String(value).trim());
}
