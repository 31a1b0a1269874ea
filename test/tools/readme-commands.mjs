// Writes the README's command table from the command definitions (run by `npm run docs`, after a build).
// test/unit/readme-commands.test.ts fails when the README's table is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { commandTableMarkdown } from '../../dist/cli/main.js';

const readme = new URL('../../README.md', import.meta.url);
const text = readFileSync(readme, 'utf8');
const start = '<!-- commands:start -->';
const end = '<!-- commands:end -->';
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
const updated = `${text.slice(0, from + start.length)}\n${await commandTableMarkdown()}\n${text.slice(to)}`;
if (updated !== text) writeFileSync(readme, updated);
console.log(updated === text ? 'README.md: command table up to date' : 'README.md: command table written');
