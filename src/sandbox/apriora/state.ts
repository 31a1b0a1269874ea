import {
  APRIORA_APP_URL,
  type AprioraCandidate,
  type AprioraInvitation,
  type AprioraPosition,
  type AprioraReport,
  type AprioraTemplate,
  AUTOMATION_NAMES,
  checkAutomation,
  type IntegrationPatch,
  type IntegrationSettings,
  interviewUrlOf,
  type Modality,
  type PositionStatus,
  type TrackerIntegration,
  type TrackerIntegrationCredentials,
} from './model.js';
import { AprioraFailure, invalidRequest, notFound } from './protocol.js';
import { generateReport } from './report.js';
import { type AprioraSeed, defaultAprioraSeed } from './seed.js';

export interface NewPosition {
  title: string;
  description: string;
  modality: Modality;
  externalSource: string | null;
  externalId: string | null;
  templateId?: string | null;
  creationNotes?: string | null;
  location?: string | null;
  status?: PositionStatus;
}

export interface PositionPatch {
  title?: string;
  description?: string;
  status?: PositionStatus;
}

export interface NewInvitation {
  positionId: string;
  candidate: { email: string; firstName: string; lastName: string; phone?: string | null };
  externalCandidateId?: string | null;
  /** Unix seconds; later than now = "scheduled". */
  sendAt?: number | null;
}

export interface CompleteInterviewInput {
  positionId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  /** 0–100; absent = drawn from the report's PRNG. */
  score?: number;
  /** When the interview was completed: Unix seconds or a Date; absent = the clock's now. */
  at?: number | Date;
  /** The report's pdfUrl as given (a long signed link, a `javascript:` one, null); absent = the generated one. */
  pdfUrl?: string | null;
}

export interface PositionFilter {
  externalSource?: string;
  externalId?: string;
}
export interface InvitationFilter {
  positionId?: string;
  email?: string;
  /** Unix seconds: invitations created at or after it. */
  createdAfter?: number;
}

/** A phone number as the Invitations endpoint takes it: E.164. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** What the emulator calls an e-mail address: something@domain.tld, without spaces. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export interface CandidateFilter {
  email?: string;
  candidateId?: string;
  positionId?: string;
}
export interface ReportFilter {
  reportId?: string;
  positionId?: string;
  candidateId?: string;
}

/** The Apriora database as `GET /__sandbox/state` shows it: the seed format, with the integration's public view. */
export interface AprioraSnapshot {
  templates: AprioraTemplate[];
  positions: AprioraPosition[];
  invitations: AprioraInvitation[];
  candidates: AprioraCandidate[];
  reports: AprioraReport[];
  integration: TrackerIntegration;
}

type Kind = 'pos' | 'inv' | 'cand' | 'rep';
const ID_FIELDS = { pos: 'positions', inv: 'invitations', cand: 'candidates', rep: 'reports' } as const;

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const capitalized = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** "jane.o-neil@x" → Jane, O-neil: a name for a candidate known only by e-mail. */
function namesFromEmail(email: string): { firstName: string; lastName: string } {
  const parts = (email.split('@')[0] ?? '').split(/[._+\d]+/).filter(Boolean);
  return { firstName: capitalized(parts[0] ?? 'Candidate'), lastName: parts.slice(1).map(capitalized).join(' ') };
}

/**
 * The in-memory Apriora database. Every method is synchronous, so each check-and-insert (one position per external
 * id, one invitation per position and e-mail) is atomic under any number of concurrent requests. Ids are
 * `pos_<n>`, `inv_<n>`, `cand_<n>`, `rep_<n>`; their counters only grow, also across resets. Rule violations throw
 * AprioraFailure (the HTTP status and error code the API answers with).
 *
 * The Tracker credentials handed over by `PATCH /integrations/tracker` are kept apart from the settings and never
 * leave this object except through storedTrackerCredentials() (in-process, for tests).
 */
export class AprioraState {
  templates!: AprioraTemplate[];
  positions!: AprioraPosition[];
  invitations!: AprioraInvitation[];
  candidates!: AprioraCandidate[];
  reports!: AprioraReport[];
  private settings!: IntegrationSettings;
  private credentials: TrackerIntegrationCredentials | null = null;
  private nextIds: Record<Kind, number> = { pos: 1, inv: 1, cand: 1, rep: 1 };

  constructor(
    seed: AprioraSeed = defaultAprioraSeed(),
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.reset(seed);
  }

