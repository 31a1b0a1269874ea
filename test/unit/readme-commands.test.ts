import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReference, commandTableMarkdown } from '../../src/cli/main.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const between = (text: string) =>
  text.slice(text.indexOf('<!-- commands:start -->') + '<!-- commands:start -->'.length, text.indexOf('<!-- commands:end -->')).trim();

describe("the README's command table", () => {
  it('is the one generated from the command definitions (run `npm run docs` after changing a command)', async () => {
    expect(between(readme)).toBe(await commandTableMarkdown());
  });

  it('lists every runnable command once, with the description its --help shows', async () => {
    const rows = await commandReference();
    const paths = rows.map((row) => row.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const expected of [
      'login',
      'status',
      'help',
      'tracker login',
      'tracker fields map',
      'tracker jobs show',
      'interview generate',
      'activity listen',
      'sandbox start',
    ]) {
      expect(paths).toContain(expected);
    }
    const generate = rows.find((row) => row.path === 'interview generate');
    expect(generate?.description).toBe((await import('../../src/commands/interview/generate.js')).default.command().description());
  });
});
