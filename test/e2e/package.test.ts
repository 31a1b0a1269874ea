import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What `npm pack` puts in the tarball (the files of the build `npm test` just made; `prepack` builds it for real). */
const ROOT = join(__dirname, '..', '..');

describe('the package', () => {
  it('builds before it is packed, and ships the launcher, the build and the help pages, without source maps or the demo', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.bin).toEqual({ apriora: 'bin/apriora.js' });
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as {
      files: { path: string }[];
    }[];
    const paths = packed!.files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['bin/apriora.js', 'dist/cli/main.js', 'dist/cli/help-pages.json', 'package.json', 'README.md']));
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    // The demo drives the CLI of a clone (`npm run demo`): it is no part of the installed tool.
    expect(paths.filter((path) => path.startsWith('dist/demo/'))).toEqual([]);
    expect(paths.filter((path) => !/^(bin|dist)\/|^(package\.json|README\.md|CHANGELOG\.md)$/.test(path))).toEqual([]);
  });
});