  /** Replaces the whole database in place (references to this object stay valid). */
  reset(seed: AprioraSeed = defaultAprioraSeed()): void {
    const copy = structuredClone(seed);
    this.templates = copy.templates;
    this.positions = copy.positions;
    this.invitations = copy.invitations;
    this.candidates = copy.candidates;
    this.reports = copy.reports;
    const { credentials, hasCredentials: _ignored, ...settings } = copy.integration;
    this.settings = settings;
    this.credentials = credentials;
    for (const kind of Object.keys(ID_FIELDS) as Kind[]) {
      const highest = Math.max(0, ...this.idsOf(kind).map((id) => Number(new RegExp(`^${kind}_(\\d+)$`).exec(id)?.[1] ?? 0)));
      this.nextIds[kind] = Math.max(this.nextIds[kind], highest + 1);
    }
  }

  /** A deep copy: the seed format, except that the integration shows `hasCredentials` instead of the credentials. */
  snapshot(): AprioraSnapshot {
    return structuredClone({
      templates: this.templates,
      positions: this.positions,
      invitations: this.invitations,
      candidates: this.candidates,
      reports: this.reports,
      integration: this.integration(),
    });
  }

  /** Unix seconds. */
  now(): number {
    return toSeconds(this.clock());
  }

  template(id: string): AprioraTemplate | undefined {
    return this.templates.find((t) => t.templateId === id);
  }
  position(id: string): AprioraPosition | undefined {
    return this.positions.find((p) => p.positionId === id);
  }
  positionByExternalId(externalSource: string, externalId: string): AprioraPosition | undefined {
    return this.positions.find((p) => p.externalSource === externalSource && p.externalId === externalId);
  }
  invitation(id: string): AprioraInvitation | undefined {
    return this.invitations.find((i) => i.invitationId === id);
  }
  candidate(id: string): AprioraCandidate | undefined {
    return this.candidates.find((c) => c.candidateId === id);
  }
  candidateByEmail(email: string): AprioraCandidate | undefined {
    return email.trim() === '' ? undefined : this.candidates.find((c) => sameEmail(c.email, email));
  }
  report(id: string): AprioraReport | undefined {
    return this.reports.find((r) => r.reportId === id);
  }

  /** In creation order. */
  listPositions(filter: PositionFilter = {}): AprioraPosition[] {
    return this.positions.filter(
      (p) =>
        (filter.externalSource === undefined || p.externalSource === filter.externalSource) &&
        (filter.externalId === undefined || p.externalId === filter.externalId),
    );
  }

  /** One position per external id: 409 `position_exists` (with `positionId`) when it is already linked. */
  createPosition(input: NewPosition): AprioraPosition {
    if (input.externalSource !== null && input.externalId !== null) {
      const existing = this.positionByExternalId(input.externalSource, input.externalId);
      if (existing) {
        throw new AprioraFailure(409, 'position_exists', `A position is already linked to ${input.externalSource} id ${input.externalId}`, {
          positionId: existing.positionId,
        });
      }
    }
    const templateId = input.templateId ?? null;
    if (templateId !== null) {
      const template = this.template(templateId);
      if (!template) throw invalidRequest(`templateId: no template ${templateId}`);
      if (template.modality !== input.modality) {
        throw invalidRequest(`templateId: template ${templateId} is a ${template.modality} template, but modality is ${input.modality}`);
      }
    }
    const positionId = this.nextId('pos');
    const position: AprioraPosition = {
      positionId,
      title: input.title,
      modality: input.modality,
      status: input.status ?? 'active',
      externalSource: input.externalSource,
      externalId: input.externalId,
      interviewUrl: interviewUrlOf(positionId),
      createdAt: this.now(),
      description: input.description,
      templateId,
      creationNotes: input.creationNotes ?? null,
      location: input.location ?? null,
    };
    this.positions.push(position);
    return position;
  }

  updatePosition(positionId: string, patch: PositionPatch): AprioraPosition {
    const position = this.position(positionId);
    if (!position) throw notFound(`Position ${positionId} not found`);
    if (patch.title !== undefined) position.title = patch.title;
    if (patch.description !== undefined) position.description = patch.description;
    if (patch.status !== undefined) position.status = patch.status;
    return position;
  }

