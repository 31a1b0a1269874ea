import { z } from 'zod';
import type { EmulatedResponse } from '../emulated-api.js';
import { EXTERNAL_SOURCES, integrationPatchSchema, MODALITIES, POSITION_STATUSES } from './model.js';
import { invalidRequest, jsonAnswer, notFound, parseInput } from './protocol.js';
import type { AprioraState } from './state.js';

/** One authenticated call, its path parameters resolved, its query flattened (first value of each name, "" = absent). */
export interface AprioraCall {
  state: AprioraState;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** Parses the JSON body (415 when not sent as application/json, 422 when it is not a JSON object). */
  body(): unknown;
}

export type AprioraOperation = (call: AprioraCall) => EmulatedResponse;

/** Partner lists (assumed: `apriora help api`): `limit` 1–100 (default 100), `offset` ≥ 0 (default 0), in creation order (invitations: newest first). */
export const MAX_PAGE_SIZE = 100;

const nonBlank = z.string().refine((value) => value.trim() !== '', 'must not be blank');
const integerParam = z.string().regex(/^\d+$/, 'expected a non-negative integer').transform(Number);
const paging = {
  limit: integerParam.pipe(z.number().min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)).default(MAX_PAGE_SIZE),
  offset: integerParam.default(0),
};
const filter = z.string().optional();

const page = <T>(items: readonly T[], { limit, offset }: { limit: number; offset: number }): T[] => items.slice(offset, offset + limit);

const newPositionSchema = z.strictObject({
  title: nonBlank,
  description: z.string(),
  modality: z.enum(MODALITIES),
  externalSource: z.enum(EXTERNAL_SOURCES),
  externalId: nonBlank,
  templateId: z.string().min(1).nullish(),
  creationNotes: z.string().nullish(),
  location: z.string().nullish(),
});

const positionPatchSchema = z.strictObject({
  title: nonBlank.optional(),
  description: z.string().optional(),
  status: z.enum(POSITION_STATUSES).optional(),
});

const newInvitationSchema = z.strictObject({
  positionId: nonBlank,
  candidate: z.strictObject({
    // Checked by the state: a string that is not an e-mail address is 422 invalid_email.
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullish(),
  }),
  externalCandidateId: z.union([nonBlank, z.number().int().transform(String)]).nullish(),
  sendAt: z.number().int().nonnegative().nullish(),
});

const positionsQuery = z.strictObject({ externalSource: filter, externalId: filter, ...paging });
const invitationsQuery = z.strictObject({ positionId: filter, email: filter, createdAfter: integerParam.optional(), ...paging });
const candidatesQuery = z.strictObject({ email: filter, candidateId: filter, positionId: filter });
const reportsQuery = z.strictObject({ reportId: filter, positionId: filter, candidateId: filter });

const ok = (value: unknown): EmulatedResponse => jsonAnswer(200, value);

/** An operation that reads no query: a query parameter sent to it is refused (422), as the listing ones refuse unknown ones. */
function withoutQuery(operation: AprioraOperation): AprioraOperation {
  return (call) => {
    parseInput(z.strictObject({}), call.query, 'query');
    return operation(call);
  };
}
const created = (value: unknown): EmulatedResponse => jsonAnswer(201, value);

/** Drops undefined keys: zod's output has them for absent optionals, the state's inputs do not want them. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function positionOf(call: AprioraCall): ReturnType<AprioraState['updatePosition']> {
  const positionId = call.params.positionId ?? '';
  const position = call.state.position(positionId);
  if (!position) throw notFound(`Position ${positionId} not found`);
  return position;
}

export const listTemplates: AprioraOperation = withoutQuery(({ state }) => ok(state.templates));

export const createPosition: AprioraOperation = withoutQuery((call) => {
  const input = parseInput(newPositionSchema, call.body());
  return created(call.state.createPosition(defined(input)));
});

export const listPositions: AprioraOperation = ({ state, query }) => {
  const { externalSource, externalId, ...paged } = parseInput(positionsQuery, query, 'query');
  return ok(page(state.listPositions(defined({ externalSource, externalId })), paged));
};

export const getPosition: AprioraOperation = withoutQuery((call) => ok(positionOf(call)));

export const updatePosition: AprioraOperation = withoutQuery((call) => {
  const position = positionOf(call);
  const patch = parseInput(positionPatchSchema, call.body());
  return ok(call.state.updatePosition(position.positionId, defined(patch)));
});

export const createInvitation: AprioraOperation = withoutQuery((call) => {
  const { candidate, ...input } = parseInput(newInvitationSchema, call.body());
  return created(call.state.createInvitation({ ...defined(input), candidate: defined(candidate) }));
});

export const listInvitations: AprioraOperation = ({ state, query }) => {
  const { positionId, email, createdAfter, ...paged } = parseInput(invitationsQuery, query, 'query');
  return ok(page(state.listInvitations(defined({ positionId, email, createdAfter })), paged));
};

export const listCandidates: AprioraOperation = ({ state, query }) => ok(state.listCandidates(defined(parseInput(candidatesQuery, query, 'query'))));

export const listReports: AprioraOperation = ({ state, query }) => {
  const filters = defined(parseInput(reportsQuery, query, 'query'));
  if (Object.keys(filters).length === 0) throw invalidRequest('query: one of reportId, positionId or candidateId is required');
  return ok(state.listReports(filters));
};

export const getTrackerIntegration: AprioraOperation = withoutQuery(({ state }) => ok(state.integration()));

export const updateTrackerIntegration: AprioraOperation = withoutQuery((call) =>
  ok(call.state.updateIntegration(parseInput(integrationPatchSchema, call.body()))),
);
