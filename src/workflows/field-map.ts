import { InputError } from '../errors.js';
import type { CustomFieldDef, SettingsData } from '../tracker/schemas.js';
import { commandFor } from './hints.js';

export const DEFAULT_ACTIVITY_TYPE = 'Apriora Interview';

export const ACTIVITY_FIELDS = [
  { key: 'overallScore', label: 'Overall Score', flag: '--overall-score' },
  { key: 'reportLink', label: 'Report link', flag: '--report-link' },
  { key: 'gradingCriteria', label: 'Grading Criteria', flag: '--grading-criteria' },
  { key: 'feedback', label: 'Feedback', flag: '--feedback' },
] as const;

export type FieldKey = (typeof ACTIVITY_FIELDS)[number]['key'];

/** A field's name in a flag value: its own flag without the dashes ("overall-score"). */
export function fieldFlagName(key: FieldKey): string {
  return ACTIVITY_FIELDS.find((field) => field.key === key)!.flag.slice(2);
}

/** "feedback,overall-score" → the field keys, in the usual order; an unknown name or an empty list is exit 2. */
export function parseFieldNames(value: string, flag: string): FieldKey[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const known = ACTIVITY_FIELDS.map((field) => fieldFlagName(field.key));
  if (names.length === 0 || names.some((name) => !known.includes(name))) {
    throw new InputError(`${flag} takes field names, not "${value}"`, { hint: `Name one or more of ${known.join(', ')}, comma-separated.` });
  }
  return ACTIVITY_FIELDS.filter((field) => names.includes(fieldFlagName(field.key))).map((field) => field.key);
}
export type FieldMap = Record<FieldKey, string>;
/** The Tracker type of each mapped field, as `getSettingsData` names it; absent in profiles mapped before types were kept. */
export type FieldTypes = Partial<Record<FieldKey, string>>;

/**
 * The saved types of the mapped fields, or, for a profile mapped before types were kept, the types Tracker lists now
 * (one `getSettingsData`), so that an old profile is not held to the Text limit its Memo fields do not have.
 */
export async function resolveFieldTypes(
  tracker: { getSettingsData(signal?: AbortSignal): Promise<SettingsData> },
  fieldMap: FieldMap,
  saved: FieldTypes | undefined,
  signal?: AbortSignal,
): Promise<FieldTypes> {
  if (saved && ACTIVITY_FIELDS.every((field) => saved[field.key])) return saved;
  const { customFields } = await tracker.getSettingsData(signal);
  const typeOf = (key: FieldKey) => customFields.find((field) => String(field.Id) === fieldMap[key].trim())?.Type;
  return Object.fromEntries(ACTIVITY_FIELDS.map((field) => [field.key, saved?.[field.key] ?? typeOf(field.key)]).filter(([, type]) => type));
}

/** What a Tracker Text custom field holds at most, in characters. */
export const TEXT_FIELD_MAX_LENGTH = 255;

/** How a Tracker custom field holds a value. */
export type FieldKind = 'text' | 'memo' | 'number' | 'date';

