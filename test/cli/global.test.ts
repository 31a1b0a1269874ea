import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectEnvelope, expectNoSecrets, sandboxSecrets, trackerLogin, useSandbox } from '../support/cli.js';

/** What every command shares: global flags, usage errors, --debug, colour, --version and --help. */

const t = useSandbox();

/** An SGR escape sequence (ESC [ n m): text in colour. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);

describe('global behaviour', () => {
  it('--version prints the package version; --help lists the commands and the help topics', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await t.cli.run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });

    const help = await t.cli.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: apriora \[options\] \[command\]/);
    for (const command of ['login', 'logout', 'status', 'doctor', 'onboard', 'smoke', 'tracker', 'interview', 'activity', 'sandbox', 'completion', 'help']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(help.stdout).toMatch(/^Help topics \(apriora help <topic>\):$/m);
    expect(help.stdout).toMatch(/^ {2}exit-codes {4}The exit codes and what each one means$/m);
    // no command at all: the same help, on stderr
    const bare = await t.cli.run([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toBe(help.stdout);
  });

  it('usage errors exit 2: on stderr with a "Try" line, in the JSON envelope with --json', async () => {
    const human = await t.cli.run(['tracker', 'jobs', 'list', '--bogus']);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^Error: unknown option '--bogus'/m);
    expect(human.stderr).toMatch(/^Try: apriora tracker jobs list --help/m);
    const json = await t.cli.run(['tracker', 'jobs', 'list', '--limit', 'x', '--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error).toEqual({
      code: 'usage_error',
      message: "option '--limit <n>' argument 'x' is invalid. must be a positive whole number.",
      hint: 'Run with --help for usage.',
      details: null,
    });
    expect((await t.cli.run(['tracker', 'jobs', 'list', '--output', 'xml'])).code).toBe(2);
    const unknown = await t.cli.run(['trakcer', 'status']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: unknown command 'trakcer'/m);
    expect(unknown.stderr).toMatch(/\(Did you mean tracker\?\)/);
    // With --help too: an error, not the parent's help with exit 0.
    const helpOfUnknown = await t.cli.run(['tracker', 'jbos', '--help']);
    expect(helpOfUnknown.code).toBe(2);
    expect(helpOfUnknown.stdout).toBe('');
    expect(helpOfUnknown.stderr).toMatch(/^Error: unknown command 'jbos'\nTry: apriora tracker --help \(commands: login, .*jobs.*\)$/m);
    expect((await t.cli.run(['automations', 'run', '--help'])).code).toBe(0);
  });

  it('--output must be table, json or ndjson, and agree with --json', async () => {
    const xml = await t.cli.run(['tracker', 'support-request', 'credentials', '--output', 'xml']);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toBe('Error: --output must be table, json or ndjson, not "xml"\n');
    const conflict = await t.cli.run(['tracker', 'support-request', 'credentials', '--json', '--output', 'ndjson']);
    expect(conflict.code).toBe(2);
    expect(expectEnvelope(conflict, false).error.message).toBe('--json conflicts with --output ndjson');
    const asJson = await t.cli.run(['tracker', 'support-request', 'credentials', '-o', 'json']);
    expect(asJson.code).toBe(0);
    expect(expectEnvelope(asJson, true).data.kind).toBe('credentials');
  });

  it('--debug traces every request but never a secret value, on success or failure', async () => {
    const good = await trackerLogin(t.cli, t.sandbox, ['--debug']);
    const status = await t.cli.run(['tracker', 'status', '--debug']);
    const fields = await t.cli.run(['--debug', 'tracker', 'fields', 'list', '--json']);
    const bad = await trackerLogin(t.cli, t.sandbox, ['--debug'], `${t.sandbox.credentials.apiKey}\nnot-the-password\n`);
    expect([good.code, status.code, fields.code, bad.code]).toEqual([0, 0, 0, 4]);
    expect(status.stderr).toMatch(/\[debug\] -> POST .*\/api\/widget\/checkLogon/);
    expect(status.stderr).toMatch(/"authorization":"\*\*\*"/);
    expect(fields.stderr).toMatch(/\[debug\] -> POST .*\/api\/widget\/getSettingsData/);
    // the trace goes to stderr: stdout is still exactly one JSON document
    expectEnvelope(fields, true);
    expectNoSecrets([...sandboxSecrets(t.sandbox), 'not-the-password'], [good, status, fields, bad]);

    const viaEnv = await t.cli.run(['tracker', 'status'], { env: { APRIORA_DEBUG: '1' } });
    expect(viaEnv.stderr).toMatch(/\[debug\] -> POST .*\/api\/widget\/checkLogon/);
    const quiet = await t.cli.run(['tracker', 'status']);
    expect(quiet.stderr).not.toContain('[debug]');
  });

  it('--profile and APRIORA_PROFILE choose the profile; an invalid name is exit 2', async () => {
    expect((await trackerLogin(t.cli, t.sandbox, ['--profile', 'acme'])).code).toBe(0);
    expect((await t.cli.run(['tracker', 'status', '--json'], { env: { APRIORA_PROFILE: 'acme' } })).json().data.profile).toBe('acme');
    expect((await t.cli.run(['-p', 'acme', 'tracker', 'status'])).code).toBe(0);
    expect((await t.cli.run(['tracker', 'status'])).code).toBe(4);
    const bad = await t.cli.run(['tracker', 'status', '--json'], { env: { APRIORA_PROFILE: 'no/slashes' } });
    expect(bad.code).toBe(2);
    expect(expectEnvelope(bad, false).error.message).toMatch(/^Invalid profile name "no\/slashes"/);
    // Empty, as a CI variable left undefined expands: unset, the default profile.
    const empty = await t.cli.run(['tracker', 'status', '--json'], { env: { APRIORA_PROFILE: '' } });
    expect(empty.json().error.code).toBe('not_logged_in');
    expect(empty.json().data.profile).toBe('default');
  });

  it('a broken config file is exit 2 naming the file and how to recover, not a crash', async () => {
    const file = join(t.cli.configDir, 'config.json');
    writeFileSync(file, '{', { mode: 0o600 });
    const notJson = await t.cli.run(['tracker', 'status']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toBe(
      `Error: The config file ${file} is not valid JSON.\nTry: Fix or delete ${file} (profiles can be recreated with \`apriora login\`).\n`,
    );
    writeFileSync(file, JSON.stringify({ profiles: { default: { tracker: { region: 'mars' } } } }));
    const invalid = await t.cli.run(['status', '--json']);
    expect(invalid.code).toBe(2);
    expect(expectEnvelope(invalid, false).error).toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('"profiles.default.tracker.region"'),
    });
  });

  it('a config dir that is a file, or under one, is exit 2 naming it and the fix: a fault of the machine, not an internal error', async () => {
    const file = join(t.cli.configDir, 'a-file');
    writeFileSync(file, '');
    const itself = await t.cli.run(['tracker', 'status'], { env: { APRIORA_CONFIG_DIR: file } });
    expect(itself.code).toBe(2);
    expect(itself.stderr).toBe(
      `Error: The config dir ${file} is a file, not a directory\nTry: Move ${file} out of the way, or set APRIORA_CONFIG_DIR to a directory.\n`,
    );
    const under = await t.cli.run(['login', '--insecure-storage', '--api-key-stdin', '--json'], {
      input: 'key\n',
      env: { APRIORA_CONFIG_DIR: join(file, 'apriora') },
    });
    expect(under.code).toBe(2);
    expect(expectEnvelope(under, false).error).toEqual({
      code: 'not_a_directory',
      message: `Cannot read ${join(file, 'apriora', 'config.json')} (in the config dir): ${file} is a file, not a directory`,
      hint: `Move ${file} out of the way, or set APRIORA_CONFIG_DIR to a directory.`,
      details: { path: join(file, 'apriora', 'config.json'), errno: 'ENOTDIR', syscall: 'stat' },
    });
  });

  it('colour only on a terminal, and never with --no-color or NO_COLOR', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const tty = { stdout: true, stderr: true };
    expect((await t.cli.run(['tracker', 'status'], { tty })).stdout).toMatch(ANSI);
    expect((await t.cli.run(['tracker', 'status'])).stdout).not.toMatch(ANSI);
    expect((await t.cli.run(['tracker', 'status', '--no-color'], { tty })).stdout).not.toMatch(ANSI);
    expect((await t.cli.run(['tracker', 'status'], { tty, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await t.cli.run(['tracker', 'status'], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
    // warnings on stderr follow stderr's own terminal
    const warned = await t.cli.run(['tracker', 'logout'], { tty: { stderr: true }, env: { TRACKER_API_KEY: 'k' } });
    expect(warned.stderr).toMatch(ANSI);
    expect(warned.stdout).not.toMatch(ANSI);
  });
});
