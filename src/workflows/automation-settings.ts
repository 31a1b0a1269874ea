import type { AprioraClient } from '../apriora/client.js';
import type { Automations, InterviewCreationAutomation, InvitesAutomation, Modality, Template } from '../apriora/partner.js';
import { InputError } from '../errors.js';
import { formatRule } from './automation-rules.js';
import { formatBlackout, formatDelay } from './automation-validate.js';

/**
 * `automations enable|disable`: what Apriora holds, the change asked for (flags not given keep what it holds), the
 * change field by field, and the PATCH that replaces the one automation object, read back afterwards.
 */

/** The automation names of the command line and of the contract. */
export const AUTOMATION_KINDS = { invites: 'invites', interviews: 'interviewCreation' } as const;
export type AutomationCommandKind = keyof typeof AUTOMATION_KINDS;

export function parseAutomationKind(value: string, what: string): AutomationCommandKind {
  if (value === 'invites' || value === 'interviews') return value;
  throw new InputError(`${what}: "${value}" is not an automation: choose invites or interviews`, { code: 'unknown_automation' });
}

/** What `enable invites` changes; an absent part keeps what Apriora holds. */
export interface InvitesChange {
  enabled: boolean;
  triggerStatuses?: string[];
  rules?: InvitesAutomation['rules'];
  delayMinutes?: number;
  onePerCandidatePerDay?: boolean;
  blackout?: InvitesAutomation['blackout'];
  /** Moves the blackout Apriora holds to another zone (when no new window is given). */
  timezone?: string;
}

export interface InterviewsChange {
  enabled: boolean;
  modality?: Modality;
  /** null clears the template. */
  templateId?: string | null;
  filters?: InterviewCreationAutomation['filters'];
}

export function changedInvites(current: InvitesAutomation, change: InvitesChange): InvitesAutomation {
  let blackout = change.blackout === undefined ? current.blackout : change.blackout;
  if (change.timezone !== undefined && change.blackout === undefined) {
    if (!blackout) {
      throw new InputError('--timezone is the zone of a blackout window, and Apriora holds none', {
        hint: 'Give the window too: --blackout 20:00-08:00 --timezone America/New_York',
      });
    }
    blackout = { ...blackout, timezone: change.timezone };
  }
  return {
    enabled: change.enabled,
    trigger: { statuses: change.triggerStatuses ?? [...current.trigger.statuses] },
    rules: change.rules ?? current.rules.map((rule) => ({ ...rule })),
    delayMinutes: change.delayMinutes ?? current.delayMinutes,
    onePerCandidatePerDay: change.onePerCandidatePerDay ?? current.onePerCandidatePerDay,
    blackout: blackout && { ...blackout },
  };
}

export function changedInterviews(current: InterviewCreationAutomation, change: InterviewsChange): InterviewCreationAutomation {
  return {
    enabled: change.enabled,
    modality: change.modality ?? current.modality,
    templateId: change.templateId === undefined ? current.templateId : change.templateId,
    filters: change.filters ?? current.filters.map((rule) => ({ ...rule })),
  };
}

/** A template by id, or by name ignoring case (a name two templates share is ambiguous). */
export function findTemplate(templates: readonly Template[], value: string, flag: string): Template {
  const wanted = value.trim();
  const byId = templates.find((template) => template.templateId === wanted);
  if (byId) return byId;
  const byName = templates.filter((template) => template.name.trim().toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  const list = templates.map((template) => `${template.templateId} "${template.name}" (${template.modality})`).join(', ');
  if (byName.length > 1) {
    throw new InputError(`${flag}: ${byName.length} templates are named "${wanted}"`, { code: 'ambiguous_template', hint: `Give its id: ${list}` });
  }
  throw new InputError(`${flag}: Apriora has no template "${wanted}"`, { code: 'unknown_template', hint: list ? `Its templates: ${list}` : undefined });
}

/** The template must exist and be of the automation's modality: checked here, before Apriora would refuse it. */
export function checkTemplateModality(settings: InterviewCreationAutomation, templates: readonly Template[], modalityGiven: boolean): void {
  if (settings.templateId === null) return;
  const template = templates.find((t) => t.templateId === settings.templateId);
  if (!template) {
    throw new InputError(`Apriora has no template ${settings.templateId} (the interview automation's)`, {
      code: 'unknown_template',
      hint: 'Choose one with --template <name|id>, or --template none.',
    });
  }
  if (template.modality !== settings.modality) {
    throw new InputError(`The template "${template.name}" (${template.templateId}) is a ${template.modality} interview, not ${settings.modality}`, {
      code: 'template_modality',
      hint: modalityGiven
        ? `Give a ${settings.modality} template with --template, or --template none.`
        : `Give --modality ${template.modality}, or a ${settings.modality} template.`,
    });
  }
}

/** One line of the change: the field, what Apriora holds, what it will hold. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const onOff = (value: boolean) => (value ? 'on' : 'off');
const rules = (list: InvitesAutomation['rules']) => (list.length ? list.map(formatRule).join('; ') : 'none');

export function templateLabel(templateId: string | null, templates: readonly Template[]): string {
  if (templateId === null) return 'none';
  const template = templates.find((t) => t.templateId === templateId);
  return template ? `${template.name} (${templateId})` : templateId;
}

/** The automation's settings as lines a person reads. */
export function invitesFields(settings: InvitesAutomation): [string, string][] {
  return [
    ['Enabled', settings.enabled ? 'yes' : 'no'],
    ['Trigger statuses', settings.trigger.statuses.join(', ')],
    ['Rules', rules(settings.rules)],
    ['Delay', formatDelay(settings.delayMinutes)],
    ['One per candidate per day', onOff(settings.onePerCandidatePerDay)],
    ['Blackout (phone)', formatBlackout(settings.blackout)],
  ];
}

export function interviewsFields(settings: InterviewCreationAutomation, templates: readonly Template[]): [string, string][] {
  return [
    ['Enabled', settings.enabled ? 'yes' : 'no'],
    ['Modality', settings.modality],
    ['Template', templateLabel(settings.templateId, templates)],
    ['Filters', rules(settings.filters)],
  ];
}

function diff(before: [string, string][], after: [string, string][]): FieldChange[] {
  return before.map(([field, was], index) => {
    const now = after[index]![1];
    return { field, before: was, after: now, changed: was !== now };
  });
}

export function invitesChanges(before: InvitesAutomation, after: InvitesAutomation): FieldChange[] {
  return diff(invitesFields(before), invitesFields(after));
}

export function interviewsChanges(before: InterviewCreationAutomation, after: InterviewCreationAutomation, templates: readonly Template[]): FieldChange[] {
  return diff(interviewsFields(before, templates), interviewsFields(after, templates));
}

/**
 * Replaces the automation object with `settings` and reads back what Apriora then holds (a GET after the PATCH, so
 * that what is shown is what Apriora saved). `differs` when the saved object is not the one sent.
 */
export async function saveAutomation<K extends keyof Automations>(
  apriora: AprioraClient,
  name: K,
  settings: Automations[K],
  signal?: AbortSignal,
): Promise<{ saved: Automations[K]; differs: boolean }> {
  await apriora.updateAutomations({ [name]: settings } as Partial<Automations>, signal);
  const saved = (await apriora.getAutomations(signal))[name];
  return { saved, differs: JSON.stringify(saved) !== JSON.stringify(settings) };
}
