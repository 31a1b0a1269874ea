import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openJobsFile } from '../../src/cli/jobs-input.js';
import { ensurePrivateDir } from '../../src/store/paths.js';
import { fileSystemFault } from '../../src/system-errors.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'apriora-paths-'));

describe('paths a hostile environment hands the CLI', () => {
  it('a data dir behind a dangling link is an environment fault (exit 2), not an internal error', () => {
    const dir = scratch();
    symlinkSync('/nonexistent/apriora', join(dir, 'data'));
    const error = (() => {
      try {
        ensurePrivateDir(join(dir, 'data', 'default', 'locks'));
      } catch (caught) {
        return caught;
      }
    })();
    expect(fileSystemFault(error)?.exitCode).toBe(2);
  });

  it.skipIf(process.platform !== 'linux')("a data dir under /proc fails at once (Node's recursive mkdir would loop there)", () => {
    const started = Date.now();
    const error = (() => {
      try {
        ensurePrivateDir('/proc/1/apriora-test/default');
      } catch (caught) {
        return caught;
      }
    })();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fileSystemFault(error)).toMatchObject({ exitCode: 2, code: 'cannot_create_directory' });
  });

  it('a jobs file that is a FIFO or a directory is refused before it is read (a FIFO with no writer would block)', async () => {
    const dir = scratch();
    const fifo = join(dir, 'jobs.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(openJobsFile(fifo, new PassThrough())).rejects.toMatchObject({ exitCode: 2, message: `The jobs file ${fifo} is not a regular file` });
    await expect(openJobsFile(dir, new PassThrough())).rejects.toMatchObject({ exitCode: 2, message: `The jobs file ${dir} is a directory` });
  });
});
