import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { storageRoles } from '../../src/store/paths.js';
import { environmentFault, fileSystemFault, listenFault } from '../../src/system-errors.js';

/**
 * The one mapping of Node's system errors to exit 2 with the path and the fix. Root ignores permission bits, so the
 * permission, read-only and disk-full cases are Node's own error objects, built as Node builds them (code, syscall,
 * path); the not-a-directory cases are real. Real permission and read-only faults: test/e2e/environment.test.ts.
 */
function systemError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, errno: -1, syscall, path });
}

const tmp = mkdtempSync(join(tmpdir(), 'apriora-syserr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const configDir = join(tmp, 'config');
const dataDir = join(tmp, 'data');
const roles = storageRoles({ APRIORA_CONFIG_DIR: configDir, APRIORA_DATA_DIR: dataDir });

describe('fileSystemFault', () => {
  it('permission denied (EACCES, EPERM): names the file and its directory, and how to fix it or move it', () => {
    const file = join(configDir, 'config.json');
    const fault = fileSystemFault(systemError('EACCES', 'open', file), { roles });
    expect(fault).toBeInstanceOf(EnvironmentError);
    expect(fault?.exitCode).toBe(2);
    expect(fault?.code).toBe('permission_denied');
    expect(fault?.message).toBe(`Permission denied: cannot open ${file} (in the config dir)`);
    expect(fault?.hint).toBe(
      `Make ${configDir} yours and readable and writable by you (\`ls -ld ${configDir}\`, \`chmod 700 ${configDir}\`), or set APRIORA_CONFIG_DIR to a directory you own.`,
    );
    expect(fault?.details).toEqual({ path: file, errno: 'EACCES', syscall: 'open' });

    const lock = join(dataDir, 'default', 'webhooks.jsonl.lock');
    const eperm = fileSystemFault(systemError('EPERM', 'open', lock), { roles });
    expect(eperm?.message).toBe(`Permission denied: cannot open ${lock} (in the data dir)`);
    expect(eperm?.hint).toContain('or set APRIORA_DATA_DIR to a directory you own.');

    const mkdir = fileSystemFault(systemError('EACCES', 'mkdir', configDir), { roles });
    expect(mkdir?.message).toBe(`Permission denied: cannot create ${configDir} (the config dir)`);
  });

  it('a read-only file system (EROFS), a full disk (ENOSPC, EDQUOT)', () => {
    const file = join(configDir, '.config.json.123.tmp');
    const readOnly = fileSystemFault(systemError('EROFS', 'open', file), { roles });
    expect(readOnly).toMatchObject({ exitCode: 2, code: 'read_only_file_system' });
    expect(readOnly?.message).toBe(`Cannot open ${file} (in the config dir): it is on a read-only file system`);
    expect(readOnly?.hint).toBe('Remount it read-write, or set APRIORA_CONFIG_DIR to a writable directory.');

    const journal = join(dataDir, 'default', 'webhooks.jsonl');
    const full = fileSystemFault(systemError('ENOSPC', 'write', journal), { roles });
    expect(full).toMatchObject({ exitCode: 2, code: 'disk_full' });
    expect(full?.message).toBe(`Cannot write ${journal} (in the data dir): no space left on the device`);
    expect(full?.hint).toBe(`Free some space (\`df -h ${dataDir}\`), or set APRIORA_DATA_DIR to a directory on another disk.`);
    expect(fileSystemFault(systemError('EDQUOT', 'write', journal), { roles })?.message).toContain('disk quota exceeded');

    // A write on an open file carries no path: the caller names it.
    const pathless = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    expect(fileSystemFault(pathless)).toBeUndefined();
    expect(fileSystemFault(pathless, { roles, path: journal })?.message).toBe(`Cannot write ${journal} (in the data dir): no space left on the device`);
  });

  it('a file where a directory should be (ENOTDIR, EEXIST from mkdir): names that file (real errors)', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a directory');
    const roles = storageRoles({ APRIORA_CONFIG_DIR: join(file, 'apriora'), APRIORA_DATA_DIR: file });
    let notDir: unknown;
    try {
      mkdirSync(join(file, 'apriora'), { recursive: true });
    } catch (error) {
      notDir = error;
    }
    const fault = fileSystemFault(notDir, { roles });
    expect(fault).toMatchObject({ exitCode: 2, code: 'not_a_directory' });
    expect(fault?.message).toBe(`Cannot create ${join(file, 'apriora')} (the config dir): ${file} is a file, not a directory`);
    expect(fault?.hint).toBe(`Move ${file} out of the way, or set APRIORA_CONFIG_DIR to a directory.`);

    let exists: unknown;
    try {
      mkdirSync(file, { recursive: true });
    } catch (error) {
      exists = error;
    }
    const existsFault = fileSystemFault(exists, { roles });
    expect(existsFault).toMatchObject({ exitCode: 2, code: 'not_a_directory' });
    expect(existsFault?.message).toBe(`Cannot create the directory ${file} (the data dir): a file of that name is in the way`);
    expect(existsFault?.hint).toBe(`Move ${file} out of the way, or set APRIORA_DATA_DIR to a directory.`);

    // EEXIST is a fault only from mkdir: an exclusive create that finds its file is the caller's business.
    expect(fileSystemFault(systemError('EEXIST', 'open', file))).toBeUndefined();
  });

  it('without a role: the path, its directory, no variable', () => {
    const fault = fileSystemFault(systemError('EACCES', 'open', '/srv/jobs.txt'));
    expect(fault?.message).toBe('Permission denied: cannot open /srv/jobs.txt');
    expect(fault?.hint).toBe('Make /srv yours and readable and writable by you (`ls -ld /srv`, `chmod 700 /srv`).');
    expect(fileSystemFault(systemError('EISDIR', 'open', '/srv/config.json'))?.code).toBe('is_a_directory');
    expect(fileSystemFault(systemError('EACCES', 'open', "/srv/it's here/x"))?.hint).toContain(`'/srv/it'\\''s here'`);
  });

  it('anything else is not a fault of the machine', () => {
    expect(fileSystemFault(new Error('boom'))).toBeUndefined();
    expect(fileSystemFault(new TypeError('x is undefined'))).toBeUndefined();
    expect(fileSystemFault(systemError('ENOENT', 'open', '/x'))).toBeUndefined();
    expect(fileSystemFault('EACCES')).toBeUndefined();
  });
});

describe('listenFault', () => {
  const at = { host: '127.0.0.1', port: 8787 };

  it('a port in use, a privileged port, an address not of this machine, a host that does not resolve', () => {
    const inUse = listenFault(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen' }), at);
    expect(inUse).toMatchObject({ exitCode: 2, code: 'port_in_use', message: 'Port 8787 on 127.0.0.1 is already in use' });
    expect(inUse?.hint).toContain('--port');

    const privileged = listenFault(Object.assign(new Error('listen EACCES'), { code: 'EACCES', syscall: 'listen' }), { host: '0.0.0.0', port: 80 });
    expect(privileged).toMatchObject({ exitCode: 2, code: 'permission_denied', message: 'Not allowed to listen on 0.0.0.0:80' });

    const foreign = listenFault(Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL', syscall: 'listen' }), { host: '10.9.9.9', port: 1 });
    expect(foreign).toMatchObject({
      code: 'address_not_available',
      message: 'Cannot listen on 10.9.9.9: no network interface of this machine has that address',
    });

    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const unknown = listenFault(Object.assign(new Error(`getaddrinfo ${code} 999.1.1.1`), { code, syscall: 'getaddrinfo', hostname: '999.1.1.1' }), {
        host: '999.1.1.1',
        port: 8787,
      });
      expect(unknown).toMatchObject({ exitCode: 2, code: 'host_not_found' });
      expect(unknown?.message).toMatch(/^Cannot listen on 999\.1\.1\.1: /);
      expect(unknown?.hint).toContain('--host 127.0.0.1');
    }
    expect(listenFault(new Error('boom'), at)).toBeUndefined();
  });

  it('environmentFault reads host and port off a raw listen error, and leaves bugs alone', () => {
    const raw = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4010'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 4010,
    });
    expect(environmentFault(raw)?.message).toBe('Port 4010 on 127.0.0.1 is already in use');
    expect(environmentFault(systemError('EROFS', 'open', join(configDir, 'x')), roles)?.code).toBe('read_only_file_system');
    expect(environmentFault(new RangeError('Invalid array length'))).toBeUndefined();
    expect(environmentFault(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
  });
});