  /**
   * Invites a candidate. Checks, in this order: an unknown position is 422 `invalid_request`; a `sendAt` in the past,
   * 422 `invalid_request`; an e-mail that is not
   * one, 422 `invalid_email`; one invitation per position and e-mail (ignoring case): 409 `already_invited` (with
   * `invitationId`); a closed position, 422 `position_closed`; a phone position without `candidate.phone`, 422
   * `phone_required`; a phone (on any position) that is not E.164, 422 `invalid_phone`. `sendAt` in the future makes
   * it `scheduled` (it becomes `sent` once that time has passed), else it is `sent`.
   */
  createInvitation(input: NewInvitation): AprioraInvitation {
    const position = this.position(input.positionId);
    if (!position) throw invalidRequest(`positionId: no position ${input.positionId}`);
    const now = this.now();
    const sendAt = input.sendAt ?? null;
    // The spec says "future": a time already past is refused rather than read as "now" (the stricter reading).
    if (sendAt !== null && sendAt < now) throw invalidRequest(`sendAt: ${sendAt} is in the past (now ${now}); omit it to send now`);
    const email = input.candidate.email.trim();
    if (!EMAIL.test(email)) throw new AprioraFailure(422, 'invalid_email', `candidate.email: "${input.candidate.email}" is not an e-mail address`);
    const existing = this.invitations.find((i) => i.positionId === position.positionId && sameEmail(i.email, email));
    if (existing) {
      throw new AprioraFailure(409, 'already_invited', `${email} is already invited to position ${position.positionId}`, {
        invitationId: existing.invitationId,
      });
    }
    if (position.status === 'closed') throw new AprioraFailure(422, 'position_closed', `Position ${position.positionId} is closed`);
    const phone = input.candidate.phone?.trim() || null;
    if (position.modality === 'phone' && phone === null) {
      throw new AprioraFailure(422, 'phone_required', `Position ${position.positionId} is a phone interview: candidate.phone is required`);
    }
    if (phone !== null && !E164.test(phone)) {
      throw new AprioraFailure(422, 'invalid_phone', `candidate.phone: "${phone}" is not an E.164 number (e.g. +14155550123)`);
    }
    const candidate = this.ensureCandidate({ ...input.candidate, email, phone });
    const invitationId = this.nextId('inv');
    const invitation: AprioraInvitation = {
      invitationId,
      positionId: position.positionId,
      candidateId: candidate.candidateId,
      email,
      status: sendAt !== null && sendAt > now ? 'scheduled' : 'sent',
      interviewLink: `${APRIORA_APP_URL}/interview/${encodeURIComponent(position.positionId)}?invitation=${invitationId}`,
      createdAt: now,
      firstName: input.candidate.firstName,
      lastName: input.candidate.lastName,
      phone,
      externalCandidateId: input.externalCandidateId ?? null,
      sendAt,
    };
    this.invitations.push(invitation);
    return invitation;
  }

  /** Newest first (ties: the later id first). Scheduled invitations whose sendAt has passed are `sent` by now. */
  listInvitations(filter: InvitationFilter = {}): AprioraInvitation[] {
    this.sendDue();
    const number = (id: string): number => Number(/_(\d+)$/.exec(id)?.[1] ?? 0);
    return this.invitations
      .filter(
        (i) =>
          (filter.positionId === undefined || i.positionId === filter.positionId) &&
          (filter.email === undefined || sameEmail(i.email, filter.email)) &&
          (filter.createdAfter === undefined || i.createdAt >= filter.createdAfter),
      )
      .sort((a, b) => b.createdAt - a.createdAt || number(b.invitationId) - number(a.invitationId));
  }

  /** Scheduled invitations whose sendAt has come are sent (what Apriora's scheduler does). */
  sendDue(): void {
    const now = this.now();
    for (const invitation of this.invitations) {
      if (invitation.status === 'scheduled' && invitation.sendAt !== null && invitation.sendAt <= now) invitation.status = 'sent';
    }
  }

  /** `positionId` matches candidates invited to, or interviewed for, that position. */
  listCandidates(filter: CandidateFilter = {}): AprioraCandidate[] {
    const { positionId } = filter;
    const onPosition =
      positionId === undefined
        ? undefined
        : new Set([
            ...this.invitations.filter((i) => i.positionId === positionId).map((i) => i.candidateId),
            ...this.reports.filter((r) => r.positionId === positionId).map((r) => r.candidateId),
          ]);
    return this.candidates.filter(
      (c) =>
        (filter.email === undefined || sameEmail(c.email, filter.email)) &&
        (filter.candidateId === undefined || c.candidateId === filter.candidateId) &&
        (onPosition === undefined || onPosition.has(c.candidateId)),
    );
  }

  /** `reportId` wins over the other filters (spec); the others combine. */
  listReports(filter: ReportFilter = {}): AprioraReport[] {
    if (filter.reportId !== undefined) return this.reports.filter((r) => r.reportId === filter.reportId);
    return this.reports.filter(
      (r) =>
        (filter.positionId === undefined || r.positionId === filter.positionId) && (filter.candidateId === undefined || r.candidateId === filter.candidateId),
    );
  }

