import type { Rule, RuleOp } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/**
 * The small rule syntax of the automations' `--rule` / `--filter` flags, and the evaluation Apriora makes of a rule
 * (all must hold; text compared ignoring case and surrounding blanks).
 */

export const INVITE_RULE_FIELDS = ['status', 'source', 'candidate.email', 'job.title', 'job.location', 'job.type', 'job.client'] as const;
export const INTERVIEW_FILTER_FIELDS = ['job.title', 'job.location', 'job.type', 'job.client', 'job.status'] as const;
export type AutomationKind = 'invites' | 'interviews';

const OPERATORS: ReadonlyArray<readonly [string, RuleOp]> = [
  ['not in', 'not_in'],
  ['!=', 'not_equals'],
  ['!~', 'not_contains'],
  ['=', 'equals'],
  ['~', 'contains'],
  ['in', 'in'],
];
const SYMBOL: Record<RuleOp, string> = { equals: '=', not_equals: '!=', contains: '~', not_contains: '!~', in: 'in', not_in: 'not in' };

function ruleError(text: string, flag: string, at: number, what: string, hint: string): InputError {
  return new InputError(`${flag} "${text}": ${what}\n  ${text}\n  ${' '.repeat(Math.max(0, at))}^`, { code: 'invalid_rule', hint });
}

/** "status = Applied", "job.location != Remote", "source ~ linkedin", "job.type in [Permanent, Contract]", … */
export function parseRule(text: string, kind: AutomationKind, flag: string): Rule {
  const fields: readonly string[] = kind === 'invites' ? INVITE_RULE_FIELDS : INTERVIEW_FILTER_FIELDS;
  const opsHint = 'Operators: = != ~ !~ in "not in" (lists in brackets: job.type in [Permanent, Contract])';
  const fieldsHint = `Fields: ${fields.join(', ')}`;
  const fieldMatch = /^\s*(\S+?)(?=\s|!|=|~|$)/.exec(text);
  const field = fieldMatch?.[1] ?? '';
  const fieldAt = text.length - text.trimStart().length;
  if (!field) throw ruleError(text, flag, fieldAt, 'no field', fieldsHint);
  if (!fields.includes(field.toLowerCase())) throw ruleError(text, flag, fieldAt, `"${field}" is not a field of the ${kind} automation`, fieldsHint);
  let rest = text.slice(fieldMatch![0].length);
  const opAt = text.length - rest.trimStart().length;
  rest = rest.trimStart();
  const found = OPERATORS.find(([symbol]) => {
    if (!rest.toLowerCase().startsWith(symbol)) return false;
    return /^[a-z]/i.test(symbol) ? /^(\s|\[|$)/.test(rest.slice(symbol.length)) : true;
  });
  if (!found) throw ruleError(text, flag, opAt, rest ? `"${rest.split(/\s+/)[0]}" is not an operator` : 'no operator', opsHint);
  const [symbol, op] = found;
  const valueText = rest.slice(symbol.length).trim();
  const valueAt = text.length - rest.slice(symbol.length).trimStart().length;
  if (op === 'in' || op === 'not_in') {
    const list = /^\[(.*)\]$/.exec(valueText);
    if (!list) throw ruleError(text, flag, valueAt, `${symbol} takes a list in brackets`, opsHint);
    const items = list[1]!
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length === 0) throw ruleError(text, flag, valueAt, 'the list is empty', opsHint);
    return { field: field.toLowerCase(), op, value: items };
  }
  if (!valueText) throw ruleError(text, flag, valueAt, 'no value', 'Give a value after the operator, e.g. status = Applied');
  return { field: field.toLowerCase(), op, value: valueText };
}

/** A rule back in the small syntax. */
export function formatRule(rule: Rule): string {
  const value = Array.isArray(rule.value) ? `[${rule.value.join(', ')}]` : rule.value;
  return `${rule.field} ${SYMBOL[rule.op] ?? rule.op} ${value}`;
}

const norm = (value: string) => value.trim().toLowerCase();

function holds(rule: Rule, fact: string): boolean {
  const actual = norm(fact);
  const values = (Array.isArray(rule.value) ? rule.value : [rule.value]).map(norm);
  const one = values[0] ?? '';
  switch (rule.op) {
    case 'equals':
      return actual === one;
    case 'not_equals':
      return actual !== one;
    case 'contains':
      return actual.includes(one);
    case 'not_contains':
      return !actual.includes(one);
    case 'in':
      return values.includes(actual);
    case 'not_in':
      return !values.includes(actual);
    default:
      return false;
  }
}

/** All rules must hold: the index of the first that does not, or -1. */
export function firstFailingRule(rules: readonly Rule[], facts: Readonly<Record<string, string>>): number {
  return rules.findIndex((rule) => !holds(rule, facts[rule.field] ?? ''));
}
