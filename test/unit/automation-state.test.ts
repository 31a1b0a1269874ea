import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { automationStatePath, emptyAutomationState, loadAutomationState, readAutomationState, writeAutomationState } from '../../src/store/automation-state.js';
import { acquireRunnerLock, runnerLockPath } from '../../src/store/runner-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apriora-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('automation state', () => {
  it('lives in <dataDir>/<profile>/automations.json, 0600, and reads back what was written', () => {
    const path = automationStatePath(dir, 'acme');
    expect(path).toBe(join(dir, 'acme', 'automations.json'));
    expect(readAutomationState(path)).toEqual({ status: 'missing' });
    const state = emptyAutomationState();
    state.applicants.lastApplicationId = 42;
    state.applicants.rowsUpToLast = 40;
    state.applicants.unfinished = { '43': 1 };
    state.lastCycle = { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, invited: 1, created: 0, failed: 0, skipped: 2 };
    writeAutomationState(path, state);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readAutomationState(path)).toEqual({ status: 'ok', state });
    expect(loadAutomationState(path, () => {})).toEqual(state);
  });

  it('a corrupt file is set aside with a warning naming it, and the runner starts over', () => {
    const path = automationStatePath(dir, 'default');
    writeAutomationState(path, emptyAutomationState());
    writeFileSync(path, '{"version": 2}');
    expect(readAutomationState(path)).toMatchObject({ status: 'corrupt' });
    const warnings: string[] = [];
    expect(loadAutomationState(path, (message) => warnings.push(message))).toEqual(emptyAutomationState());
    expect(warnings[0]).toContain(path);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toBe('{"version": 2}');
  });
});

describe('runner lock', () => {
  it('one runner per profile: a second is refused (exit 2) naming the first; released, it can be taken again', async () => {
    const path = automationStatePath(dir, 'default');
    const first = await acquireRunnerLock(path, { profile: 'default', onCompromised: () => {} });
    const error = await acquireRunnerLock(path, { profile: 'default', onCompromised: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).code).toBe('runner_running');
    expect((error as InputError).message).toContain(`pid ${process.pid}`);
    expect((error as InputError).hint).toContain(runnerLockPath(path));
    await first.release();
    const again = await acquireRunnerLock(path, { profile: 'default', onCompromised: () => {} });
    await again.release();
  });

  it('the lock of a runner that was killed (its pid is gone) is taken over at once', async () => {
    const path = automationStatePath(dir, 'default');
    const first = await acquireRunnerLock(path, { profile: 'default', onCompromised: () => {} });
    // As if held by a process that no longer exists.
    const holder = join(dir, 'default', 'automations.runner.json');
    const dead = { ...JSON.parse(readFileSync(holder, 'utf8')), pid: 2 ** 22 + 12345 };
    writeFileSync(holder, JSON.stringify(dead));
    const second = await acquireRunnerLock(path, { profile: 'default', onCompromised: () => {} });
    expect(JSON.parse(readFileSync(holder, 'utf8')).pid).toBe(process.pid);
    await second.release();
    await first.release();
  });
});

describe('automation state: a directory in its place', () => {
  it('is exit 2 naming the path, not an internal error', async () => {
    const { mkdtempSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readAutomationState } = await import('../../src/store/automation-state.js');
    const path = join(mkdtempSync(join(tmpdir(), 'apriora-state-')), 'automations.json');
    mkdirSync(path);
    const error = (() => {
      try {
        readAutomationState(path);
      } catch (caught) {
        return caught as { exitCode?: number; message?: string };
      }
    })();
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(path);
  });
});
