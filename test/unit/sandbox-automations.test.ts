import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAprioraSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

/** The sandbox's Apriora integration stores and validates automations as the contract says ("Automations"). */

type Json = Record<string, any>;

const INVITES = {
  enabled: true,
  trigger: { statuses: ['Applied', 'Shortlisted'] },
  rules: [
    { field: 'job.location', op: 'not_equals', value: 'Remote' },
    { field: 'job.type', op: 'in', value: ['Permanent', 'Contract'] },
  ],
  delayMinutes: 30,
  onePerCandidatePerDay: false,
  blackout: { start: '20:00', end: '08:00', timezone: 'America/New_York' },
};
const CREATION = { enabled: true, modality: 'phone', templateId: 'tpl_1', filters: [{ field: 'job.status', op: 'equals', value: 'Open' }] };

describe('sandbox: Apriora automations', () => {
  let sandbox: RunningSandbox;

  async function patch(automations: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${sandbox.aprioraUrl}/integrations/tracker`, {
      method: 'PATCH',
      headers: { 'X-API-Key': sandbox.credentials.aprioraApiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ automations }),
    });
    return { status: response.status, body: await response.json() };
  }
  async function held(): Promise<Json> {
    const response = await fetch(`${sandbox.aprioraUrl}/integrations/tracker`, { headers: { 'X-API-Key': sandbox.credentials.aprioraApiKey } });
    return ((await response.json()) as Json).automations;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
  });

  it('stores both automations exactly as given and answers them back', async () => {
    const answer = await patch({ invites: INVITES, interviewCreation: CREATION });
    expect(answer.status).toBe(200);
    expect(answer.body.automations).toEqual({ invites: INVITES, interviewCreation: CREATION });
    expect(await held()).toEqual({ invites: INVITES, interviewCreation: CREATION });
  });

  it('a PATCH replaces the automation object it names (missing parts take the defaults) and leaves the other', async () => {
    await patch({ invites: INVITES, interviewCreation: CREATION });
    const answer = await patch({ invites: { enabled: true, delayMinutes: 5 } });
    expect(answer.status).toBe(200);
    expect(answer.body.automations).toEqual({
      invites: { enabled: true, trigger: { statuses: ['Applied'] }, rules: [], delayMinutes: 5, onePerCandidatePerDay: true, blackout: null },
      interviewCreation: CREATION,
    });
    const other = await patch({ interviewCreation: { enabled: false } });
    expect(other.body.automations.interviewCreation).toEqual({ enabled: false, modality: 'video', templateId: null, filters: [] });
    expect(other.body.automations.invites.delayMinutes).toBe(5);
  });

  it.each([
    ['an unknown field', { field: 'job.salary', op: 'equals', value: 'x' }, /field: "job\.salary" is not one of status, source/],
    ['an interview-only field', { field: 'job.status', op: 'equals', value: 'Open' }, /field: "job\.status"/],
    ['an unknown op', { field: 'status', op: 'like', value: 'x' }, /rules\.1\.op/],
    ['a list with equals', { field: 'status', op: 'equals', value: ['a', 'b'] }, /a list goes only with in or not_in/],
    ['an empty list', { field: 'status', op: 'in', value: [] }, /the list is empty/],
    ['a number value', { field: 'status', op: 'equals', value: 3 }, /rules\.1\.value/],
    ['a missing value', { field: 'status', op: 'equals' }, /rules\.1\.value/],
    ['an extra key', { field: 'status', op: 'equals', value: 'x', weight: 2 }, /rules\.1/],
  ])('a rule with %s is 422 invalid_rule with its index', async (_what, rule, message) => {
    const before = await held();
    const answer = await patch({ invites: { ...INVITES, rules: [INVITES.rules[0], rule] } });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'invalid_rule', details: { index: 1 } });
    expect(answer.body.error.message).toMatch(message);
    expect(await held()).toEqual(before);
  });

  it('an interview-creation filter is checked against its own fields', async () => {
    const bad = await patch({ interviewCreation: { ...CREATION, filters: [{ field: 'source', op: 'equals', value: 'LinkedIn' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'invalid_rule', details: { index: 0 } });
    expect(bad.body.error.message).toMatch(/^automations\.interviewCreation\.filters\.0\.field: /);
  });

  it.each([
    ['delayMinutes below 0', { invites: { ...INVITES, delayMinutes: -1 } }, /delayMinutes/],
    ['delayMinutes above 10080', { invites: { ...INVITES, delayMinutes: 10_081 } }, /delayMinutes/],
    ['a fractional delay', { invites: { ...INVITES, delayMinutes: 1.5 } }, /delayMinutes/],
    ['a blackout start that is not HH:MM', { invites: { ...INVITES, blackout: { ...INVITES.blackout, start: '8pm' } } }, /blackout\.start: must be HH:MM/],
    ['a blackout end of 24:00', { invites: { ...INVITES, blackout: { ...INVITES.blackout, end: '24:00' } } }, /blackout\.end/],
    ['an unknown time zone', { invites: { ...INVITES, blackout: { ...INVITES.blackout, timezone: 'Mars/Olympus' } } }, /blackout\.timezone: must be an IANA/],
    ['no trigger status', { invites: { ...INVITES, trigger: { statuses: [] } } }, /trigger\.statuses/],
    ['a blank trigger status', { invites: { ...INVITES, trigger: { statuses: ['Applied', ' '] } } }, /trigger\.statuses\.1/],
    ['a bad modality', { interviewCreation: { ...CREATION, modality: 'sms' } }, /interviewCreation\.modality/],
    ['an unknown template', { interviewCreation: { ...CREATION, templateId: 'tpl_nope' } }, /templateId: no template tpl_nope/],
    ['a template of the other modality', { interviewCreation: { ...CREATION, templateId: 'tpl_2' } }, /template tpl_2 is a video interview, not phone/],
    ['an unknown key', { invites: { ...INVITES, schedule: 'daily' } }, /automations\.invites/],
    ['not an object', { invites: 'on' }, /automations\.invites/],
  ])('%s is 422 invalid_automation and changes nothing', async (_what, automations, message) => {
    const before = await held();
    const answer = await patch(automations);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('invalid_automation');
    expect(answer.body.error.message).toMatch(message);
    expect(await held()).toEqual(before);
  });

  it('a blackout may be null; a video template with modality video is accepted', async () => {
    const answer = await patch({ invites: { ...INVITES, blackout: null }, interviewCreation: { ...CREATION, modality: 'video', templateId: 'tpl_2' } });
    expect(answer.status).toBe(200);
    expect(answer.body.automations.invites.blackout).toBeNull();
    expect(answer.body.automations.interviewCreation.templateId).toBe('tpl_2');
  });

  it('a seed is checked the same way', () => {
    expect(loadAprioraSeed({ integration: { automations: { invites: INVITES, interviewCreation: CREATION } } }).integration.automations.invites).toEqual(
      INVITES,
    );
    expect(() => loadAprioraSeed({ integration: { automations: { invites: { rules: [{ field: 'job.status', op: 'equals', value: 'x' }] } } } })).toThrow(
      /invites/,
    );
    expect(() => loadAprioraSeed({ integration: { automations: { interviewCreation: { modality: 'video', templateId: 'tpl_1' } } } })).toThrow(
      /tpl_1 is a phone interview/,
    );
  });
});
