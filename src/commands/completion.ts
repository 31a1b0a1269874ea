import { Argument, Command, defineCommand, examples, Option } from '../cli/command.js';
import { InputError } from '../errors.js';

const INSTALL = `
Install (then open a new shell):
  bash  source <(apriora completion bash)  in ~/.bashrc, or once for all sessions:
        apriora completion bash > ~/.local/share/bash-completion/completions/apriora
  zsh   apriora completion zsh > "\${fpath[1]}/_apriora"  (a directory of your fpath, before compinit runs),
        or source <(apriora completion zsh)  in ~/.zshrc after compinit
  fish  apriora completion fish > ~/.config/fish/completions/apriora.fish

The script completes commands, flags, flag values and profile names (read from the config file as you type).
`;

export default defineCommand(
  () =>
    new Command('completion')
      .description('Print the shell completion script for bash, zsh or fish')
      .addArgument(new Argument('[shell]', 'the shell to complete in').choices(['bash', 'zsh', 'fish'] as const))
      // What the scripts run to complete --profile: the names in the config file, one a line.
      .addOption(new Option('--list-profiles', 'print the profile names, one a line').hideHelp())
      .addHelpText('after', `${INSTALL}${examples('apriora completion bash', 'apriora completion fish > ~/.config/fish/completions/apriora.fish')}`),
  async (options, ctx, [shell]) => {
    if (options.listProfiles) {
      const { profileNames } = await import('../cli/completion-profiles.js');
      const profiles = profileNames(ctx.env);
      return {
        data: { profiles },
        render: () => {
          for (const name of profiles) ctx.out.line(name);
        },
      };
    }
    if (shell === undefined) {
      throw new InputError('Name the shell to complete in', {
        code: 'missing_shell',
        hint: 'apriora completion bash (or zsh, fish); install lines: apriora completion --help',
      });
    }
    const [{ completionTree }, { completionScript }] = await Promise.all([import('../cli/completion-tree.js'), import('../cli/completion-scripts.js')]);
    const script = completionScript(shell, completionTree(await ctx.allCommands()));
    return { data: { shell, script }, render: () => ctx.out.line(script.trimEnd()) };
  },
);
