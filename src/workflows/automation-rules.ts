import { RULE_OPS, type Rule, type RuleOp } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/**
 * The automations' rules in a small readable syntax, and their evaluation (minimal version: the automation settings
 * bring the full one).
 */

export const INVITE_RULE_FIELDS = ['status', 'source', 'candidate.email', 'job.title', 'job.location', 'job.type', 'job.client'] as const;
export const INTERVIEW_FILTER_FIELDS = ['job.title', 'job.location', 'job.type', 'job.client', 'job.status'] as const;
export type AutomationKind = 'invites' | 'interviews';

const OPS: Record<string, RuleOp> = { '=': 'equals', '!=': 'not_equals', '~': 'contains', '!~': 'not_contains', in: 'in', 'not in': 'not_in' };
const SYMBOLS: Record<RuleOp, string> = { equals: '=', not_equals: '!=', contains: '~', not_contains: '!~', in: 'in', not_in: 'not in' };

/** "status = Applied", "job.type in [Permanent, Contract]" → a Rule; InputError (exit 2) otherwise. */
export function parseRule(text: string, kind: AutomationKind, flag: string): Rule {
  const fields: readonly string[] = kind === 'invites' ? INVITE_RULE_FIELDS : INTERVIEW_FILTER_FIELDS;
  const match = /^\s*(\S+)\s+(not in|in|!=|!~|=|~)\s+(.+?)\s*$/i.exec(text);
  if (!match) throw new InputError(`${flag} "${text}": expected "<field> <op> <value>"`, { hint: `Operators: ${Object.keys(OPS).join(', ')}` });
  const field = match[1]!;
  if (!fields.includes(field)) throw new InputError(`${flag} "${text}": unknown field ${field}`, { hint: `Fields: ${fields.join(', ')}` });
  const op = OPS[match[2]!.toLowerCase()]!;
  const raw = match[3]!;
  if (op === 'in' || op === 'not_in') {
    const list = /^\[(.*)\]$/.exec(raw);
    if (!list) throw new InputError(`${flag} "${text}": ${match[2]} takes a list such as [A, B]`);
    return {
      field,
      op,
      value: list[1]!
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    };
  }
  return { field, op, value: raw };
}

export function formatRule(rule: Rule): string {
  const value = Array.isArray(rule.value) ? `[${rule.value.join(', ')}]` : rule.value;
  return `${rule.field} ${SYMBOLS[rule.op]} ${value}`;
}

const norm = (value: string) => value.trim().toLowerCase();

function holds(rule: Rule, fact: string): boolean {
  const have = norm(fact);
  const values = (Array.isArray(rule.value) ? rule.value : [rule.value]).map(norm);
  switch (rule.op) {
    case 'equals':
      return have === values[0];
    case 'not_equals':
      return have !== values[0];
    case 'contains':
      return have.includes(values[0] ?? '');
    case 'not_contains':
      return !have.includes(values[0] ?? '');
    case 'in':
      return values.includes(have);
    case 'not_in':
      return !values.includes(have);
  }
}

/** All rules must hold (text compared ignoring case, trimmed): the index of the first that does not, or -1. */
export function firstFailingRule(rules: readonly Rule[], facts: Readonly<Record<string, string>>): number {
  return rules.findIndex((rule) => RULE_OPS.includes(rule.op) && !holds(rule, facts[rule.field] ?? ''));
}
