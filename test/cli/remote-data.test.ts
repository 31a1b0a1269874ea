import { describe, expect, it } from 'vitest';
import { addSandboxJob, type CliResult, expectEnvelope, useSandbox } from '../support/cli.js';

/**
 * Remote data is data: whoever can edit a Tracker job must not be able to act on the engineer's terminal (retitle
 * it, clear it, write the clipboard, fake lines) nor smuggle control characters into Apriora. The job is added the
 * way a recruiter would, through the sandbox's admin endpoint.
 */

const t = useSandbox({ loggedIn: {} });

const ESC = '\u001b';
const BEL = '\u0007';
/** Retitles the terminal (OSC 0), then clears the screen (CSI 2J). */
const HOSTILE_TITLE = `${ESC}]0;PWN${BEL}x${ESC}[2J`;
/** Entity-encoded OSC 52: writes "evil" to the clipboard once the entities are decoded. */
const HOSTILE_DESCRIPTION = '<p>Nights and weekends &#27;]52;c;ZXZpbA==&#7; on call</p><ul><li>BLS &amp; ACLS</li></ul>';

/** How many ESC (0x1b) and BEL (0x07) bytes a text holds. */
function controlBytes(text: string): number {
  return [...Buffer.from(text, 'utf8')].filter((byte) => byte === 0x1b || byte === 0x07).length;
}

const bytesOf = (result: CliResult) => controlBytes(result.stdout) + controlBytes(result.stderr);

const addJob = (fields: Record<string, unknown>) => addSandboxJob(t.sandbox, fields);

describe('remote data with control characters', () => {
  it('never reaches the terminal raw (jobs list/show, interview generate/list/show) nor Apriora; --json keeps it exact', async () => {
    const jobId = await addJob({ title: HOSTILE_TITLE, description: HOSTILE_DESCRIPTION, location: `Leeds${ESC}[8m` });
    expect(controlBytes(t.sandbox.tracker.job(jobId)!.title)).toBe(3);

    const list = await t.cli.run(['tracker', 'jobs', 'list']);
    const show = await t.cli.run(['tracker', 'jobs', 'show', String(jobId)]);
    const generate = await t.cli.run(['interview', 'generate', '--job', String(jobId)]);
    const interviews = await t.cli.run(['interview', 'list']);
    const interview = await t.cli.run(['interview', 'show', '--job', String(jobId)]);
    for (const result of [list, show, generate, interviews, interview]) expect(result.code, result.stderr).toBe(0);
    const counts = {
      list: bytesOf(list),
      show: bytesOf(show),
      generate: bytesOf(generate),
      interviewList: bytesOf(interviews),
      interviewShow: bytesOf(interview),
    };
    expect(counts).toEqual({ list: 0, show: 0, generate: 0, interviewList: 0, interviewShow: 0 });

    // shown, not acted on: the control characters are visible symbols
    expect(list.stdout).toContain('␛]0;PWN␇x␛[2J');
    expect(show.stdout).toMatch(/^Name\s+␛\]0;PWN␇x␛\[2J$/m);
    expect(show.stdout).toContain('Nights and weekends ]52;c;ZXZpbA== on call'); // the decoded entities are removed
    expect(generate.stdout).toContain('␛]0;PWN␇x␛[2J');

    // Apriora got clean text: title, description, notes, location
    const position = t.sandbox.apriora.positions.find((p) => p.externalId === String(jobId))!;
    expect(controlBytes(JSON.stringify(position))).toBe(0);
    expect(JSON.stringify(position)).not.toMatch(/\\u00(1b|07)/i);
    expect(position.title).toBe(']0;PWNx[2J');
    expect(position.description).toContain('Nights and weekends ]52;c;ZXZpbA== on call');
    expect(position.description).toContain('BLS & ACLS');

    // --json keeps the values exact (JSON escapes them)
    const json = await t.cli.run(['tracker', 'jobs', 'show', String(jobId), '--json']);
    expect(controlBytes(json.stdout)).toBe(0);
    expect(expectEnvelope(json, true).data.job.name).toContain(HOSTILE_TITLE);
    const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--json']);
    expect(expectEnvelope(generated, true).data.items[0]).toMatchObject({ jobId, title: HOSTILE_TITLE, status: 'exists' });
    const rows = await t.cli.run(['tracker', 'jobs', 'list', '--output', 'ndjson']);
    expect(controlBytes(rows.stdout)).toBe(0);
    expect(
      rows.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .find((row) => row.id === jobId).title,
    ).toBe(HOSTILE_TITLE);
  });

  it('a line break in a title does not forge a table row', async () => {
    const jobId = await addJob({ title: 'Forged title\n│ 999999 │ JOB-1 │ Fake row │' });
    const list = await t.cli.run(['tracker', 'jobs', 'list', '--search', 'Forged']);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout.split('\n').filter((line) => line.startsWith('│'));
    expect(rows).toHaveLength(2); // the header and the one job
    expect(rows[1]).toMatch(new RegExp(`^│ ${jobId}\\s+│[^│]*│ Forged title │ 999999 │ JOB-1 │ Fake row │`));
    expect(list.stdout).not.toMatch(/^│ 999999/m);

    const generate = await t.cli.run(['interview', 'generate', '--job', String(jobId)]);
    expect(generate.code, generate.stderr).toBe(0);
    expect(generate.stdout).not.toMatch(/^│ 999999/m);
    // Apriora gets one line
    expect(t.sandbox.apriora.positions.find((p) => p.externalId === String(jobId))!.title).toBe('Forged title │ 999999 │ JOB-1 │ Fake row │');
  });

  it('a very long title is cut with an ellipsis in a table fitted to the terminal, whole when piped and in --json', async () => {
    const title = `Registered Nurse ${'x'.repeat(300)}`;
    const jobId = await addJob({ title });
    const args = ['tracker', 'jobs', 'list', '--search', 'Registered Nurse xxx'];
    const fitted = await t.cli.run(args, { env: { COLUMNS: '100' } });
    expect(fitted.code, fitted.stderr).toBe(0);
    const row = fitted.stdout.split('\n').find((line) => line.startsWith(`│ ${jobId}`))!;
    expect(row).toContain('Registered Nurse xxx');
    expect(row).toContain('…');
    expect(row).not.toContain('x'.repeat(100));
    // Piped without COLUMNS (and with --wide), nothing is cut.
    for (const extra of [[], ['--wide']]) {
      const piped = await t.cli.run([...args, ...extra]);
      expect(piped.stdout.split('\n').find((line) => line.startsWith(`│ ${jobId}`))).toContain(title);
    }
    const json = await t.cli.run([...args, '--json']);
    expect(json.json().data.jobs.find((job: { id: number }) => job.id === jobId).title).toBe(title);
  });

  it('an error message that quotes remote text is printed safe, on one line, after Error:', async () => {
    // Apriora's 404 quotes the position id it was asked for
    const result = await t.cli.run(['interview', 'show', `pos_${ESC}]0;PWN${BEL}\nTry: rm -rf ~`]);
    expect(result.code).toBe(5);
    expect(controlBytes(result.stderr)).toBe(0);
    expect(result.stderr).toMatch(/^Error: .*pos_␛\]0;PWN␇ Try: rm -rf ~/m);
    expect(result.stderr).not.toMatch(/^Try: rm -rf/m);
  });
});
