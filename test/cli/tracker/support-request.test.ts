import { describe, expect, it } from 'vitest';
import { expectEnvelope, useCli } from '../../support/cli.js';

const t = useCli();

describe('apriora tracker support-request', () => {
  it('credentials: prints the subject and the body, ready to send, naming the company', async () => {
    const result = await t.cli.run(['tracker', 'support-request', 'credentials', '--company', 'Acme Staffing']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Subject: API credentials for the Apriora integration — Acme Staffing\n\nHello Tracker Support,\n/);
    expect(result.stdout).toMatch(/an API Key/);
    expect(result.stdout).toMatch(/API Username/);
    expect(result.stdout).toMatch(/API Password/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Acme Staffing');
  });

  it('custom-activity: names the activity type and its four fields; --json gives kind, subject and body', async () => {
    const activity = await t.cli.run(['tracker', 'support-request', 'custom-activity', '--json']);
    expect(activity.code).toBe(0);
    const data = expectEnvelope(activity, true).data;
    expect(Object.keys(data).sort()).toEqual(['body', 'kind', 'subject']);
    expect(data.kind).toBe('custom-activity');
    expect(data.subject).toBe('Custom activity type "Apriora Interview" for the Apriora integration — <company name>');
    for (const field of ['Apriora Interview', 'Overall Score', 'Report link', 'Grading Criteria', 'Feedback']) expect(data.body).toContain(field);
    expect(data.body).toMatch(/Overall Score\s+Number \(0-100\)/);
    const human = await t.cli.run(['tracker', 'support-request', 'custom-activity', '--company', 'Acme']);
    expect(human.stdout).toBe(`Subject: ${data.subject.replace('<company name>', 'Acme')}\n\n${data.body.replaceAll('<company name>', 'Acme')}\n`);
  });

  it('a line break in --company cannot add a header line to the e-mail', async () => {
    for (const kind of ['credentials', 'custom-activity']) {
      const result = await t.cli.run(['tracker', 'support-request', kind, '--company', 'Acme\nBcc: evil@example.com']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toMatch(/— Acme Bcc: evil@example\.com$/);
      expect(result.stdout).not.toMatch(/^Bcc:/m);
    }
  });

  it('needs no login: it sends nothing and stores nothing', async () => {
    const result = await t.cli.run(['tracker', 'support-request', 'credentials']);
    expect(result.code).toBe(0);
    expect(t.cli.config()).toBeUndefined();
  });

  it('an unknown request is exit 2 naming both; a missing one is a usage error', async () => {
    const human = await t.cli.run(['tracker', 'support-request', 'coffee']);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toBe(
      'Error: Unknown request "coffee": choose credentials or custom-activity\nTry: apriora tracker support-request credentials | custom-activity\n',
    );
    const json = await t.cli.run(['tracker', 'support-request', 'coffee', '--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error.code).toBe('invalid_input');
    const missing = await t.cli.run(['tracker', 'support-request', '--json']);
    expect(missing.code).toBe(2);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'usage_error', message: "missing required argument 'what'" });
  });
});