  /** The candidate with this e-mail (ignoring case), created when missing; missing names and phone are filled in. */
  ensureCandidate(person: { email: string; firstName?: string; lastName?: string; phone?: string | null }): AprioraCandidate {
    const existing = this.candidateByEmail(person.email);
    if (existing) {
      if (existing.firstName === '' && person.firstName) existing.firstName = person.firstName;
      if (existing.lastName === '' && person.lastName) existing.lastName = person.lastName;
      if (existing.phone === null && person.phone) existing.phone = person.phone;
      return existing;
    }
    const candidate: AprioraCandidate = {
      candidateId: this.nextId('cand'),
      email: person.email.trim(),
      firstName: person.firstName ?? '',
      lastName: person.lastName ?? '',
      resumeUrl: null,
      phone: person.phone ?? null,
      createdAt: this.now(),
    };
    this.candidates.push(candidate);
    return candidate;
  }

  /**
   * A candidate finishes an interview: the candidate (reused by e-mail, else created with the given names, the
   * invitation's, or names made from the e-mail) and a generated report, deterministic for the same ids. The
   * position's invitation for that e-mail, if any, becomes "completed". Unknown position: 404 `not_found`.
   */
  completeInterview(input: CompleteInterviewInput): { candidate: AprioraCandidate; report: AprioraReport } {
    const position = this.position(input.positionId);
    if (!position) throw notFound(`Position ${input.positionId} not found`);
    const email = input.email.trim();
    if (email === '') throw invalidRequest('email: required');
    const invitation = this.invitations.find((i) => i.positionId === position.positionId && sameEmail(i.email, email));
    const fallback = invitation && (invitation.firstName || invitation.lastName) ? invitation : namesFromEmail(email);
    const candidate = this.ensureCandidate({
      email,
      firstName: input.firstName ?? fallback.firstName,
      lastName: input.lastName ?? fallback.lastName,
    });
    const at = input.at === undefined ? this.now() : input.at instanceof Date ? toSeconds(input.at) : Math.floor(input.at);
    const report = generateReport({
      reportId: this.nextId('rep'),
      position,
      candidate,
      timeCompleted: at,
      ...(input.score === undefined ? {} : { score: input.score }),
    });
    if (input.pdfUrl !== undefined) report.pdfUrl = input.pdfUrl;
    this.reports.push(report);
    if (invitation) invitation.status = 'completed';
    return { candidate, report };
  }

  /** `GET /integrations/tracker`: the settings and whether credentials are stored, never the credentials. */
  integration(): TrackerIntegration {
    return structuredClone({ hasCredentials: this.credentials !== null, ...this.settings });
  }

  /**
   * `PATCH /integrations/tracker`: merges the subset given, except that each automation object named replaces the
   * stored one whole (validated first: 422 `invalid_rule` with `details.index`, or `invalid_automation`);
   * `credentials` are stored (null clears them).
   */
  updateIntegration(patch: IntegrationPatch): TrackerIntegration {
    const automations = { ...this.settings.automations };
    for (const name of AUTOMATION_NAMES) {
      const given = patch.automations?.[name];
      if (given === undefined) continue;
      const checked = checkAutomation(name, given, this.templates);
      if (!checked.ok) {
        const { code, message, index } = checked.problem;
        throw new AprioraFailure(422, code, message, index === undefined ? {} : { details: { index } });
      }
      Object.assign(automations, { [name]: checked.value });
    }
    const defined = <T extends object>(value: T | undefined): Partial<T> =>
      Object.fromEntries(Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined)) as Partial<T>;
    const { settings } = this;
    const next: IntegrationSettings = {
      ...settings,
      ...defined({ region: patch.region, username: patch.username, activityType: patch.activityType }),
      activityFields: { ...settings.activityFields, ...defined(patch.activityFields) },
      automations,
    };
    if (patch.credentials !== undefined) {
      this.credentials = patch.credentials === null ? null : { ...patch.credentials };
      if (patch.credentials !== null) {
        next.username = patch.credentials.username;
        next.region = patch.credentials.region;
      }
    }
    this.settings = structuredClone(next);
    return this.integration();
  }

  /** The stored Tracker credentials: for in-process tests only; no endpoint returns them. */
  storedTrackerCredentials(): TrackerIntegrationCredentials | null {
    return this.credentials === null ? null : { ...this.credentials };
  }

  private idsOf(kind: Kind): string[] {
    switch (kind) {
      case 'pos':
        return this.positions.map((p) => p.positionId);
      case 'inv':
        return this.invitations.map((i) => i.invitationId);
      case 'cand':
        return this.candidates.map((c) => c.candidateId);
      case 'rep':
        return this.reports.map((r) => r.reportId);
    }
  }

  private nextId(kind: Kind): string {
    const id = this.nextIds[kind];
    this.nextIds[kind] = id + 1;
    return `${kind}_${id}`;
  }
}
