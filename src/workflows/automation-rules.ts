import { RULE_OPS, type Rule, type RuleOp } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/**
 * The small rule syntax of `automations enable` and its evaluation: `status = Applied`, `job.location != Remote`,
 * `source ~ linkedin`, `source !~ agency`, `job.type in [Permanent, Contract]`, `job.type not in [Temp]`. A rule is the
 * contract's `{field, op, value}`; text comparisons ignore case and surrounding spaces, and all rules must hold.
 */

export const INVITE_RULE_FIELDS = ['status', 'source', 'candidate.email', 'job.title', 'job.location', 'job.type', 'job.client'] as const;
export const INTERVIEW_FILTER_FIELDS = ['job.title', 'job.location', 'job.type', 'job.client', 'job.status'] as const;
export type AutomationKind = 'invites' | 'interviews';

/** The operator each symbol stands for, in the order the help lists them. */
export const RULE_SYMBOLS: Readonly<Record<RuleOp, string>> = {
  equals: '=',
  not_equals: '!=',
  contains: '~',
  not_contains: '!~',
  in: 'in',
  not_in: 'not in',
};

/** The fields a rule of this automation may name. */
export function ruleFields(kind: AutomationKind): readonly string[] {
  return kind === 'invites' ? INVITE_RULE_FIELDS : INTERVIEW_FILTER_FIELDS;
}

const LIST_OPS: readonly RuleOp[] = ['in', 'not_in'];
const OPS_HELP = 'operators: = (equals), != (not equals), ~ (contains), !~ (does not contain), in [a, b], not in [a, b]';
const FIELD_START = /[A-Za-z_]/;
const FIELD_CHAR = /[A-Za-z0-9_.-]/;
const SPACE = /\s/;

/** Operators written as symbols, longest first, and as words (the contract's own names are accepted too). */
const SYMBOL_OPS: readonly [string, RuleOp][] = [
  ['!=', 'not_equals'],
  ['!~', 'not_contains'],
  ['==', 'equals'],
  ['=', 'equals'],
  ['~', 'contains'],
];
const WORD_OPS: Readonly<Record<string, RuleOp>> = Object.fromEntries([...RULE_OPS.map((op) => [op, op] as const), ['in', 'in']]) as Record<string, RuleOp>;

class RuleParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly kind: AutomationKind,
    private readonly flag: string,
  ) {}

  private fail(problem: string, column: number, length: number, hint?: string): never {
    const token = this.text.slice(column, column + length);
    throw new InputError(`${this.flag} "${this.text}": ${problem}`, {
      code: 'invalid_rule',
      hint: hint ?? `A rule is "<field> <operator> <value>", e.g. "job.location != Remote"; ${OPS_HELP}.`,
      details: { flag: this.flag, rule: this.text, column, token },
      pointer: { input: this.text, column, length },
    });
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && SPACE.test(this.text[this.pos]!)) this.pos++;
  }

  private get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  parse(): Rule {
    const fields = ruleFields(this.kind);
    const fieldHint = `Fields of ${this.kind === 'invites' ? 'an invite rule' : 'an interview filter'}: ${fields.join(', ')}.`;
    this.skipSpaces();
    if (this.atEnd) this.fail('the rule is empty', 0, 0, `A rule is "<field> <operator> <value>", e.g. "job.location != Remote". ${fieldHint}`);
    const fieldStart = this.pos;
    if (!FIELD_START.test(this.text[this.pos]!)) this.fail('a rule starts with a field name', fieldStart, 1, fieldHint);
    while (!this.atEnd && FIELD_CHAR.test(this.text[this.pos]!)) this.pos++;
    const typed = this.text.slice(fieldStart, this.pos);
    const field = fields.find((name) => name === typed.toLowerCase());
    if (!field) {
      const other = (this.kind === 'invites' ? INTERVIEW_FILTER_FIELDS : INVITE_RULE_FIELDS) as readonly string[];
      const why = other.includes(typed.toLowerCase())
        ? `"${typed}" is not a field of ${this.kind === 'invites' ? 'invite rules' : 'interview filters'}`
        : `unknown field "${typed}"`;
      this.fail(why, fieldStart, typed.length, fieldHint);
    }

    this.skipSpaces();
    const op = this.operator();

    this.skipSpaces();
    const value = LIST_OPS.includes(op) ? this.list(op) : this.scalar(op);
    return { field, op, value };
  }

  private operator(): RuleOp {
    const start = this.pos;
    if (this.atEnd) this.fail('an operator is missing after the field', start, 0);
    for (const [symbol, op] of SYMBOL_OPS) {
      if (this.text.startsWith(symbol, this.pos)) {
        // "!==", "~=", "=>": not an operator followed by a value starting with "=" (quote such a value).
        const run = /^[=!~<>]+/.exec(this.text.slice(this.pos))![0];
        if (run.length > symbol.length) this.fail(`unknown operator "${run}"`, start, run.length);
        this.pos += symbol.length;
        return op;
      }
    }
    const word = /^[A-Za-z_]+/.exec(this.text.slice(this.pos))?.[0] ?? this.text.slice(this.pos).split(/\s/)[0]!;
    const lower = word.toLowerCase();
    if (lower === 'not') {
      const rest = /^\s+in(?![A-Za-z0-9_])/i.exec(this.text.slice(this.pos + word.length));
      if (!rest) this.fail('"not" must be followed by "in" (not in [a, b])', start, word.length);
      this.pos += word.length + rest[0].length;
      return 'not_in';
    }
    const op = Object.hasOwn(WORD_OPS, lower) ? WORD_OPS[lower] : undefined;
    if (!op) this.fail(`unknown operator "${word}"`, start, Math.max(word.length, 1));
    this.pos += word.length;
    return op;
  }

  private scalar(op: RuleOp): string {
    const start = this.pos;
    if (this.atEnd) this.fail(`a value is missing after "${RULE_SYMBOLS[op]}"`, start, 0);
    if (this.text[this.pos] === '[') {
      this.fail(`a list goes only with "in" or "not in", not with "${RULE_SYMBOLS[op]}"`, start, this.text.length - start);
    }
    if (this.text[this.pos] === '"' || this.text[this.pos] === "'") {
      const value = this.quoted();
      this.skipSpaces();
      if (!this.atEnd) this.fail('unexpected text after the quoted value', this.pos, this.text.length - this.pos);
      return value;
    }
    return this.text.slice(start).trim();
  }

  private list(op: RuleOp): string[] {
    const open = this.pos;
    if (this.text[this.pos] !== '[') {
      this.fail(`"${RULE_SYMBOLS[op]}" takes a list in brackets, e.g. [Permanent, Contract]`, open, Math.max(this.text.length - open, 0));
    }
    this.pos++;
    const values: string[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd) this.fail('the list is not closed with "]"', open, 1);
      const itemStart = this.pos;
      let value: string;
      if (this.text[this.pos] === '"' || this.text[this.pos] === "'") value = this.quoted();
      else {
        while (!this.atEnd && !',[]"\''.includes(this.text[this.pos]!)) this.pos++;
        if (!this.atEnd && this.text[this.pos] === '[') this.fail('a list cannot hold another list', this.pos, 1);
        if (!this.atEnd && (this.text[this.pos] === '"' || this.text[this.pos] === "'")) {
          this.fail('a quote inside an unquoted value: quote the whole value', this.pos, 1);
        }
        value = this.text.slice(itemStart, this.pos).trim();
        if (value === '') {
          if (this.text[this.pos] === ']' && values.length === 0) this.fail('the list is empty', open, this.pos - open + 1);
          this.fail('an empty value in the list', itemStart, Math.max(this.pos - itemStart, 1));
        }
      }
      values.push(value);
      this.skipSpaces();
      if (this.atEnd) this.fail('the list is not closed with "]"', open, 1);
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        break;
      }
      this.fail('expected "," or "]" after a list value', this.pos, 1);
    }
    this.skipSpaces();
    if (!this.atEnd) this.fail('unexpected text after the list', this.pos, this.text.length - this.pos);
    return values;
  }

  /** A value in double or single quotes; a backslash escapes the next character. */
  private quoted(): string {
    const start = this.pos;
    const quote = this.text[this.pos]!;
    this.pos++;
    let value = '';
    while (!this.atEnd && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
      value += this.text[this.pos];
      this.pos++;
    }
    if (this.atEnd) this.fail(`the quote is not closed with ${quote}`, start, 1);
    this.pos++;
    if (value.trim() === '') this.fail('the value is empty', start, this.pos - start);
    return value;
  }
}

