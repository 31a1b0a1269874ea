/** Drives the test Secret Service (gnome-keyring) over D-Bus: find, lock and unlock its default collection. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { KEYCHAIN_SERVICE } from '../../src/store/keychain.js';

const SVC = ['--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets'];

export function gdbus(args: string[]): string {
  return execFileSync('gdbus', ['call', ...args], { encoding: 'utf8', timeout: 10_000 }).trim();
}

/** Object path of the collection behind the `default` alias (the `login` one created by `--unlock`). */
export function defaultCollection(): string {
  const out = gdbus([...SVC, '--method', 'org.freedesktop.Secret.Service.ReadAlias', 'default']);
  const path = /objectpath '([^']+)'/.exec(out)?.[1];
  if (!path || path === '/') throw new Error(`no default collection: ${out}`);
  return path;
}

export function isLocked(collection: string): boolean {
  const out = gdbus([
    '--session',
    '--dest',
    'org.freedesktop.secrets',
    '--object-path',
    collection,
    '--method',
    'org.freedesktop.DBus.Properties.Get',
    'org.freedesktop.Secret.Collection',
    'Locked',
  ]);
  return out.includes('true');
}

export function lock(collection: string): void {
  // gnome-keyring locks without a prompt: answers ([locked paths], objectpath '/')
  gdbus([...SVC, '--method', 'org.freedesktop.Secret.Service.Lock', `[objectpath '${collection}']`]);
}

/**
 * Unlocking needs the password; the public API would show a prompt (impossible without a display), so use
 * gnome-keyring's own UnlockWithMasterPassword. It needs a Secret Service session on the same connection, which
 * gdbus cannot keep across calls, hence python3-dbus.
 */
export function unlock(collection: string, secret: string): void {
  const script = `
import os, dbus
bus = dbus.SessionBus()
svc = bus.get_object('org.freedesktop.secrets', '/org/freedesktop/secrets')
_, session = dbus.Interface(svc, 'org.freedesktop.Secret.Service').OpenSession('plain', dbus.String('', variant_level=1))
dbus.Interface(svc, 'org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface').UnlockWithMasterPassword(
    os.environ['COLLECTION'],
    (session, dbus.ByteArray(b''), dbus.ByteArray(os.environ['KEYRING_PASSWORD'].encode()), 'text/plain'))
`;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  execFileSync(python, ['-c', script], {
    env: { ...process.env, COLLECTION: collection, KEYRING_PASSWORD: secret },
    timeout: 10_000,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** [unlocked, locked] item paths stored under our service and `account`. */
export function searchItems(account: string): [string[], string[]] {
  const out = gdbus([...SVC, '--method', 'org.freedesktop.Secret.Service.SearchItems', `{'service': '${KEYCHAIN_SERVICE}', 'username': '${account}'}`]);
  const [unlocked = '', locked = ''] = out.split(/\]\s*,\s*(?:@ao\s*)?\[/);
  const paths = (s: string) => [...s.matchAll(/'(\/[^']+)'/g)].map((m) => m[1] as string);
  return [paths(unlocked), paths(locked)];
}

export function secretServicePid(): number {
  const out = gdbus([
    '--session',
    '--dest',
    'org.freedesktop.DBus',
    '--object-path',
    '/org/freedesktop/DBus',
    '--method',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'org.freedesktop.secrets',
  ]);
  return Number(/uint32 (\d+)/.exec(out)?.[1]);
}
