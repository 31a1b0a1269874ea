import { InputError } from '../errors.js';
import type { CustomFieldDef, SettingsData } from '../tracker/schemas.js';
import type { FieldKey, FieldProposal } from '../workflows/field-map.js';
import type { Context } from './context.js';

const SUPPORT_HINT = 'Ask Tracker Support to create it: `apriora tracker support-request custom-activity` prints the request.';

/** One row of a chosen field map: the Apriora field and the Tracker field that holds it. */
export interface MappedField {
  key: FieldKey;
  label: string;
  id: number;
  name: string;
  association: string;
  type: string;
}

/**
 * How the ids not given are chosen: by name without asking (`auto`, ambiguous or missing names are exit 2), by asking
 * where the name does not settle it (`ask`, on a terminal), or not at all (`require`: exit 2 naming the flags).
 */
export type FieldChoice = 'auto' | 'ask' | 'require';

/** The ids given by `--overall-score`, `--report-link`, `--grading-criteria` and `--feedback` (absent ones left out). */
export function explicitFieldIds(options: Partial<Record<FieldKey, string>>): Partial<Record<FieldKey, string>> {
  const given = {
    overallScore: options.overallScore,
    reportLink: options.reportLink,
    gradingCriteria: options.gradingCriteria,
    feedback: options.feedback,
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

/** The four fields of the activity: the ids given (validated), the rest chosen as `how` says; distinct. */
export async function pickFieldMap(
  ctx: Context,
  settings: SettingsData,
  explicit: Partial<Record<FieldKey, string>>,
  how: FieldChoice,
): Promise<{ associations: string[]; fields: MappedField[] }> {
  const { ACTIVITY_FIELDS, assertDistinct, autoFieldMap, fieldById, fieldSummary, proposeFieldMap } = await import('../workflows/field-map.js');
  const { associations, proposals } = proposeFieldMap(settings.customFields);
  const chosen = {} as Record<FieldKey, CustomFieldDef>;
  for (const target of ACTIVITY_FIELDS) {
    const raw = explicit[target.key];
    if (raw !== undefined) chosen[target.key] = fieldById(settings.customFields, associations, target.label, target.flag, raw);
  }
  const open = proposals.filter((proposal) => !chosen[proposal.key]);
  if (open.length) {
    if (how === 'auto') Object.assign(chosen, autoFieldMap(open));
    else if (how === 'ask')
      Object.assign(
        chosen,
        await askFieldMap(
          ctx,
          open.filter((p) => p.candidates.length !== 1),
          settings.customFields,
          associations,
        ),
        sureFields(open),
      );
    else {
      throw new InputError(`No id for ${open.map((p) => `"${p.label}"`).join(', ')}`, {
        code: 'missing_value',
        hint: `Pass --auto to pick the fields by name, or give ${open.map((p) => `${p.flag} ID`).join(' ')}.`,
      });
    }
  }
  assertDistinct(chosen);
  const fields = ACTIVITY_FIELDS.map((target) => ({ key: target.key, label: target.label, ...fieldSummary(chosen[target.key]) }));
  return { associations, fields };
}

/** Keeps the map in the profile, with the fields' types (values are checked against them before anything is written). */
export async function saveFieldMap(ctx: Context, activityType: string, fields: MappedField[]): Promise<void> {
  const profiles = await ctx.factory.profiles();
  profiles.update(ctx.profileName, (profile) => ({
    ...profile,
    tracker: {
      ...profile.tracker,
      activityType,
      fieldMap: Object.fromEntries(fields.map((field) => [field.key, String(field.id)])) as Record<FieldKey, string>,
      // Kept with the map: values are checked against them before anything is written (Text holds 255 characters).
      fieldTypes: Object.fromEntries(fields.map((field) => [field.key, field.type])),
    },
  }));
}

/** The map as a table: Apriora field, Tracker field, id, association, type. */
export function renderFieldMap(out: Context['out'], fields: MappedField[]): Promise<void> | void {
  return out.table(
    [
      { header: 'Apriora field', priority: 5, value: (f: MappedField) => f.label },
      { header: 'Tracker field', priority: 4, value: (f: MappedField) => f.name },
      { header: 'Id', priority: 3, cut: false, value: (f: MappedField) => f.id },
      { header: 'Association', priority: 1, value: (f: MappedField) => f.association },
      { header: 'Type', priority: 2, value: (f: MappedField) => f.type },
    ],
    fields,
  );
}

/** Fields with exactly one match need no question: the final confirmation shows them. */
function sureFields(open: FieldProposal[]): Partial<Record<FieldKey, CustomFieldDef>> {
  return Object.fromEntries(open.filter((p) => p.candidates.length === 1).map((p) => [p.key, p.candidates[0]!]));
}

/** On a terminal: the proposal first, every activity field as an alternative. */
async function askFieldMap(ctx: Context, open: FieldProposal[], all: CustomFieldDef[], associations: string[]) {
  const { choose } = await import('./prompt.js');
  const activityFields = all.filter((field) => associations.includes(field.Association));
  const pool = activityFields.length ? activityFields : all;
  const chosen = {} as Partial<Record<FieldKey, CustomFieldDef>>;
  for (const proposal of open) {
    if (pool.length === 0) {
      throw new InputError('This Tracker database has no activity custom fields', { code: 'fields_missing', hint: SUPPORT_HINT });
    }
    const ordered = [...proposal.candidates, ...pool.filter((field) => !proposal.candidates.includes(field))];
    chosen[proposal.key] = await choose(
      ctx,
      `Tracker field for "${proposal.label}"`,
      ordered.map((field, index) => ({
        name: `${field.Name} (id ${field.Id}, ${field.Association})${index === 0 && proposal.candidates.length ? '  ← proposed' : ''}`,
        value: field,
      })),
      { flag: proposal.flag },
    );
  }
  return chosen;
}