/**
 * "status = Applied", "job.location != Remote", "source ~ linkedin", "source !~ agency", "job.type in [Permanent, Contract]",
 * "job.type not in [Temp]"; ops = != ~ !~ in "not in" map to equals not_equals contains not_contains in not_in.
 * Field names and word operators ignore case; a value may be quoted ("New York, NY"). Errors: InputError (exit 2)
 * quoting the rule and pointing at the bad token, listing the valid fields or operators.
 */
export function parseRule(text: string, kind: AutomationKind, flag: string): Rule {
  return new RuleParser(text, kind, flag).parse();
}

/** A value written back so that parseRule reads the same value. */
function formatValue(value: string, inList: boolean): string {
  const plain = value !== '' && value === value.trim() && !/^["'[]/.test(value) && (!inList || !/[,\]["'\\]/.test(value));
  return plain ? value : JSON.stringify(value);
}

/** Back to the small syntax (parseRule(formatRule(rule)) is the rule again). */
export function formatRule(rule: Rule): string {
  const value = Array.isArray(rule.value) ? `[${rule.value.map((item) => formatValue(item, true)).join(', ')}]` : formatValue(rule.value, false);
  return `${rule.field} ${RULE_SYMBOLS[rule.op] ?? rule.op} ${value}`;
}

const norm = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

/** Whether one rule holds for the facts (a missing fact is empty text). */
export function ruleHolds(rule: Rule, facts: Readonly<Record<string, string>>): boolean {
  const fact = norm(Object.hasOwn(facts, rule.field) ? facts[rule.field] : undefined);
  const values = (Array.isArray(rule.value) ? rule.value : [rule.value]).map(norm);
  switch (rule.op) {
    case 'equals':
    case 'in':
      return values.includes(fact);
    case 'not_equals':
    case 'not_in':
      return !values.includes(fact);
    case 'contains':
      return values.some((value) => fact.includes(value));
    case 'not_contains':
      return !values.some((value) => fact.includes(value));
    default:
      return false;
  }
}

/** All rules must hold; text comparisons case-insensitive (trimmed). Returns the index of the first failing rule, or -1. */
export function firstFailingRule(rules: readonly Rule[], facts: Readonly<Record<string, string>>): number {
  return rules.findIndex((rule) => !ruleHolds(rule, facts));
}
