import type { z } from 'zod';
import type { EmulatedResponse } from '../emulated-api.js';

/**
 * Apriora's error answers (assumed: `apriora help api`): every non-2xx carries `{"error": {"code": "<snake_case>", "message": "…"}}`; a 409
 * adds the id of what already exists (`positionId`, `invitationId`) beside `code` and `message`.
 */
export interface AprioraErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

/** Thrown by the state or an operation; the API answers it as `status` with the error body. */
export class AprioraFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AprioraFailure';
  }

  toBody(): AprioraErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const notFound = (message: string): AprioraFailure => new AprioraFailure(404, 'not_found', message);
export const invalidRequest = (message: string): AprioraFailure => new AprioraFailure(422, 'invalid_request', message);

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): EmulatedResponse {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

export function errorAnswer(status: number, code: string, message: string, headers: Record<string, string> = {}): EmulatedResponse {
  return jsonAnswer(status, { error: { code, message } } satisfies AprioraErrorBody, headers);
}

/** "title: Invalid input: expected string, received undefined; modality: …" — every issue, each with its field path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = 'body'): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? root : issue.path.map(String).join('.');
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses a body or query with a zod schema; a mismatch is a 422 `invalid_request` naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidRequest(describeIssues(result.error.issues, root));
}
