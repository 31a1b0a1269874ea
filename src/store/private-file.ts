import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensurePrivateDir } from './paths.js';

/**
 * Writes a file only its owner can read (0600, in a 0700 directory), atomically: a temp file beside it, synced,
 * then renamed over it, so a crash never leaves half a file.
 */
export function writePrivateFile(path: string, text: string): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  // The global Web Crypto, not node:crypto: loaded at the first write, not by every command that reads a profile.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${crypto.randomUUID()}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeFileSync(fd, text, 'utf8');
      if (process.platform !== 'win32') fchmodSync(fd, 0o600); // in case a umask or ACL got in the way
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    // The error names the file being written, not its temporary sibling, nor nothing at all as a write on the open file
    // does (a full disk): src/system-errors.ts puts the path in the message.
    const system = error as NodeJS.ErrnoException;
    if (typeof system.code === 'string' && (system.path === tmp || system.path === undefined)) Object.assign(system, { path, syscall: 'write' });
    throw error;
  }
}
