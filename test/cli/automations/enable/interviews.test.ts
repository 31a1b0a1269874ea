import { describe, expect, it } from 'vitest';
import { expectEnvelope, useSandbox } from '../../../support/cli.js';

/** `apriora automations enable interviews` against the sandbox. */

const t = useSandbox({ seed: { jobs: 2, candidates: 2 }, loggedIn: { fieldMap: false } });

const enable = (...args: string[]) => t.cli.run(['automations', 'enable', 'interviews', ...args]);
const patches = () => t.sandbox.requests.filter((request) => request.op === 'PATCH /integrations/tracker');
const held = () => t.sandbox.apriora.integration().automations.interviewCreation;

describe('apriora automations enable interviews', () => {
  it('sends the whole interviewCreation object; a template named brings its modality; the read-back is shown', async () => {
    const result = await enable(
      '--template',
      'standard PHONE screen',
      '--filter',
      'job.status = Open',
      '--filter',
      'job.type not in [Temp, "Per diem"]',
      '--json',
    );
    expect(result.code, result.stderr).toBe(0);
    const expected = {
      enabled: true,
      modality: 'phone',
      templateId: 'tpl_1',
      filters: [
        { field: 'job.status', op: 'equals', value: 'Open' },
        { field: 'job.type', op: 'not_in', value: ['Temp', 'Per diem'] },
      ],
    };
    expect(patches().map((request) => request.body)).toEqual([{ automations: { interviewCreation: expected } }]);
    expect(held()).toEqual(expected);
    expect(expectEnvelope(result, true).data).toMatchObject({ automation: 'interviewCreation', sent: true, saved: expected });

    const table = await enable('--no-filters');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Template\s+Standard phone screen \(tpl_1\)/);
    expect(held()).toEqual({ ...expected, filters: [] });
  });

  it('the template must exist and be of the modality: exit 2 before any PATCH', async () => {
    const unknown = await enable('--template', 'Nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Apriora has no template "Nope"');
    expect(unknown.stderr).toContain('tpl_1 "Standard phone screen" (phone)');
    const mismatch = await enable('--modality', 'phone', '--template', 'tpl_2');
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/is a video interview, not phone/);
    expect((await enable('--template', 'tpl_2')).code).toBe(0);
    const held2 = await enable('--modality', 'phone');
    expect(held2.code).toBe(2);
    expect(held2.stderr).toMatch(/Video interview — general" \(tpl_2\) is a video interview, not phone/);
    const none = await enable('--modality', 'phone', '--template', 'none', '--json');
    expect(none.json().data.saved).toMatchObject({ modality: 'phone', templateId: null });
    expect(patches().length).toBe(2);
  });

  it('a filter on an applicant field is refused before any request', async () => {
    t.sandbox.requests.length = 0;
    const result = await enable('--filter', 'source ~ linkedin');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"source" is not a field of interview filters');
    expect(result.stderr).toContain('Fields of an interview filter: job.title, job.location, job.type, job.client, job.status');
    expect(t.sandbox.requests).toEqual([]);
  });

  it('--dry-run sends nothing', async () => {
    const result = await enable('--modality', 'phone', '--dry-run', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ sent: false, dryRun: true, after: { enabled: true, modality: 'phone' } });
    expect(patches()).toEqual([]);
    expect(held().enabled).toBe(false);
  });
});
