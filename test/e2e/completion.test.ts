import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group, Loader } from '../../src/cli/command.js';
import { HELP_TOPICS } from '../../src/cli/help/topics.js';
import { REGISTRY } from '../../src/cli/registry.js';
import { cliEnv } from '../support/cli-common.js';
import { BIN } from './harness.js';

/**
 * The completion scripts as a shell loads them: the built `apriora` on PATH, a config file with two profiles, and
 * each completion asked the way the shell asks it (bash: COMP_WORDS/COMP_CWORD and the completion function; fish:
 * `complete -C`; zsh: the completion function with the completion system's builtins stood in for).
 */

const base = mkdtempSync(join(tmpdir(), 'apriora-completion-'));
const binDir = join(base, 'bin');
const configDir = join(base, 'config');
const env = { ...cliEnv(configDir), PATH: `${binDir}:${process.env.PATH}` };
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
/** Why a shell's tests are skipped: CI installs both (.ci/apt-packages.txt), a developer's machine may lack them. */
const unless = (shell: string) => (has(shell) ? '' : ` (skipped: ${shell} is not installed)`);

function apriora(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
}

beforeAll(() => {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(binDir, 'apriora'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(binDir, 'apriora'), 0o755);
  writeFileSync(join(configDir, 'config.json'), `${JSON.stringify({ profiles: { acme: {}, 'zeta-sandbox': { sandbox: true } } })}\n`);
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const result = apriora(['completion', shell]);
    expect(result.status, result.stderr).toBe(0);
    scripts[shell] = join(base, `apriora.${shell}`);
    writeFileSync(scripts[shell], result.stdout);
  }
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** What bash completes for the words typed so far (the last one is being completed). */
function bashComplete(...words: string[]): string[] {
  const result = spawnSync(
    'bash',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    ['-c', 'source "$0" && COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _apriora && printf "%s\\n" "${COMPREPLY[@]}"', scripts.bash, ...words],
    { env, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

/** Every path of commands and groups in the registry, with the names under each group. */
function registryPaths(group: Group = REGISTRY, path: string[] = []): { path: string[]; names: string[] }[] {
  const entries = Object.entries(group.commands) as [string, Loader | Group][];
  return [
    { path, names: entries.map(([name]) => name) },
    ...entries.flatMap(([name, entry]) => (typeof entry === 'function' ? [] : registryPaths(entry, [...path, name]))),
  ];
}

/** What `apriora help <Tab>` offers: the help topics, then the other commands (`sandbox` is both, offered once). */
const helpWords = [...new Set([...HELP_TOPICS.map((topic) => topic.name), ...Object.keys(REGISTRY.commands).filter((name) => name !== 'help')])];

const modalities = async () => {
  const generate = (await import('../../src/commands/interview/generate.js')).default.command();
  return generate.options.find((option) => option.long === '--modality')!.argChoices!;
};

describe('apriora completion bash', () => {
  it('loads in bash and registers the completion of apriora', () => {
    const result = spawnSync('bash', ['-c', 'source "$0" && complete -p apriora', scripts.bash], { env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('complete -o default -F _apriora apriora\n');
  });

  it('completes commands and subcommands, every group of the registry included', () => {
    expect(bashComplete('apriora', 'tra')).toEqual(['tracker']);
    expect(bashComplete('apriora', 'tracker', '')).toEqual(Object.keys((REGISTRY.commands.tracker as Group).commands));
    for (const { path, names } of registryPaths()) expect(bashComplete('apriora', ...path, '')).toEqual(names);
    // options and their values before the command are skipped
    expect(bashComplete('apriora', '-p', 'acme', '--json', 'tracker', 'jobs', '')).toEqual(['list', 'show']);
  });

  it("completes a command's flags, the global ones too, and the choices of a flag's value", async () => {
    expect(bashComplete('apriora', 'interview', 'generate', '--mo')).toEqual(['--modality']);
    expect(bashComplete('apriora', 'interview', 'generate', '--modality', '')).toEqual(await modalities());
    expect(bashComplete('apriora', 'tracker', 'jobs', 'list', '--state', 'c')).toEqual(['closed']);
    expect(bashComplete('apriora', 'tracker', 'jobs', 'list', '--wi')).toEqual(['--wide']);
    expect(bashComplete('apriora', 'status', '--output', '')).toEqual(['table', 'json', 'ndjson']);
    // "--output=j": bash splits the word at "="
    expect(bashComplete('apriora', 'status', '--output', '=', 'j')).toEqual(['json']);
    expect(bashComplete('apriora', 'tracker', 'jobs', 'list', '--state', '=')).toEqual(['open', 'closed', 'all']);
    expect(bashComplete('apriora', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // a value without choices: nothing from the script, so bash completes file names (complete -o default)
    expect(bashComplete('apriora', 'interview', 'generate', '--jobs-file', '')).toEqual([]);
  });

  it('completes --profile with the profile names of the config file', () => {
    expect(bashComplete('apriora', '--profile', '')).toEqual(['acme', 'zeta-sandbox']);
    expect(bashComplete('apriora', 'tracker', 'jobs', 'list', '-p', 'z')).toEqual(['zeta-sandbox']);
  });

  it('completes help with the help topics and the command names, not file names', () => {
    expect(bashComplete('apriora', 'help', '')).toEqual(helpWords);
    expect(bashComplete('apriora', 'help', 'exit')).toEqual(['exit-codes']);
    expect(bashComplete('apriora', 'help', 'tra')).toEqual(['tracker']);
  });

  it('completes --profile when apriora is an alias it cannot run: through node and the entry it was written by', () => {
    // "ap" is not on PATH (an alias in the user's shell): the entry embedded in the script is run with node.
    expect(bashComplete('ap', '--profile', '')).toEqual(['acme', 'zeta-sandbox']);
    // Neither runnable: no names and no error.
    const orphan = join(base, 'orphan.bash');
    writeFileSync(orphan, readFileSync(scripts.bash, 'utf8').replaceAll(BIN, join(base, 'gone', 'apriora.js')));
    const result = spawnSync(
      'bash',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      ['-c', 'source "$0" && COMP_WORDS=(ap --profile "") && COMP_CWORD=2 && _apriora && printf "%s\\n" "${COMPREPLY[@]}"', orphan],
      { env, encoding: 'utf8' },
    );
    expect([result.status, result.stdout.trim(), result.stderr]).toEqual([0, '', '']);
  });
});

describe('apriora completion --list-profiles', () => {
  it('prints the profile names, one a line; no config file or a broken one is no names, never an error', () => {
    expect(apriora(['completion', '--list-profiles']).stdout).toBe('acme\nzeta-sandbox\n');
    const other = mkdtempSync(join(base, 'other-'));
    const none = spawnSync(process.execPath, [BIN, 'completion', '--list-profiles'], { env: { ...env, APRIORA_CONFIG_DIR: other }, encoding: 'utf8' });
    expect([none.status, none.stdout, none.stderr]).toEqual([0, '', '']);
    writeFileSync(join(other, 'config.json'), '{ not json');
    const broken = spawnSync(process.execPath, [BIN, 'completion', '--list-profiles'], { env: { ...env, APRIORA_CONFIG_DIR: other }, encoding: 'utf8' });
    expect([broken.status, broken.stdout, broken.stderr]).toEqual([0, '', '']);
  });

  it('loads the config file reader only: no command, client or package (it runs on every Tab)', () => {
    const traced = spawnSync(process.execPath, ['--import', join(__dirname, 'fixtures', 'trace-imports.mjs'), BIN, 'completion', '--list-profiles'], {
      env,
      encoding: 'utf8',
    });
    expect(traced.stdout).toBe('acme\nzeta-sandbox\n');
    const loaded = traced.stderr
      .split('\n')
      .filter((line) => line.startsWith('[loaded]'))
      .map((line) => line.replace(/^.*\/(dist|node_modules)\//, '$1/'));
    expect(loaded.sort()).toEqual(['dist/cli/completion-profiles.js', 'dist/cli/help-pages.js', 'dist/cli/main.js', 'dist/store/paths.js']);
  });
});

describe.skipIf(!has('zsh'))(`apriora completion zsh${unless('zsh')}`, () => {
  /** The completion system's builtins stood in for: each prints what it would offer. */
  const zshStubs =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    'compdef() { :; }; compset() { :; }; compadd() { [[ $1 == -a ]] && print -l -- ${(P)2}; }; _describe() { print -l -- ${(P)4}; }; _files() { print "<files>"; }';

  /** The zsh completion function run with the completion system's builtins stood in for: what it would offer. */
  function zshComplete(...words: string[]): string[] {
    const result = spawnSync('zsh', ['-f', '-c', `${zshStubs}; source "$0" && words=("$@") && CURRENT=$#words && _apriora`, scripts.zsh, ...words], {
      env,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').filter(Boolean);
  }

  it('registers with compinit, from a directory of fpath (as _apriora) or sourced', () => {
    const fpath = join(base, 'zsh-functions');
    mkdirSync(fpath, { recursive: true });
    writeFileSync(join(fpath, '_apriora'), readFileSync(scripts.zsh));
    const fromFpath = spawnSync('zsh', ['-f', '-c', 'fpath=("$0" $fpath); autoload -U compinit; compinit -u -D; print -r -- $_comps[apriora]', fpath], {
      encoding: 'utf8',
    });
    expect(fromFpath.stdout).toBe('_apriora\n');
    const sourced = spawnSync('zsh', ['-f', '-c', 'autoload -U compinit; compinit -u -D; source "$0"; print -r -- $_comps[apriora]', scripts.zsh], {
      encoding: 'utf8',
    });
    expect(sourced.stdout).toBe('_apriora\n');
  });

  it('parses, and offers commands with their descriptions, flags, choices and profiles', async () => {
    expect(spawnSync('zsh', ['-n', scripts.zsh]).status).toBe(0);
    expect(zshComplete('apriora', 'tracker', 'jobs', '')).toEqual(['list:List jobs (Tracker opportunities), streaming page after page', 'show:Show one job']);
    expect(zshComplete('apriora', 'interview', 'generate', '--')).toContain('--modality');
    expect(zshComplete('apriora', 'interview', 'generate', '--modality', '')).toEqual(await modalities());
    expect(zshComplete('apriora', '-p', '')).toEqual(['acme', 'zeta-sandbox']);
    expect(zshComplete('apriora', 'tracker', 'jobs', 'list', '--state=c')).toEqual(['open', 'closed', 'all']);
    expect(zshComplete('apriora', 'interview', 'generate', '--jobs-file', '')).toEqual(['<files>']);
    expect(zshComplete('apriora', 'help', '')).toEqual(helpWords);
    // an alias: profiles through node, never file names
    expect(zshComplete('ap', '-p', '')).toEqual(['acme', 'zeta-sandbox']);
    const none = spawnSync('zsh', ['-f', '-c', `PATH=/nonexistent; ${zshStubs}; source "$0" && words=(ap -p "") && CURRENT=3 && _apriora`, scripts.zsh], {
      env,
      encoding: 'utf8',
    });
    expect([none.status, none.stdout, none.stderr]).toEqual([0, '', '']);
  });
});

describe.skipIf(!has('fish'))(`apriora completion fish${unless('fish')}`, () => {
  function fishComplete(line: string): string[] {
    const result = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish, line], { env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.split('\t')[0]!);
  }

  it('parses, and completes commands, flags, choices and profiles', async () => {
    expect(spawnSync('fish', ['--no-execute', scripts.fish]).status).toBe(0);
    expect(fishComplete('apriora tra')).toEqual(['tracker']);
    expect(fishComplete('apriora tracker jobs ').sort()).toEqual(['list', 'show']);
    expect(fishComplete('apriora interview generate --mo')).toEqual(['--modality']);
    expect(fishComplete('apriora interview generate --modality ').sort()).toEqual([...(await modalities())].sort());
    expect(fishComplete('apriora -p acme tracker jobs list --profile ')).toEqual(['acme', 'zeta-sandbox']);
    expect(fishComplete('apriora help ').sort()).toEqual(helpWords.toSorted());
    // apriora an alias (in fish, a function) and not on PATH: the profiles through node and the embedded entry
    const aliased = spawnSync('fish', ['--no-config', '-c', `alias apriora 'node ${BIN}'; source $argv[1]; complete -C 'apriora --profile '`, scripts.fish], {
      env: { ...env, PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(aliased.stderr).toBe('');
    expect(
      aliased.stdout
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t')[0]),
    ).toEqual(['acme', 'zeta-sandbox']);
  });
});
