import { describe, expect, it } from 'vitest';
import type { AprioraClient } from '../../src/apriora/client.js';
import type { Position } from '../../src/apriora/partner.js';
import { ConflictError, InputError, RemoteError } from '../../src/errors.js';
import type { TrackerClient } from '../../src/tracker/client.js';
import { READ_BACK_ATTEMPTS, retryRead } from '../../src/workflows/failures.js';
import { type GenerateDeps, type GenerateSettings, generateForJob, lookupAsNeeded, type PositionLookup } from '../../src/workflows/generate-interviews.js';
import type { JobForInterview } from '../../src/workflows/jobs.js';

/**
 * Uncertain creates (src/workflows/generate-interviews.ts): a create whose answer was lost is read back before it is
 * tried again or reported failed, and a read-back that fails is tried again a little before giving up.
 */

const JOB: JobForInterview = {
  id: 3101,
  reference: 'JOB-3101',
  title: 'Registered Nurse',
  descriptionHtml: '<p>Nights.</p>',
  client: 'Mercy',
  location: 'Boston, MA',
  type: 'Permanent',
  status: 'Open',
  payRate: '',
  startDate: '',
};
const SETTINGS: GenerateSettings = { modality: 'phone', templateId: undefined, notes: undefined, update: false, dryRun: false };
const POSITION = { positionId: 'pos_1', interviewUrl: 'https://apriora.test/i/pos_1', externalSource: 'tracker', externalId: '3101' } as Position;

const lost = () => new RemoteError('Apriora answered HTTP 502', { code: 'server_error', status: 502 });
const unreachable = () => new RemoteError('Apriora could not be reached: socket hang up', { code: 'network_error' });

/** Apriora where each create runs `creates` in turn, and each read-back `reads` in turn (the last one repeats). */
function setup(creates: (() => Position)[], reads: (() => Position | undefined)[]) {
  const calls: string[] = [];
  let create = 0;
  let read = 0;
  const apriora = {
    async createPosition() {
      calls.push('create');
      return creates[create++]!();
    },
    async getPosition() {
      calls.push('get');
      return POSITION;
    },
  } as unknown as AprioraClient;
  const confirm: PositionLookup = {
    async find() {
      calls.push('read');
      return reads[Math.min(read++, reads.length - 1)]!();
    },
  };
  const deps: GenerateDeps = {
    tracker: {} as TrackerClient,
    apriora,
    lookup: { find: async () => undefined },
    confirm,
    sleep: async (ms) => {
      calls.push(`sleep ${ms > 0 ? '>0' : ms}`);
    },
  };
  return { deps, calls };
}

describe('generateForJob after a lost answer', () => {
  it('the last attempt committed but answered with an error: read back, created', async () => {
    const { deps, calls } = setup(
      [
        () => {
          throw lost();
        },
        () => {
          throw lost();
        },
        () => {
          throw unreachable();
        },
      ],
      [() => undefined, () => undefined, () => POSITION],
    );
    const item = await generateForJob(deps, SETTINGS, JOB);
    expect(item).toMatchObject({ jobId: 3101, status: 'created', positionId: 'pos_1' });
    expect(calls).toEqual(['create', 'read', 'create', 'read', 'create', 'read']);
  });

  it('a read-back that fails is tried again, a little later, before anything else', async () => {
    const { deps, calls } = setup(
      [
        () => {
          throw lost();
        },
      ],
      [
        () => {
          throw unreachable();
        },
        () => {
          throw lost();
        },
        () => POSITION,
      ],
    );
    const item = await generateForJob(deps, SETTINGS, JOB);
    expect(item).toMatchObject({ status: 'created', positionId: 'pos_1' });
    expect(calls).toEqual(['create', 'read', 'sleep >0', 'read', 'sleep >0', 'read']);
  });

  it('a read-back that keeps failing: failed with write_unconfirmed, and no second create', async () => {
    const { deps, calls } = setup(
      [
        () => {
          throw lost();
        },
      ],
      [
        () => {
          throw unreachable();
        },
      ],
    );
    const item = await generateForJob(deps, SETTINGS, JOB);
    expect(item).toMatchObject({ status: 'failed', positionId: null });
    expect(item.error).toEqual({
      code: 'write_unconfirmed',
      message: 'Apriora answered HTTP 502; whether it was written could not be checked: Apriora could not be reached: socket hang up',
    });
    expect(calls.filter((call) => call === 'read')).toHaveLength(READ_BACK_ATTEMPTS);
    expect(calls.filter((call) => call === 'create')).toHaveLength(1);
  });

  it('every attempt failed before it was committed: failed with the create error, after a read each time', async () => {
    const { deps, calls } = setup(
      Array.from({ length: 3 }, () => () => {
        throw lost();
      }),
      [() => undefined],
    );
    const item = await generateForJob(deps, SETTINGS, JOB);
    expect(item).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    expect(calls).toEqual(['create', 'read', 'create', 'read', 'create', 'read']);
  });

  it('a 409 after another runner created it: the linked position is read (again if that fails) and reported exists', async () => {
    let gets = 0;
    const { deps } = setup(
      [
        () => {
          throw new ConflictError('exists', { code: 'position_exists', existingId: 'pos_1' });
        },
      ],
      [() => undefined],
    );
    deps.apriora.getPosition = async () => {
      if (gets++ === 0) throw unreachable();
      return POSITION;
    };
    const item = await generateForJob(deps, SETTINGS, JOB);
    expect(item).toMatchObject({ status: 'exists', positionId: 'pos_1' });
    expect(gets).toBe(2);
  });
});

describe('retryRead', () => {
  it('does not retry what will not pass (a bad request, a bug)', async () => {
    let reads = 0;
    const failing = async () => {
      reads++;
      throw new InputError('bad');
    };
    await expect(retryRead(failing, async () => {})).rejects.toBeInstanceOf(InputError);
    expect(reads).toBe(1);
  });
});

describe('lookupAsNeeded (ids from stdin, whose number is unknown)', () => {
  it('looks up each of the first 20 jobs, then reads every linked position once', async () => {
    const calls: string[] = [];
    const apriora = {
      async listPositions(query: { externalId?: string }) {
        calls.push(`one ${query.externalId}`);
        return [];
      },
      async *iteratePositions() {
        calls.push('all');
        yield { ...POSITION, externalId: '25' };
      },
    } as unknown as AprioraClient;
    const lookup = lookupAsNeeded(apriora, 20);
    const found = [];
    for (let id = 1; id <= 25; id++) found.push(await lookup.find(id));
    expect(calls).toEqual([...Array.from({ length: 20 }, (_, i) => `one ${i + 1}`), 'all']);
    expect(found.filter(Boolean)).toEqual([expect.objectContaining({ externalId: '25' })]);
  });
});
