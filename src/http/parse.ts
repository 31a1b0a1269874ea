import type { z } from 'zod';
import { RemoteError } from '../errors.js';

/** Parses an API answer; an unexpected shape is a clear remote error naming the field, never a crash later on. */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  if (body === undefined) {
    throw new RemoteError(`${what} answered something that is not JSON`, { code: 'unexpected_response' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  throw new RemoteError(`${what} answered with an unexpected shape: ${issues.join('; ')}`, {
    code: 'unexpected_response',
    hint: 'The API may have changed. Run with --debug to see the answer, and report it.',
    details: { issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })) },
  });
}
