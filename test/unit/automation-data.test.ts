import { describe, expect, it } from 'vitest';
import type { AprioraClient } from '../../src/apriora/client.js';
import type { InvitesAutomation } from '../../src/apriora/partner.js';
import type { TrackerClient } from '../../src/tracker/client.js';
import { decideInvitesWithPhones, gatherJobs } from '../../src/workflows/automation-data.js';
import type { AutomationApplicant, AutomationJob, InviteContext } from '../../src/workflows/automation-decisions.js';

const NOW = Date.parse('2026-06-10T16:00:00Z');

const settings: InvitesAutomation = {
  enabled: true,
  trigger: { statuses: ['Applied'] },
  rules: [],
  delayMinutes: 0,
  onePerCandidatePerDay: true,
  blackout: null,
};

const phoneJob = (id: number): AutomationJob => ({
  id,
  title: 'Nurse',
  location: 'Boston, MA',
  type: 'Permanent',
  client: 'General Hospital',
  status: 'Open',
  open: true,
  position: { positionId: `pos_${id}`, modality: 'phone', status: 'active' },
});

const context: InviteContext = { now: NOW, invitedToPosition: () => false, invitedInLastDay: () => false, interviewed: () => false };

/** An Apriora client that must not be called. */
const noApriora = new Proxy({} as AprioraClient, {
  get: (_target, name) => {
    throw new Error(`Apriora was called: ${String(name)}`);
  },
});

describe('gatherJobs', () => {
  it('reads no interview when no open job was updated (an idle runner cycle: one Tracker page)', async () => {
    let pages = 0;
    const tracker = {
      // biome-ignore lint/correctness/useYield: an empty page
      async *iterateRecords() {
        pages++;
      },
    } as unknown as TrackerClient;
    const jobs = await gatherJobs({ tracker, apriora: noApriora }, { updatedAfter: '2026-06-10 12:00:00' });
    expect(jobs.size).toBe(0);
    expect(pages).toBe(1);
  });
});

describe('decideInvitesWithPhones', () => {
  it("reads a candidate's Tracker record once, however many rounds their applications without a usable phone take", async () => {
    const reads: number[] = [];
    const tracker = {
      async getIndividualRecord(_type: string, id: number) {
        reads.push(id);
        return id === 5001 ? { firstname: 'Cal', cellphone: 'ext 12' } : { firstname: 'Ann', cellphone: '(617) 555-0110' };
      },
    } as unknown as TrackerClient;
    const jobs = new Map([3101, 3102, 3103, 3104].map((id) => [id, phoneJob(id)]));
    let applicationId = 7001;
    const applicant = (jobId: number, candidateId: number, email: string): AutomationApplicant => ({
      applicationId: applicationId++,
      jobId,
      candidateId,
      status: 'Applied',
      active: true,
      source: 'LinkedIn',
      email,
      appliedAt: NOW - 3_600_000,
    });
    // Cal (no usable phone) applied to four jobs, Ann to two: one per day each.
    const applicants = [
      ...[3101, 3102, 3103, 3104].map((jobId) => applicant(jobId, 5001, 'cal@example.com')),
      applicant(3101, 5002, 'ann@example.com'),
      applicant(3102, 5002, 'ann@example.com'),
    ];
    const { decisions, phones } = await decideInvitesWithPhones(tracker, settings, { jobs, applicants, context }, 'US');
    expect(decisions.map((decision) => (decision.kind === 'skip' ? decision.reason.code : decision.kind))).toEqual([
      'no_phone',
      'no_phone',
      'no_phone',
      'no_phone',
      'invite',
      'invited_today',
    ]);
    expect([...phones.values()]).toEqual(['+16175550110']);
    expect(reads.sort()).toEqual([5001, 5002]);
  });
});
