import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorsFor, HumanOutput, hiddenNote, tableWidth } from '../../src/cli/output.js';
import { cutToWidth, displayWidth, fitTable } from '../../src/cli/table-fit.js';

const ESC = '\u001b';

class Collect extends Writable {
  isTTY = false;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

/** Display width of each line of a table (colour codes removed). */
function lineWidths(text: string): number[] {
  return text
    .trimEnd()
    .split('\n')
    .filter((line) => /^[┌│└├]/.test(line.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')))
    .map(displayWidth);
}

describe('display width', () => {
  it('counts CJK characters and emoji as two columns and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('看護師')).toBe(6);
    expect(displayWidth('👩‍⚕️ nurse')).toBe(8);
    expect(displayWidth(`${ESC}[1mbold${ESC}[22m`)).toBe(4);
  });

  it('cuts to a width with an ellipsis, never halving a wide character, keeping every colour code', () => {
    expect(cutToWidth('Registered Nurse', 8)).toBe('Registe…');
    expect(cutToWidth('short', 8)).toBe('short');
    expect(cutToWidth('看護師の求人', 6)).toBe('看護…');
    expect(displayWidth(cutToWidth('看護師の求人', 6))).toBeLessThanOrEqual(6);
    expect(cutToWidth('👩‍⚕️👩‍⚕️👩‍⚕️', 4)).toBe('👩‍⚕️…');
    expect(cutToWidth(`${ESC}[31mfailed: timeout${ESC}[39m after`, 7)).toBe(`${ESC}[31mfailed…${ESC}[39m`);
  });
});

describe('fitTable', () => {
  const columns = [
    { header: 'Id', priority: 5, minWidth: 12 },
    { header: 'Title', priority: 4 },
    { header: 'Company', priority: 2 },
    { header: 'Location', priority: 0 },
    { header: 'Notes', priority: 0 },
  ];
  const rows = [['100234', 'Senior Registered Nurse, Intensive Care Unit (nights)', 'Northwind Health Partners', 'Springfield, Illinois', 'x'.repeat(40)]];

  it('keeps a table that fits as it is', () => {
    const fitted = fitTable(columns, rows, 500);
    expect(fitted.rows).toEqual(rows);
    expect(fitted.hidden).toEqual([]);
  });

  it('drops the columns of the lowest priority first, the rightmost of a tie first, then cuts the widest', () => {
    const fitted = fitTable(columns, rows, 40);
    expect(fitted.hidden).toEqual(['Location', 'Notes']);
    expect(fitted.header).toEqual(['Id', 'Title', 'Company']);
    const [id, title, company] = fitted.rows[0]!;
    expect(id).toBe('100234');
    expect(title?.endsWith('…')).toBe(true);
    expect(company?.endsWith('…')).toBe(true);
    // borders and padding: 3 per column + 1
    expect(displayWidth(id!) + displayWidth(title!) + displayWidth(company!) + 3 * 3 + 1).toBe(40);

    const tie = fitTable(columns, rows, 50);
    expect(tie.hidden).toEqual(['Notes']);
  });

  it('never cuts a column below its minimum while a column can still be dropped', () => {
    const fitted = fitTable(columns, rows, 24);
    expect(fitted.header).toEqual(['Id', 'Title']);
    expect(fitted.rows[0]![0]).toBe('100234');
    expect(displayWidth(fitted.rows[0]![1]!)).toBe(24 - 7 - 6);
  });

  it('cuts the last column left to whatever room there is', () => {
    const fitted = fitTable([{ header: 'Title' }], [['A very long title indeed']], 12);
    expect(fitted.rows[0]![0]).toBe('A very…');
  });

  const url = 'https://app.apriora.ai/interview/7f3c9a2e-1b4d-4c8e-9f0a-2d6b8e1c5a47';
  const copied = [
    { header: 'Job', priority: 5, cut: false },
    { header: 'Title', priority: 2, minWidth: 20 },
    { header: 'E-mail', priority: 1, cut: false },
    { header: 'Interview URL', priority: 4, cut: false },
  ];
  const copiedRows = [['100234', 'Senior Registered Nurse, Intensive Care Unit', 'olivia.bennett@northwind-health.example', url]];

  it('never cuts a column not to be cut: it is shown whole or dropped, and the others go first', () => {
    const fitted = fitTable(copied, copiedRows, 110);
    expect(fitted.header).toEqual(['Job', 'Title', 'Interview URL']);
    expect(fitted.hidden).toEqual(['E-mail']);
    expect(fitted.rows[0]![0]).toBe('100234');
    expect(fitted.rows[0]![2]).toBe(url);
    expect(fitted.rows[0]![1]!.endsWith('…')).toBe(true);
    expect(fitted.rows[0]!.reduce((total, cell) => total + displayWidth(cell), 0) + 3 * 3 + 1).toBeLessThanOrEqual(110);

    const narrow = fitTable(copied, copiedRows, 90);
    expect(narrow.header).toEqual(['Job', 'Interview URL']);
    expect(narrow.rows[0]).toEqual(['100234', url]);
    expect(narrow.hidden).toEqual(['Title', 'E-mail']);
  });

  it('keeps the last column left whole when it is not to be cut, even wider than the terminal', () => {
    const fitted = fitTable(copied, copiedRows, 40);
    expect(fitted.header).toEqual(['Job']);
    const alone = fitTable([{ header: 'Interview URL', cut: false }], [[url]], 40);
    expect(alone.rows[0]![0]).toBe(url);
  });

  it('drops the columns with no value in any row before any column with content, whatever their priority, unnamed', () => {
    const columnsWithEmpty = [
      { header: 'Job', priority: 5, cut: false },
      { header: 'Title', priority: 1, minWidth: 20 },
      { header: 'Position', priority: 9, cut: false },
      { header: 'Interview URL', priority: 9, cut: false },
      { header: 'Status', priority: 4, minWidth: 16 },
    ];
    const dryRun = [
      ['100234', 'Senior Registered Nurse, Intensive Care Unit', '', '', 'would be created'],
      ['100235', 'Pharmacist', '', '', 'would be created'],
    ];
    const fitted = fitTable(columnsWithEmpty, dryRun, 60);
    expect(fitted.header).toEqual(['Job', 'Title', 'Status']);
    expect(fitted.hidden).toEqual([]);
    expect(fitted.rows[1]).toEqual(['100235', 'Pharmacist', 'would be created']);
    // A table that fits keeps its empty columns.
    expect(fitTable(columnsWithEmpty, dryRun, 500).header).toHaveLength(5);
  });
});

describe('HumanOutput tables', () => {
  const cjkRows = [
    { id: 1, title: '看護師（夜勤）ICU 病棟 — 正看護師 募集中です', company: 'Ørsted Søster Sygehus 🏥 Nord', status: 'Open' },
    { id: 22, title: 'Nurse', company: 'Acme', status: 'Closed' },
  ];
  const table = [
    { header: 'Id', priority: 5, minWidth: 12, value: (row: (typeof cjkRows)[number]) => row.id },
    { header: 'Title', priority: 4, value: (row: (typeof cjkRows)[number]) => row.title },
    { header: 'Company', priority: 2, value: (row: (typeof cjkRows)[number]) => row.company },
    { header: 'Status', priority: 3, value: (row: (typeof cjkRows)[number]) => row.status },
  ];

  it('fit the width: every line as wide as the others, none wider, coloured or not, with a footnote for hidden columns', async () => {
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const stream = new Collect();
      const out = new HumanOutput(stream, colorsFor(stream, env, true), 34);
      await out.table(table, cjkRows);
      const widths = lineWidths(stream.text);
      expect(widths.length).toBe(5);
      expect(new Set(widths).size).toBe(1);
      expect(widths[0]).toBeLessThanOrEqual(34);
      expect(stream.text).toContain('…');
      expect(stream.text).toContain('1 column hidden: use --wide');
    }
  });

  it('the footnote naming hidden columns fits the width too: shortened when narrow', async () => {
    for (const [width, note] of [
      [34, '1 column hidden: use --wide'],
      [22, '2 hidden: use --wide'],
      [16, '3 hidden: --wide'],
    ] as const) {
      const stream = new Collect();
      await new HumanOutput(stream, colorsFor(stream, {}, true), width).table(table, cjkRows);
      const lines = stream.text.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(note);
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
    expect(hiddenNote(['Title', 'Company'], 45)).toBe('2 columns hidden (Title, Company): use --wide');
    expect(hiddenNote(['Title', 'Company'], 44)).toBe('2 columns hidden: use --wide');
    expect(hiddenNote(['Title', 'Company'], 27)).toBe('2 hidden: use --wide');
  });

  it('without a width, print everything in full, however long', async () => {
    const long = { id: 3, title: 'Registered Nurse '.repeat(12).trim(), company: 'Acme', status: 'Open' };
    expect(long.title.length).toBeGreaterThan(120);
    const full = new Collect();
    await new HumanOutput(full, colorsFor(full, {}, true)).table(table, [long]);
    expect(full.text).toContain(long.title);
    expect(full.text).not.toContain('…');
  });

  it('without a width, print everything in full', async () => {
    const stream = new Collect();
    await new HumanOutput(stream, colorsFor(stream, {}, true)).table(table, cjkRows);
    expect(stream.text).toContain(cjkRows[0]!.title);
    expect(stream.text).toContain(cjkRows[0]!.company);
    expect(stream.text).not.toContain('hidden');
  });
});

describe('tableWidth', () => {
  it('is the terminal width, else COLUMNS, else 80; off a terminal only COLUMNS; never with --wide', () => {
    expect(tableWidth({ isTTY: true, columns: 132 }, { COLUMNS: '90' }, false)).toBe(132);
    expect(tableWidth({ isTTY: true }, { COLUMNS: '90' }, false)).toBe(90);
    expect(tableWidth({ isTTY: true }, {}, false)).toBe(80);
    expect(tableWidth({ isTTY: false }, {}, false)).toBeUndefined();
    expect(tableWidth({ isTTY: false }, { COLUMNS: '70' }, false)).toBe(70);
    expect(tableWidth({ isTTY: false }, { COLUMNS: 'wide' }, false)).toBeUndefined();
    expect(tableWidth({ isTTY: true, columns: 100 }, { COLUMNS: '70' }, true)).toBeUndefined();
  });
});
