/**
 * Validators for the small JSON documents every command reads at start-up (the profiles file), where loading zod
 * would cost more than the command itself. They accept what the equivalent zod schema accepts and report its first
 * issue in zod's words: objects are checked key by key in the order of their shape, unknown keys are dropped (kept
 * with `keepUnknown`), URLs are trimmed.
 */

export interface Issue {
  path: string[];
  message: string;
}

export type Validator<T> = (value: unknown, path: string[]) => T;

/** A key that may be absent (or undefined). */
export interface OptionalValidator<T> extends Validator<T | undefined> {
  readonly optional: true;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalValidator<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

class ShapeError extends Error {
  constructor(
    readonly path: string[],
    message: string,
  ) {
    super(message);
  }
}

function fail(path: string[], message: string): never {
  throw new ShapeError(path, message);
}

function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function invalidType(expected: string, value: unknown, path: string[]): never {
  return fail(path, `Invalid input: expected ${expected}, received ${received(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as `validator` accepts it, or its first issue. */
export function safeParse<T>(validator: Validator<T>, value: unknown): { success: true; data: T } | { success: false; issue: Issue } {
  try {
    return { success: true, data: validator(value, []) };
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    return { success: false, issue: { path: error.path, message: error.message } };
  }
}

export function optional<T>(validator: Validator<T>): OptionalValidator<T> {
  const check = (value: unknown, path: string[]) => (value === undefined ? undefined : validator(value, path));
  return Object.assign(check, { optional: true as const });
}

export function boolean(): Validator<boolean> {
  return (value, path) => (typeof value === 'boolean' ? value : invalidType('boolean', value, path));
}

/** A string; `min`, then `pattern`, are checked in that order. */
export function string(checks: { min?: number; pattern?: RegExp } = {}): Validator<string> {
  return (value, path) => {
    if (typeof value !== 'string') return invalidType('string', value, path);
    if (checks.min !== undefined && value.length < checks.min) fail(path, `Too small: expected string to have >=${checks.min} characters`);
    if (checks.pattern && !checks.pattern.test(value)) fail(path, `Invalid string: must match pattern ${checks.pattern}`);
    return value;
  };
}

/** An absolute URL, surrounding white space removed (and tabs and line breaks, which the URL parser ignores). */
export function url(): Validator<string> {
  const text = string();
  return (value, path) => {
    const trimmed = text(value, path).trim();
    if (!URL.canParse(trimmed)) fail(path, 'Invalid URL');
    return trimmed.replace(/[\t\n\r]/g, '');
  };
}

export function oneOf<const T extends readonly string[]>(...values: T): Validator<T[number]> {
  const listed = values.map((value) => `"${value}"`);
  const message = listed.length === 1 ? `Invalid input: expected ${listed[0]}` : `Invalid option: expected one of ${listed.join('|')}`;
  return (value, path) => ((values as readonly unknown[]).includes(value) ? (value as T[number]) : fail(path, message));
}

/** A safe integer above 0. */
export function positiveInt(): Validator<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return invalidType('number', value, path);
    if (!Number.isInteger(value)) fail(path, 'Invalid input: expected int, received number');
    if (value > Number.MAX_SAFE_INTEGER) fail(path, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    if (value < Number.MIN_SAFE_INTEGER) fail(path, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
    if (value <= 0) fail(path, 'Too small: expected number to be >0');
    return value;
  };
}

/** An object with the keys of `shape`; other keys are dropped, or kept as they are with `keepUnknown`. */
export function object<S extends Shape>(shape: S, options: { keepUnknown?: boolean } = {}): Validator<ObjectOf<S>> {
  return (value, path) => {
    if (!isObject(value)) return invalidType('object', value, path);
    const result: Record<string, unknown> = {};
    for (const [key, validator] of Object.entries(shape)) {
      const checked = validator(Object.hasOwn(value, key) ? value[key] : undefined, [...path, key]);
      if (checked !== undefined) result[key] = checked;
    }
    if (options.keepUnknown) {
      for (const [key, child] of Object.entries(value)) {
        if (!Object.hasOwn(shape, key) && key !== '__proto__') result[key] = child;
      }
    }
    return result as ObjectOf<S>;
  };
}

/** An object whose every value passes `values` ("__proto__" is checked, never kept). */
export function record<T>(values: Validator<T>): Validator<Record<string, T>> {
  return (value, path) => {
    if (!isObject(value)) return invalidType('record', value, path);
    const result: Record<string, T> = {};
    for (const [key, child] of Object.entries(value)) {
      const checked = values(child, [...path, key]);
      if (key !== '__proto__') result[key] = checked;
    }
    return result;
  };
}
