import { statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { EnvironmentError } from './errors.js';

/**
 * Node's system errors (a file or directory that cannot be used, a full disk, a port or address that cannot be
 * listened on) turned into an EnvironmentError (exit 2) that names the path or the host and says how to fix it.
 * src/cli/run.ts applies it to whatever reaches it unmapped, so a fault of the machine never shows as an internal
 * error; servers apply `listenFault` themselves.
 */

/** A directory the CLI keeps files in: named in messages, with the variable that moves it elsewhere. */
export interface PathRole {
  dir: string;
  /** "the config dir" */
  what: string;
  /** APRIORA_CONFIG_DIR */
  env: string;
}

interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

function asSystemError(error: unknown): SystemError | undefined {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' ? (error as SystemError) : undefined;
}

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  chmod: 'change the mode of',
  fchmod: 'change the mode of',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  opendir: 'list',
  access: 'access',
  fsync: 'write',
  copyfile: 'copy',
};

/** A path as a shell argument: quoted only when it needs to be. */
export function shellArg(path: string): string {
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The first part of `path` that exists and is not a directory (for ENOTDIR), or undefined. */
function fileInTheWay(path: string): string | undefined {
  const parts = path.split(sep);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(sep) || sep;
    try {
      if (!statSync(prefix).isDirectory()) return prefix;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The innermost directory `path` is (or is in); else one `path` is a parent of (creating it failed there). */
function roleOf(path: string, roles: readonly PathRole[]): PathRole | undefined {
  const containing = roles.filter((role) => path === role.dir || path.startsWith(role.dir + sep)).sort((a, b) => b.dir.length - a.dir.length);
  return containing[0] ?? roles.find((role) => role.dir.startsWith(path + sep));
}

/**
 * A file-system error on a path, as an EnvironmentError naming the path (and which directory of the CLI it is in)
 * with the fix; undefined for anything else. `path` stands in for errors that carry none (a write on an open file).
 */
export function fileSystemFault(error: unknown, options: { roles?: readonly PathRole[]; path?: string } = {}): EnvironmentError | undefined {
  const system = asSystemError(error);
  const path = system?.path ?? options.path;
  if (!system || path === undefined) return undefined;
  const role = roleOf(path, options.roles ?? []);
  const inside = role !== undefined && (path === role.dir || path.startsWith(role.dir + sep));
  const where = !role ? '' : path === role.dir ? ` (${role.what})` : inside ? ` (in ${role.what})` : ` (needed for ${role.what}, ${role.dir})`;
  const dir = inside ? role.dir : dirname(path);
  const elsewhere = (kind: string) => (role ? `, or set ${role.env} to ${kind}` : '');
  const details = { path, errno: system.code, syscall: system.syscall ?? null };
  const fault = (code: string, message: string, hint: string) => new EnvironmentError(message, { code, hint, details, cause: error });
  const verb = VERBS[system.syscall ?? ''] ?? 'use';
  switch (system.code) {
    case 'EACCES':
    case 'EPERM':
      return fault(
        'permission_denied',
        `Permission denied: cannot ${verb} ${path}${where}`,
        `Make ${dir} yours and readable and writable by you (\`ls -ld ${shellArg(dir)}\`, \`chmod 700 ${shellArg(dir)}\`)${elsewhere('a directory you own')}.`,
      );
    case 'EROFS':
      return fault(
        'read_only_file_system',
        `Cannot ${verb} ${path}${where}: it is on a read-only file system`,
        `Remount it read-write${elsewhere('a writable directory')}.`,
      );
    case 'ENOTDIR': {
      const file = fileInTheWay(path);
      if (role && file === role.dir) {
        const what = role.what.replace(/^the /, 'The ');
        return fault('not_a_directory', `${what} ${file} is a file, not a directory`, `Move ${file} out of the way${elsewhere('a directory')}.`);
      }
      return fault(
        'not_a_directory',
        `Cannot ${verb} ${path}${where}: ${file ? `${file} is a file, not a directory` : 'a part of that path is not a directory'}`,
        `Move ${file ?? 'that file'} out of the way${elsewhere('a directory')}.`,
      );
    }
    case 'EEXIST':
      if (system.syscall !== 'mkdir') return undefined;
      return fault(
        'not_a_directory',
        `Cannot create the directory ${path}${where}: a file of that name is in the way`,
        `Move ${path} out of the way${elsewhere('a directory')}.`,
      );
    case 'ENOENT':
      // A directory that cannot be made where its parent should be: a dangling link, or a place (/proc, /sys) that
      // takes no new directories. A file that is simply missing is not an environment fault.
      if (system.syscall !== 'mkdir') return undefined;
      return fault(
        'cannot_create_directory',
        `Cannot create the directory ${path}${where}: its parent does not exist or takes no new directories (a broken link?)`,
        `Check ${shellArg(dirname(path))} (\`ls -ld ${shellArg(dirname(path))}\`)${elsewhere('a directory you own')}.`,
      );
    case 'EISDIR':
      return fault('is_a_directory', `Cannot ${verb} ${path}${where}: it is a directory, not a file`, `Move the directory ${path} out of the way.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return fault(
        'disk_full',
        `Cannot write ${path}${where}: ${system.code === 'ENOSPC' ? 'no space left on the device' : 'disk quota exceeded'}`,
        `Free some space (\`df -h ${shellArg(dir)}\`)${elsewhere('a directory on another disk')}.`,
      );
    case 'EMFILE':
    case 'ENFILE':
      return fault('too_many_open_files', `Cannot open ${path}: too many open files`, 'Raise the limit of open files (`ulimit -n`) or lower --concurrency.');
    case 'EIO':
      return fault('io_error', `Cannot ${verb} ${path}${where}: input/output error`, `The disk or file system of ${dir} failed: check it (\`dmesg\`).`);
    default:
      return undefined;
  }
}

const ANY_ADDRESS = 'Use --host 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or an address `ip addr` lists.';

/** Why a server could not listen on `host:port`, as an EnvironmentError naming both; undefined for anything else. */
export function listenFault(error: unknown, { host, port }: { host: string; port: number }): EnvironmentError | undefined {
  const system = asSystemError(error);
  if (!system) return undefined;
  const details = { host, port, errno: system.code };
  const fault = (code: string, message: string, hint: string) => new EnvironmentError(message, { code, hint, details, cause: error });
  switch (system.code) {
    case 'EADDRINUSE':
      return fault(
        'port_in_use',
        `Port ${port} on ${host} is already in use`,
        'Stop what listens there, or pick another port with --port N (0 picks a free one).',
      );
    case 'EACCES':
    case 'EPERM':
      return fault('permission_denied', `Not allowed to listen on ${host}:${port}`, 'Ports below 1024 need privileges: use a --port above 1023.');
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return fault('address_not_available', `Cannot listen on ${host}: no network interface of this machine has that address`, ANY_ADDRESS);
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return fault('host_not_found', `Cannot listen on ${host}: no such host or address`, ANY_ADDRESS);
    case 'EAI_AGAIN':
      return fault('host_not_found', `Cannot listen on ${host}: the name could not be resolved (DNS did not answer)`, ANY_ADDRESS);
    case 'ERR_SOCKET_BAD_PORT':
      return fault(
        'invalid_port',
        `Cannot listen on port ${port}: a port is a whole number from 0 to 65535`,
        'Pick a --port from 1 to 65535 (0 picks a free one).',
      );
    default:
      return undefined;
  }
}

/**
 * Any fault of the machine: a file-system error on a path, or a listen/resolve error of a server (which carries its
 * address and port). Undefined for anything else: that stays an internal error.
 */
export function environmentFault(error: unknown, roles: readonly PathRole[] = []): EnvironmentError | undefined {
  const system = asSystemError(error);
  if (!system) return undefined;
  if (system.syscall === 'listen' || system.syscall === 'getaddrinfo' || system.code === 'ERR_SOCKET_BAD_PORT') {
    return listenFault(error, { host: system.address ?? system.hostname ?? 'that host', port: system.port ?? 0 });
  }
  return fileSystemFault(error, { roles });
}
