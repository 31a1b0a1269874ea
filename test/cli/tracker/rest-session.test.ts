import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restJwtCachePath } from '../../../src/store/rest-token-cache.js';
import { restJwtKey } from '../../../src/tracker/rest-auth.js';
import { expectEnvelope, openJobIds, trackerLogin, useSandbox } from '../../support/cli.js';

/**
 * The cached Tracker REST session token (JWT) as the commands use it: one file per REST API token and host, shared by
 * every profile holding that token, never trusted when other users may read it, and a data-dir fault when unusable.
 */

const t = useSandbox({ seed: { jobs: 4, candidates: 8 }, loggedIn: { fieldMap: false, apriora: false, restToken: true }, cliPer: 'test' });

const exchanges = () => t.sandbox.requests.filter((request) => request.op === 'POST /api/Auth/ExchangeToken').length;
const jwtFile = () => restJwtCachePath(t.cli.dataDir, restJwtKey(t.sandbox.trackerRestUrl, t.sandbox.credentials.restToken));
const applicants = (extra: string[] = []) => t.cli.run(['tracker', 'applicants', 'list', '--job', String(openJobIds(t.sandbox)[0]), ...extra]);

describe('the cached Tracker REST session token', () => {
  it('a cache file readable by others is not used: a new exchange replaces it at 0600, and the command warns once', async () => {
    expect((await applicants(['--json'])).code).toBe(0);
    const before = exchanges();
    chmodSync(jwtFile(), 0o640);

    const result = await applicants();
    expect(result.code, result.stderr).toBe(0);
    const warning =
      `Warning: The cached Tracker REST session token ${jwtFile()} is open to other users (mode 0640): it was not used. ` +
      'A new one is exchanged, which ends the exposed one, and replaces the file (0600).\n';
    expect(result.stderr).toBe(warning);
    expect(exchanges()).toBe(before + 1);
    expect(statSync(jwtFile()).mode & 0o777).toBe(0o600);

    // in JSON, the warning is in the envelope; the next command trusts the new file
    chmodSync(jwtFile(), 0o644);
    const json = await applicants(['--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(expectEnvelope(json, true).warnings).toEqual([expect.stringContaining('is open to other users (mode 0644): it was not used')]);
    const quiet = await applicants();
    expect(quiet.stderr).toBe('');
    expect(exchanges()).toBe(before + 2);
  });

  it('a directory where the cache file should be is exit 2 naming the path and the fix', async () => {
    rmSync(jwtFile(), { force: true });
    mkdirSync(jwtFile(), { recursive: true });
    const result = await applicants();
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: Cannot read ${jwtFile()} (in the data dir): it is a directory, not a file\nTry: Move the directory ${jwtFile()} out of the way.\n`,
    );
    const json = await applicants(['--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error).toMatchObject({ code: 'is_a_directory', details: { path: jwtFile() } });
  });

  it('profiles holding the same REST API token share its JWT: no exchange knocks the other out; logout removes it', async () => {
    const { apiKey, password, restToken } = t.sandbox.credentials;
    const login = await trackerLogin(t.cli, t.sandbox, ['--profile', 'other', '--rest-token-stdin'], `${apiKey}\n${password}\n${restToken}\n`);
    expect(login.code, login.stderr).toBe(0);
    const before = exchanges();
    for (const profile of ['default', 'other', 'default', 'other']) {
      const result = await applicants(['--profile', profile, '--json']);
      expect(result.code, `${profile}: ${result.stderr}`).toBe(0);
    }
    expect(exchanges(), "the login's JWT serves both profiles").toBe(before);

    const logout = await t.cli.run(['tracker', 'logout', '--profile', 'other', '--json']);
    expect(logout.json().data).toMatchObject({ cachedRestJwt: true, removed: ['tracker.apiKey', 'tracker.password', 'tracker.restToken'] });
    expect(existsSync(jwtFile())).toBe(false);
    // the profile still holding the token exchanges again on its next command
    expect((await applicants(['--json'])).code).toBe(0);
    expect(exchanges()).toBe(before + 1);
  });
});
