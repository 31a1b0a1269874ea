import { z } from 'zod';
import { InputError } from '../../errors.js';
import {
  type AprioraTemplate,
  AUTOMATION_NAMES,
  candidateSchema,
  checkAutomation,
  integrationSettingsSchema,
  invitationSchema,
  positionSchema,
  reportSchema,
  templateSchema,
  trackerCredentialsSchema,
} from './model.js';

/** The interview templates of a fresh Apriora account: phone and video, general and specialised. */
export const DEFAULT_APRIORA_TEMPLATES: readonly Readonly<AprioraTemplate>[] = Object.freeze([
  { templateId: 'tpl_1', name: 'Standard phone screen', modality: 'phone' },
  { templateId: 'tpl_2', name: 'Video interview — general', modality: 'video' },
  { templateId: 'tpl_3', name: 'Nurse phone screen', modality: 'phone' },
  { templateId: 'tpl_4', name: 'Technical video interview', modality: 'video' },
]);

/**
 * The Apriora part of a sandbox's start state (`startSandbox({ aprioraSeed })`, `POST /__sandbox/reset` with
 * `{"apriora": …}`), and the format `GET /__sandbox/state` dumps under `apriora`. Everything is optional: templates
 * default to DEFAULT_APRIORA_TEMPLATES, lists to empty, the integration to its (disabled) defaults. The integration
 * may carry `credentials` (a dump never does; its `hasCredentials` is ignored on load).
 */
const baseSeedSchema = z.object({
  templates: z.array(templateSchema).default(() => DEFAULT_APRIORA_TEMPLATES.map((template) => ({ ...template }))),
  positions: z.array(positionSchema).default([]),
  invitations: z.array(invitationSchema).default([]),
  candidates: z.array(candidateSchema).default([]),
  reports: z.array(reportSchema).default([]),
  integration: integrationSettingsSchema
    .extend({ hasCredentials: z.boolean().optional(), credentials: trackerCredentialsSchema.nullable().default(null) })
    .prefault({}),
});

type Issue = { path: (string | number)[]; message: string };

function duplicates<T>(items: readonly T[], key: (item: T) => string, path: string, what: string, issues: Issue[]): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) issues.push({ path: [path, index], message: `duplicate ${what} ${value}` });
    seen.add(value);
  });
}

/** Cross-record checks, as for the Tracker seed: a seed that points at records it does not hold would make the sandbox lie. */
function integrityIssues(seed: z.output<typeof baseSeedSchema>): Issue[] {
  const issues: Issue[] = [];
  duplicates(seed.templates, (t) => t.templateId, 'templates', 'templateId', issues);
  duplicates(seed.positions, (p) => p.positionId, 'positions', 'positionId', issues);
  duplicates(seed.invitations, (i) => i.invitationId, 'invitations', 'invitationId', issues);
  duplicates(seed.candidates, (c) => c.candidateId, 'candidates', 'candidateId', issues);
  duplicates(seed.reports, (r) => r.reportId, 'reports', 'reportId', issues);
  duplicates(seed.candidates, (c) => c.email.trim().toLowerCase(), 'candidates', 'email', issues);
  duplicates(
    seed.positions.filter((p) => p.externalSource !== null && p.externalId !== null),
    (p) => `${p.externalSource}:${p.externalId}`,
    'positions',
    'external id',
    issues,
  );
  duplicates(seed.invitations, (i) => `${i.positionId} ${i.email.trim().toLowerCase()}`, 'invitations', 'position and email', issues);

  const templates = new Set(seed.templates.map((t) => t.templateId));
  const positions = new Set(seed.positions.map((p) => p.positionId));
  const candidates = new Set(seed.candidates.map((c) => c.candidateId));
  seed.positions.forEach((position, i) => {
    if (position.templateId !== null && !templates.has(position.templateId)) {
      issues.push({ path: ['positions', i, 'templateId'], message: `no template ${position.templateId}` });
    }
  });
  const references = (list: 'invitations' | 'reports', items: readonly { positionId: string; candidateId: string }[]): void =>
    items.forEach((item, i) => {
      if (!positions.has(item.positionId)) issues.push({ path: [list, i, 'positionId'], message: `no position ${item.positionId}` });
      if (!candidates.has(item.candidateId)) issues.push({ path: [list, i, 'candidateId'], message: `no candidate ${item.candidateId}` });
    });
  references('invitations', seed.invitations);
  references('reports', seed.reports);
  for (const name of AUTOMATION_NAMES) {
    const checked = checkAutomation(name, seed.integration.automations[name], seed.templates);
    if (!checked.ok) issues.push({ path: ['integration', 'automations', name], message: checked.problem.message });
  }
  return issues;
}

export const aprioraSeedSchema = baseSeedSchema.superRefine((seed, ctx) => {
  for (const issue of integrityIssues(seed)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** A complete, validated Apriora database. */
export type AprioraSeed = z.output<typeof aprioraSeedSchema>;
/** What a seed may contain: every list and most fields are optional. */
export type AprioraSeedInput = z.input<typeof aprioraSeedSchema>;

/** Validates parsed JSON as an Apriora seed; throws InputError that lists every problem with its path. */
export function loadAprioraSeed(json: unknown, origin = 'Apriora seed'): AprioraSeed {
  const result = aprioraSeedSchema.safeParse(json ?? {});
  if (!result.success) {
    throw new InputError(`${origin} is invalid:\n${z.prettifyError(result.error)}`, { code: 'invalid_seed', details: result.error.issues });
  }
  return result.data;
}

/** A fresh account: the default templates, no positions, the integration off and without credentials. */
export const defaultAprioraSeed = (): AprioraSeed => loadAprioraSeed({});
