import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReference } from '../../src/cli/main.js';

const exists = (path: string) => existsSync(new URL(`../../${path}`, import.meta.url));

describe('every command', () => {
  it('is one file, src/commands/<noun>/<verb>.ts, with an in-process test beside the others, test/cli/<noun>/<verb>.test.ts', async () => {
    const paths = (await commandReference()).map((row) => row.path.replaceAll(' ', '/'));
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((path) => !exists(`src/commands/${path}.ts`))).toEqual([]);
    expect(paths.filter((path) => !exists(`test/cli/${path}.test.ts`))).toEqual([]);
  });
});
