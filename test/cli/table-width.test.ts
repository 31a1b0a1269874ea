import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/table-fit.js';
import { addSandboxJob, type CliResult, openJobIds, useSandbox } from '../support/cli.js';

/**
 * Tables fit the terminal: a long job title or company must not wrap a table line and break its box drawing. Off a
 * terminal without COLUMNS (a pipe, a file), nothing is cut.
 */

const t = useSandbox({ loggedIn: { restToken: true }, cliPer: 'file' });

const LONG_TITLE = 'Senior Registered Nurse — Intensive Care Unit, Night Shift (12h rotations, weekends) 看護師';
const LONG_LOCATION = 'Northwind Regional Health 🏥 Springfield Medical District, Building 7, Springfield, Illinois';

const addJob = (fields: Record<string, unknown>) => addSandboxJob(t.sandbox, fields);

/** The table lines of the output: those that start with box drawing. */
function tableLines(result: CliResult): string[] {
  return result.stdout.split('\n').filter((line) => /^[┌│└]/.test(line));
}

function expectFitted(result: CliResult, width: number): void {
  expect(result.code, result.stderr).toBe(0);
  const lines = tableLines(result);
  expect(lines.length).toBeGreaterThan(3);
  const widths = new Set(lines.map(displayWidth));
  expect(widths.size, lines.join('\n')).toBe(1);
  expect([...widths][0]).toBeLessThanOrEqual(width);
  for (const line of result.stdout.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
  expect(lines[0]).toMatch(/^┌─+(┬─+)*┐$/);
  expect(lines.at(-1)).toMatch(/^└─+(┴─+)*┘$/);
}

describe('tables fit the terminal', () => {
  it('COLUMNS=80: tracker jobs list and interview list keep every line within 80 columns, box drawing intact', async () => {
    const jobId = await addJob({ title: LONG_TITLE, location: LONG_LOCATION });
    expect((await t.cli.run(['interview', 'generate', '--job', String(jobId)])).code).toBe(0);

    const jobs = await t.cli.run(['tracker', 'jobs', 'list', '--search', 'Intensive Care'], { env: { COLUMNS: '80' } });
    expectFitted(jobs, 80);
    expect(jobs.stdout).toContain(`│ ${jobId} `);
    expect(jobs.stdout).toContain('…');
    expect(jobs.stdout).not.toContain(LONG_TITLE);
    expect(jobs.stdout).not.toContain(LONG_LOCATION);

    const interviews = await t.cli.run(['interview', 'list', '--job', String(jobId)], { env: { COLUMNS: '80' } });
    expectFitted(interviews, 80);
    expect(interviews.stdout).toContain(`│ ${jobId} `);
  });

  it('a terminal of unknown width is taken as 80 columns; its own width wins over COLUMNS', async () => {
    const jobId = await addJob({ title: LONG_TITLE, location: LONG_LOCATION });
    const running = t.cli.start(['tracker', 'jobs', 'list', '--search', 'Intensive Care'], { tty: { stdout: true } });
    running.stdin.end();
    running.stdout.columns = 0;
    expectFitted(await running.done, 80);

    const wide = t.cli.start(['tracker', 'jobs', 'list', '--search', 'Intensive Care'], { tty: { stdout: true }, env: { COLUMNS: '60' } });
    wide.stdin.end();
    wide.stdout.columns = 100;
    const result = await wide.done;
    expectFitted(result, 100);
    expect(Math.max(...tableLines(result).map(displayWidth))).toBeGreaterThan(60);
    expect(result.stdout).toContain(`│ ${jobId} `);
  });

  it('--wide and piped output without COLUMNS show every cell in full, however long', async () => {
    const jobId = await addJob({ title: `${LONG_TITLE} ${LONG_TITLE}`, location: LONG_LOCATION });
    expect(`${LONG_TITLE} ${LONG_TITLE}`.length).toBeGreaterThan(120);
    const piped = await t.cli.run(['tracker', 'jobs', 'list', '--search', 'Intensive Care']);
    const wide = await t.cli.run(['tracker', 'jobs', 'list', '--search', 'Intensive Care', '--wide'], { env: { COLUMNS: '80' } });
    for (const result of [piped, wide]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`│ ${jobId} `);
      for (const text of [`${LONG_TITLE} ${LONG_TITLE}`, LONG_LOCATION]) expect(result.stdout).toContain(text);
      expect(result.stdout).not.toContain('…');
      expect(result.stdout).not.toContain('hidden');
      expect(new Set(tableLines(result).map(displayWidth)).size).toBe(1);
      expect(Math.max(...tableLines(result).map(displayWidth))).toBeGreaterThan(200);
    }
    expect(wide.stdout).toBe(piped.stdout);
  });

  it('values a user copies are never cut: the interview URL, e-mails and phone numbers are whole or their column is dropped', async () => {
    const jobId = await addJob({ title: LONG_TITLE, location: LONG_LOCATION });
    const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId)], { env: { COLUMNS: '80' } });
    expectFitted(generated, 80);
    const position = t.sandbox.apriora.positions.find((p) => p.externalId === String(jobId))!;
    expect(generated.stdout).toContain(` ${position.interviewUrl} `);
    expect(generated.stdout).toMatch(/columns? hidden \(.*Position\): use --wide\n/);

    const listed = await t.cli.run(['interview', 'list', '--job', String(jobId)], { env: { COLUMNS: '70' } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(` ${position.interviewUrl} `);

    const applicants = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(openJobIds(t.sandbox)[0])], { env: { COLUMNS: '70' } });
    expectFitted(applicants, 70);
    const emails = tableLines(applicants)
      .slice(2, -1)
      .flatMap((line) => line.split('│').filter((cell) => cell.includes('@')))
      .map((cell) => cell.trim());
    expect(emails.length).toBeGreaterThan(3);
    for (const email of emails) expect(email).toMatch(/^[^…\s]+@[^…\s]+$/);

    const candidate = t.sandbox.tracker.candidates[2]!;
    Object.assign(candidate, { cellphone: '(617) 555-0110', workphone: '', homephone: '' });
    const invited = await t.cli.run(['interview', 'invite', '--job', String(jobId), '--candidate', String(candidate.id), '--dry-run'], {
      env: { COLUMNS: '70' },
    });
    expectFitted(invited, 70);
    expect(invited.stdout).toContain(' +16175550110 ');
    // The Status column (what happened) is the last to go.
    expect(invited.stdout).toContain(' Status ');
    expect(invited.stdout).toContain(` ${candidate.id} `);
    // The Invitation column is empty in a dry run: dropped first, and not named.
    expect(invited.stdout).not.toContain('Invitation');
  });

  it('a dry run drops its empty columns (Position, Interview URL) before any column with content', async () => {
    const jobId = await addJob({ title: 'Pharmacist, Community Hospital' });
    const dryRun = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--dry-run'], { env: { COLUMNS: '60' } });
    expectFitted(dryRun, 60);
    const header = tableLines(dryRun)[1]!;
    expect(dryRun.stdout).toContain('│ Pharmacist, Community Hospital │ would be created │');
    expect(header).toContain('Status');
    expect(header).not.toContain('Position');
    expect(header).not.toContain('Interview');
    expect(dryRun.stdout).not.toContain('hidden');
  });
});
