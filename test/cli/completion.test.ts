import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectEnvelope, TestCli } from '../support/cli.js';

/** The completion command in-process; the scripts in the shells themselves: test/e2e/completion.test.ts. */

let cli: TestCli;
beforeEach(() => {
  cli = new TestCli();
});
afterEach(() => cli.cleanup());

describe('apriora completion', () => {
  it('prints a script bash loads, for each shell; --json carries it in the envelope', async () => {
    const bash = await cli.run(['completion', 'bash']);
    expect([bash.code, bash.stderr]).toEqual([0, '']);
    const loaded = spawnSync('bash', ['-c', 'eval "$(cat)" && complete -p apriora'], { input: bash.stdout, encoding: 'utf8' });
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toBe('complete -o default -F _apriora apriora\n');

    const zsh = await cli.run(['completion', 'zsh', '--json']);
    const data = expectEnvelope(zsh, true).data;
    expect(data.shell).toBe('zsh');
    expect(data.script).toMatch(/^#compdef apriora\n/);
    const fish = await cli.run(['completion', 'fish']);
    expect(fish.stdout).toContain(
      "complete -c apriora -f -n '__apriora_is \\'tracker jobs\\'' -a 'list' -d 'List jobs (Tracker opportunities), streaming page after page'",
    );
  });

  it('--list-profiles prints the names in the config file, one a line, whatever the global options', async () => {
    expect((await cli.run(['completion', '--list-profiles'])).stdout).toBe('');
    writeFileSync(`${cli.configDir}/config.json`, `${JSON.stringify({ profiles: { zeta: {}, acme: { sandbox: true } } })}\n`);
    const listed = await cli.run(['--profile', 'acme', 'completion', '--list-profiles']);
    expect([listed.code, listed.stdout]).toEqual([0, 'acme\nzeta\n']);
  });

  it('--help shows the install line of each shell and hides --list-profiles', async () => {
    const help = await cli.run(['completion', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('source <(apriora completion bash)');
    expect(help.stdout).toContain('~/.local/share/bash-completion/completions/apriora');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's parameter expansion, as the help prints it
    expect(help.stdout).toContain('apriora completion zsh > "${fpath[1]}/_apriora"');
    expect(help.stdout).toContain('apriora completion fish > ~/.config/fish/completions/apriora.fish');
    expect(help.stdout).not.toContain('--list-profiles');
  });

  it('--help lists no global option: none changes the script', async () => {
    const help = await cli.run(['completion', '--help']);
    expect(help.stdout).toContain('Usage: apriora completion [options] [shell]');
    for (const flag of ['--json', '--wide', '--profile', '--output']) expect(help.stdout).not.toContain(flag);
    // the other commands still list them
    expect((await cli.run(['status', '--help'])).stdout).toContain('--wide');
  });

  it('no shell: the one $SHELL names, else exit 2 naming the choices; an unknown one is exit 2', async () => {
    const fromShell = await cli.run(['completion', '--json'], { env: { SHELL: '/usr/local/bin/fish' } });
    expect(expectEnvelope(fromShell, true).data.shell).toBe('fish');
    expect((await cli.run(['completion'], { env: { SHELL: '/bin/zsh' } })).stdout).toMatch(/^#compdef apriora\n/);

    const missing = await cli.run(['completion'], { env: { SHELL: '/bin/tcsh' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'Error: Name the shell to complete in: bash, zsh or fish ($SHELL is tcsh)\nTry: apriora completion bash (or zsh, fish); install lines: apriora completion --help\n',
    );
    const unset = await cli.run(['completion'], { env: { SHELL: undefined } });
    expect([unset.code, unset.stderr.split('\n')[0]]).toEqual([2, 'Error: Name the shell to complete in: bash, zsh or fish ($SHELL is not set)']);
    const unknown = await cli.run(['completion', 'powershell']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Allowed choices are bash, zsh, fish.');
  });
});
