import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

type Json = Record<string, unknown>;

describe('sandbox: Apriora invitations', () => {
  let sandbox: RunningSandbox;
  let now = Date.parse('2025-06-02T09:00:00Z');
  const seconds = () => Math.floor(now / 1000);

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json & Json[] }> {
    const response = await fetch(`${sandbox.aprioraUrl}${path}`, {
      method,
      headers: { 'X-API-Key': sandbox.credentials.aprioraApiKey, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json & Json[] };
  }
  const position = (externalId: string, modality: 'phone' | 'video', status?: 'closed') =>
    sandbox.apriora.createPosition({ title: 'Senior Nurse', description: '', modality, externalSource: 'tracker', externalId, ...(status ? { status } : {}) });
  const invite = (positionId: string, candidate: Json, extra: Json = {}) =>
    api('POST', '/invitations', { positionId, candidate: { firstName: 'Ada', lastName: 'Lovelace', ...candidate }, ...extra });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, clock: () => new Date(now) });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    now = Date.parse('2025-06-02T09:00:00Z');
    sandbox.reset();
  });

  it('201 Invitation with the spec fields, externalCandidateId kept; 409 already_invited by position and e-mail, ignoring case', async () => {
    const { positionId } = position('3101', 'phone');
    const created = await invite(positionId, { email: 'Ada@Example.com', phone: '+16175550110' }, { externalCandidateId: '5001' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      invitationId: expect.stringMatching(/^inv_\d+$/),
      positionId,
      candidateId: expect.stringMatching(/^cand_\d+$/),
      email: 'Ada@Example.com',
      status: 'sent',
      interviewLink: expect.stringContaining(positionId),
      createdAt: seconds(),
      externalCandidateId: '5001',
      phone: '+16175550110',
    });
    const again = await invite(positionId, { email: 'ada@example.COM', phone: '+16175550110' });
    expect(again).toEqual({ status: 409, body: { error: { code: 'already_invited', message: expect.any(String), invitationId: created.body.invitationId } } });
  });

  it('422 phone_required, invalid_phone (not E.164), invalid_email, position_closed', async () => {
    const phone = position('3101', 'phone');
    const video = position('3102', 'video');
    const closed = position('3103', 'video', 'closed');
    const expectCode = async (answer: Promise<{ status: number; body: Json }>, code: string) => {
      const { status, body } = await answer;
      expect(status, code).toBe(422);
      expect(body).toEqual({ error: { code, message: expect.any(String) } });
    };
    await expectCode(invite(phone.positionId, { email: 'a@example.com' }), 'phone_required');
    await expectCode(invite(phone.positionId, { email: 'a@example.com', phone: '' }), 'phone_required');
    await expectCode(invite(phone.positionId, { email: 'a@example.com', phone: null }), 'phone_required');
    for (const bad of ['(617) 555-0110', '6175550110', '+0123456789', '+1 617 555 0110', '+123456', '+1234567890123456', 'ext 12']) {
      await expectCode(invite(phone.positionId, { email: 'a@example.com', phone: bad }), 'invalid_phone');
    }
    await expectCode(invite(video.positionId, { email: 'a@example.com', phone: '617.555.0134' }), 'invalid_phone');
    for (const bad of ['', 'not-an-email', 'a@b', 'a b@example.com']) await expectCode(invite(video.positionId, { email: bad }), 'invalid_email');
    await expectCode(invite(closed.positionId, { email: 'a@example.com' }), 'position_closed');
    expect(sandbox.apriora.invitations).toEqual([]);

    expect((await invite(phone.positionId, { email: 'a@example.com', phone: '+447700900123' })).status).toBe(201);
    expect((await invite(video.positionId, { email: 'a@example.com' })).status).toBe(201);
    // Already invited wins over a closed position: a re-run learns that the invitation exists.
    sandbox.apriora.updatePosition(video.positionId, { status: 'closed' });
    expect((await invite(video.positionId, { email: 'A@example.com' })).status).toBe(409);
  });

  it('sendAt in the future is scheduled, then sent once the time has come; one in the past is refused', async () => {
    const { positionId } = position('3102', 'video');
    const later = seconds() + 3600;
    const scheduled = await invite(positionId, { email: 'a@example.com' }, { sendAt: later });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', sendAt: later });
    // The contract says a future time: one already past is refused, not read as "now".
    expect((await invite(positionId, { email: 'b@example.com' }, { sendAt: seconds() - 10 })).body).toMatchObject({ error: { code: 'invalid_request' } });
    now += 3600_000;
    expect((await api('GET', `/invitations?email=a@example.com`)).body).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('GET /invitations filters on positionId, email, createdAfter; newest first; limit and offset', async () => {
    const a = position('3101', 'video');
    const b = position('3102', 'video');
    const made: unknown[] = [];
    const add = async (positionId: string, email: string) => made.push((await invite(positionId, { email })).body.invitationId);
    await add(a.positionId, 'one@example.com');
    now += 60_000;
    const cut = seconds();
    await add(b.positionId, 'one@example.com');
    await add(a.positionId, 'two@example.com');
    now += 60_000;
    await add(b.positionId, 'three@example.com');
    const [i1, i2, i3, i4] = made;
    const ids = (answer: { body: Json[] }) => answer.body.map((each) => each.invitationId);
    expect(ids(await api('GET', '/invitations'))).toEqual([i4, i3, i2, i1]);
    expect(ids(await api('GET', `/invitations?positionId=${a.positionId}`))).toEqual([i3, i1]);
    expect(ids(await api('GET', '/invitations?email=ONE@example.com'))).toEqual([i2, i1]);
    expect(ids(await api('GET', `/invitations?email=one@example.com&createdAfter=${cut}`))).toEqual([i2]);
    expect(ids(await api('GET', `/invitations?createdAfter=${cut + 60}`))).toEqual([i4]);
    expect(ids(await api('GET', '/invitations?limit=2&offset=1'))).toEqual([i3, i2]);
    expect((await api('GET', '/invitations?createdAfter=yesterday')).status).toBe(422);
  });
});
