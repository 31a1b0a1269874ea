import { describe, expect, it } from 'vitest';
import { AT_TERMINAL, DOWN, expectEnvelope, TestCli, useSandbox } from '../../../support/cli.js';

const t = useSandbox({ loggedIn: { fieldMap: false, apriora: false } });

const activityField = (name: string) => t.sandbox.tracker.settings.customFields.find((field) => field.Association === 'Activity' && field.Name === name)!.Id;
const savedMap = () => t.cli.config()?.profiles?.default?.tracker?.fieldMap;

describe('apriora tracker fields map', () => {
  it('--auto picks the four activity fields, not the look-alikes, and saves them', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.fields.map((field: { key: string; id: number; association: string }) => [field.key, field.id, field.association])).toEqual([
      ['overallScore', activityField('Overall Score'), 'Activity'],
      ['reportLink', activityField('Report link'), 'Activity'],
      ['gradingCriteria', activityField('Grading Criteria'), 'Activity'],
      ['feedback', activityField('Feedback'), 'Activity'],
    ]);
    // the look-alikes exist and were passed over
    const lookalikes = t.sandbox.tracker.settings.customFields.filter(
      (field) => field.Association !== 'Activity' && ['Overall Score', 'Report Link', 'Feedback'].includes(field.Name),
    );
    expect(lookalikes.length).toBeGreaterThanOrEqual(3);
    expect(data).toMatchObject({ activityType: 'Apriora Interview', activityTypeFound: true, saved: true });

    const profile = t.cli.config().profiles.default;
    expect(profile.tracker.activityType).toBe('Apriora Interview');
    expect(profile.tracker.fieldMap).toEqual({
      overallScore: String(activityField('Overall Score')),
      reportLink: String(activityField('Report link')),
      gradingCriteria: String(activityField('Grading Criteria')),
      feedback: String(activityField('Feedback')),
    });
    // each field's Tracker type is kept with the map: values are checked against it before anything is written
    expect(profile.tracker.fieldTypes).toEqual({ overallScore: 'Number', reportLink: 'Text', gradingCriteria: 'Memo', feedback: 'Memo' });
    const status = await t.cli.run(['tracker', 'status', '--json']);
    expect(status.json().data.fieldMap).toEqual(profile.tracker.fieldMap);
  });

  it('prints the map as a table and says it saved it; --dry-run saves nothing', async () => {
    const dryRun = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--dry-run']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(/│ Apriora field\s+│ Tracker field\s+│ Id\s+│ Association │/);
    expect(dryRun.stdout).toMatch(new RegExp(`│ Overall Score\\s+│ Overall Score\\s+│ ${activityField('Overall Score')}\\s+│ Activity\\s+│`));
    expect(dryRun.stdout).toMatch(new RegExp(`│ Feedback\\s+│ Feedback\\s+│ ${activityField('Feedback')}\\s+│ Activity\\s+│`));
    expect(dryRun.stdout.trimEnd().split('\n').at(-1)).toBe('Dry run: nothing saved.');
    expect(savedMap()).toBeUndefined();

    const real = await t.cli.run(['tracker', 'fields', 'map', '--auto']);
    expect(real.code).toBe(0);
    expect(real.stdout.trimEnd().split('\n').at(-1)).toBe('✓ Saved the field map of activity "Apriora Interview" in profile "default"');
    expect(savedMap()).toBeDefined();
  });

  it('explicit ids are validated: unknown id, a look-alike of another association, a non-number: exit 2', async () => {
    const base = ['tracker', 'fields', 'map', '--report-link', '449', '--grading-criteria', '450', '--feedback', '451'];
    const unknown = await t.cli.run([...base, '--overall-score', '9999', '--json']);
    expect(unknown.code).toBe(2);
    expect(expectEnvelope(unknown, false).error.code).toBe('unknown_field');

    const lookalike = t.sandbox.tracker.settings.customFields.find((field) => field.Association === 'Resource' && field.Name === 'Overall Score')!;
    const wrong = await t.cli.run([...base, '--overall-score', String(lookalike.Id)]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/belongs to Resource, not to activities/);

    const word = await t.cli.run([...base, '--overall-score', 'abc']);
    expect(word.code).toBe(2);
    expect(savedMap()).toBeFalsy();

    const ok = await t.cli.run([...base, '--overall-score', '448', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(savedMap()).toEqual({ overallScore: '448', reportLink: '449', gradingCriteria: '450', feedback: '451' });
  });

  it('the same id for two fields is exit 2', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--overall-score', '451', '--json']);
    expect(result.code).toBe(2);
    expectEnvelope(result, false);
    expect(savedMap()).toBeUndefined();
  });

  it('without --auto, ids or a terminal, the missing ids are exit 2 naming the flags', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'map', '--feedback', '451']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: No id for "Overall Score", "Report link", "Grading Criteria"$/m);
    expect(result.stderr).toMatch(/^Try: Pass --auto to pick the fields by name, or give --overall-score ID --report-link ID --grading-criteria ID\.$/m);
    expect(savedMap()).toBeUndefined();
  });

  it('a missing activity type exits 2 and says what to ask Tracker Support for', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--activity-type', 'AI Screening']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no activity type "AI Screening"/);
    expect(result.stderr).toMatch(/support-request custom-activity/);
    const json = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--activity-type', 'AI Screening', '--json']);
    expect(expectEnvelope(json, false).error.code).toBe('activity_type_missing');
    expect(savedMap()).toBeUndefined();
  });

  it('--auto with ambiguous fields exits 2 listing the candidates', async () => {
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const result = await t.cli.run(['tracker', 'fields', 'map', '--auto', '--json']);
    expect(result.code).toBe(2);
    const error = expectEnvelope(result, false).error;
    expect(error.code).toBe('field_map_ambiguous');
    expect(error.details.fields).toEqual([
      { field: 'Feedback', flag: '--feedback', candidates: [expect.objectContaining({ id: 451 }), expect.objectContaining({ id: 990 })] },
    ]);
    expect(savedMap()).toBeUndefined();
  });

  it('at a terminal it asks where the match is ambiguous, shows the map and saves it once confirmed', async () => {
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback', Type: 'Memo', ListId: null });
    const run = t.cli.start(['tracker', 'fields', 'map'], AT_TERMINAL);
    await run.answer('Tracker field for "Feedback"', `${DOWN}\r`);
    await run.answer('Save this map in profile "default"?', 'y\r');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    // only the ambiguous field was asked about
    expect(result.stderr).not.toContain('Tracker field for "Overall Score"');
    expect(result.stdout).toMatch(/│ Feedback\s+│ Feedback\s+│ 990 │ Activity\s+│/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('✓ Saved the field map of activity "Apriora Interview" in profile "default"');
    expect(savedMap()).toEqual({ overallScore: '448', reportLink: '449', gradingCriteria: '450', feedback: '990' });
  });

  it('at a terminal, field names with control characters are shown, not sent to the terminal, in the choices and the map', async () => {
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 990, Name: 'Feedback\u001b]0;PWN\u0007\u001b[2J', Type: 'Memo', ListId: null });
    t.sandbox.tracker.settings.customFields.push({ Association: 'Activity', Id: 991, Name: 'Feedback', Type: 'Memo', ListId: null });
    const run = t.cli.start(['tracker', 'fields', 'map'], AT_TERMINAL);
    await run.answer('Tracker field for "Feedback"', `${DOWN}\r`);
    await run.answer('Save this map in profile "default"?', 'y\r');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    // the prompt draws with its own escape sequences; the field's are shown as symbols
    expect(result.stderr).toContain('Feedback␛]0;PWN␇␛[2J (id 990, Activity)');
    expect(result.stderr).not.toContain('\u001b]0;');
    expect(result.stderr).not.toContain('\u0007');
    expect(result.stderr).not.toContain('\u001b[2J');
  });

  it('at a terminal, "no" to saving is exit 0 with the way to give the ids, and saves nothing', async () => {
    const run = t.cli.start(['tracker', 'fields', 'map'], AT_TERMINAL);
    await run.answer('Save this map in profile "default"?', 'n\r');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/│ Overall Score\s+│ Overall Score\s+│ 448 │ Activity\s+│/);
    expect(result.stdout).toMatch(/\nNothing written\.\nTo give the ids yourself: apriora tracker fields map --overall-score ID --report-link ID/);
    expect(result.stderr).not.toContain('Error');
    expect(savedMap()).toBeUndefined();
    // --yes answers for the person
    const yes = await t.cli.run(['tracker', 'fields', 'map', '--yes'], AT_TERMINAL);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).not.toContain('Save this map');
    expect(savedMap()).toBeDefined();
  });

  it('--json at a terminal keeps stdout one JSON document', async () => {
    const run = t.cli.start(['tracker', 'fields', 'map', '--json'], AT_TERMINAL);
    await run.answer('Save this map in profile "default"?', 'n\r');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({ declined: true, written: false });
  });

  it('without a Tracker login it is exit 4', async () => {
    const other = new TestCli();
    try {
      const result = await other.run(['tracker', 'fields', 'map', '--auto', '--json']);
      expect(result.code).toBe(4);
      expect(expectEnvelope(result, false).error.code).toBe('not_logged_in');
    } finally {
      other.cleanup();
    }
  });
});