/** The kind of a Tracker field type; a type this tool does not know, or none (an older profile), counts as Text. */
export function fieldKind(type: string | undefined): FieldKind {
  const name = (type ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (/^(memo|note|notes|longtext|multilinetext|textarea|richtext|html)$/.test(name)) return 'memo';
  if (/^(number|numeric|decimal|integer|int|float|double|currency|money)$/.test(name)) return 'number';
  if (/^(date|datetime)$/.test(name)) return 'date';
  return 'text';
}

/** The longest value a field of this type holds, in characters (undefined: no limit known). */
export function fieldMaxLength(type: string | undefined): number | undefined {
  return fieldKind(type) === 'text' ? TEXT_FIELD_MAX_LENGTH : undefined;
}

/** Why `value` cannot be stored in a Tracker field of this type, or undefined when it fits. */
export function fieldValueProblem(type: string | undefined, value: string): string | undefined {
  switch (fieldKind(type)) {
    case 'memo':
      return undefined;
    case 'number':
      return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? undefined : 'is not a number';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? undefined : 'is not a date (YYYY-MM-DD)';
    default:
      return value.length <= TEXT_FIELD_MAX_LENGTH ? undefined : `has ${value.length} characters, more than the ${TEXT_FIELD_MAX_LENGTH} a Text field holds`;
  }
}

/**
 * Checks the four values of a report against the types of their fields, before anything is written: Tracker would
 * refuse the activity after the candidate was made. Throws `field_value_invalid` naming the field and the fix.
 */
export function assertFieldValues(values: Record<FieldKey, string>, fieldMap: FieldMap, types: FieldTypes | undefined): void {
  for (const target of ACTIVITY_FIELDS) {
    const type = types?.[target.key];
    const value = values[target.key];
    const problem = fieldValueProblem(type, value);
    if (!problem) continue;
    const shown = value.length <= 40 && !value.includes('\n') ? ` "${value}"` : '';
    const typeName = type?.trim() ? type.trim() : 'type unknown, taken as Text';
    const fix = type?.trim()
      ? 'map a field that can hold it (`apriora tracker fields map`) or have Tracker Support change the field'
      : 'run `apriora tracker fields map` to record the field types';
    throw new InputError(
      `${target.label}${shown} does not fit Tracker field ${fieldMap[target.key]} (${typeName}): it ${problem}; nothing was written. To fix: ${fix}`,
      {
        code: 'field_value_invalid',
        details: { field: target.key, customFieldId: fieldMap[target.key], type: type ?? null, length: value.length },
      },
    );
  }
}

/** The profile's saved field map, checked before anything is written with it: exit 2 with the fix when unusable. */
export function requireFieldMap(saved: Partial<FieldMap> | undefined, profileName: string): FieldMap {
  const hint = commandFor('apriora tracker fields map', profileName);
  const missing = ACTIVITY_FIELDS.filter((field) => !saved?.[field.key]);
  if (!saved || missing.length) {
    throw new InputError(`The "${DEFAULT_ACTIVITY_TYPE}" field map of profile "${profileName}" is not set`, {
      code: 'field_map_missing',
      hint,
    });
  }
  const map = saved as FieldMap;
  const bad = ACTIVITY_FIELDS.filter((field) => !/^\d+$/.test(map[field.key].trim()));
  if (bad.length) {
    throw new InputError(
      `The field map of profile "${profileName}" has ids that are not numeric: ${bad.map((field) => `${field.key}="${map[field.key]}"`).join(', ')}`,
      {
        code: 'field_map_invalid',
        hint,
      },
    );
  }
  return map;
}

export interface FieldProposal {
  key: FieldKey;
  label: string;
  flag: string;
  /** Fields of the activity association whose name matches, best first. */
  candidates: CustomFieldDef[];
  /** Same-named fields of other associations: shown so the user sees why they were passed over. */
  lookalikes: CustomFieldDef[];
}

/** Case, spacing and punctuation do not matter, and "URL" is the same as "link". */
export function normalizeFieldName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\burl\b/g, 'link')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Tracker does not document the association code of activity custom fields (assumed: `apriora help api`): take the associations
 * that say "activity" or "task", else the one holding most of the four names.
 */
export function activityAssociations(fields: CustomFieldDef[]): string[] {
  const named = [...new Set(fields.map((field) => field.Association))].filter((association) => /activit|task/i.test(association));
  if (named.length) return named;
  const targets = new Set(ACTIVITY_FIELDS.map((field) => normalizeFieldName(field.label)));
  const hits = new Map<string, number>();
  for (const field of fields) {
    if (targets.has(normalizeFieldName(field.Name))) hits.set(field.Association, (hits.get(field.Association) ?? 0) + 1);
  }
  const best = [...hits.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? [best[0]] : [];
}

export function proposeFieldMap(fields: CustomFieldDef[]): { associations: string[]; proposals: FieldProposal[] } {
  const associations = activityAssociations(fields);
  const isActivity = (field: CustomFieldDef) => associations.includes(field.Association);
  const proposals = ACTIVITY_FIELDS.map((target) => {
    const wanted = normalizeFieldName(target.label);
    const exact = fields.filter((field) => normalizeFieldName(field.Name) === wanted);
    const partial = fields.filter((field) => {
      const name = normalizeFieldName(field.Name);
      return name !== wanted && name.includes(wanted);
    });
    const exactActivity = exact.filter(isActivity);
    const candidates = exactActivity.length ? exactActivity : partial.filter(isActivity);
    return { ...target, candidates, lookalikes: exact.filter((field) => !isActivity(field)) };
  });
  return { associations, proposals };
}

/** The field map chosen without asking: each field must have exactly one candidate. */
export function autoFieldMap(proposals: FieldProposal[]): Record<FieldKey, CustomFieldDef> {
  const problems = proposals.filter((proposal) => proposal.candidates.length !== 1);
  if (problems.length) {
    const describe = (proposal: FieldProposal) =>
      proposal.candidates.length === 0
        ? `"${proposal.label}": no activity field with that name`
        : `"${proposal.label}": ${proposal.candidates.length} candidates (${proposal.candidates.map((field) => `${field.Id} "${field.Name}"`).join(', ')})`;
    throw new InputError(`Cannot map the activity fields automatically: ${problems.map(describe).join('; ')}`, {
      code: 'field_map_ambiguous',
      hint:
        `Pass the ids yourself (${problems.map((p) => `${p.flag} ID`).join(' ')}); see \`apriora tracker fields list\`. ` +
        'Missing fields are created by Tracker Support: `apriora tracker support-request custom-activity`.',
      details: { fields: problems.map((p) => ({ field: p.label, flag: p.flag, candidates: p.candidates.map(fieldSummary) })) },
    });
  }
  return Object.fromEntries(proposals.map((proposal) => [proposal.key, proposal.candidates[0]!])) as Record<FieldKey, CustomFieldDef>;
}

/** Validates ids given on the command line against the database's custom fields. */
export function fieldById(fields: CustomFieldDef[], associations: string[], label: string, flag: string, raw: string): CustomFieldDef {
  if (!/^\d+$/.test(raw.trim())) {
    throw new InputError(`${flag} must be a numeric customfield id, not "${raw}"`, { hint: 'See the ids with `apriora tracker fields list`.' });
  }
  const id = Number(raw);
  const field = fields.find((candidate) => candidate.Id === id);
  if (!field) {
    throw new InputError(`${flag} ${raw}: this database has no custom field with id ${raw}`, {
      code: 'unknown_field',
      hint: 'See the ids with `apriora tracker fields list --association Activity`.',
    });
  }
  if (associations.length && !associations.includes(field.Association)) {
    throw new InputError(
      `${flag} ${raw}: field "${field.Name}" belongs to ${field.Association}, not to activities (${associations.join(', ')}), so it cannot hold "${label}"`,
      {
        code: 'wrong_association',
        hint: `Use a field of association ${associations.join(' or ')}; see \`apriora tracker fields list --association ${associations[0]}\`.`,
      },
    );
  }
  return field;
}

export function assertDistinct(chosen: Record<FieldKey, CustomFieldDef>): void {
  const seen = new Map<number, string>();
  for (const target of ACTIVITY_FIELDS) {
    const field = chosen[target.key];
    const other = seen.get(field.Id);
    if (other) throw new InputError(`"${other}" and "${target.label}" cannot both be field ${field.Id}`, { code: 'duplicate_field' });
    seen.set(field.Id, target.label);
  }
}

export function findActivityType(settings: SettingsData, name: string): { found: boolean; known: boolean; name: string } {
  const wanted = name.trim().toLowerCase();
  const match = settings.taskTypes.find((type) => type.Name.trim().toLowerCase() === wanted);
  return { found: Boolean(match), known: settings.taskTypes.length > 0, name: match?.Name ?? name };
}

export function fieldSummary(field: CustomFieldDef) {
  return { id: field.Id, name: field.Name, association: field.Association, type: field.Type };
}
