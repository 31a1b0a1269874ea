import { Argument, Command, defineCommand, examples, Option } from '../cli/command.js';
import { InputError } from '../errors.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const INSTALL = `
Install (then open a new shell):
  bash, in ~/.bashrc:
    source <(apriora completion bash)
  bash, once for every session (bash-completion):
    apriora completion bash > ~/.local/share/bash-completion/completions/apriora
  zsh, into a directory of your fpath (before compinit runs):
    apriora completion zsh > "\${fpath[1]}/_apriora"
  zsh, in ~/.zshrc after compinit:
    source <(apriora completion zsh)
  fish:
    apriora completion fish > ~/.config/fish/completions/apriora.fish

Commands, flags, flag values and profile names are completed; the profile
names are read from the config file as you type.
`;

export default defineCommand(
  () =>
    new Command('completion')
      .description('Print the shell completion script for bash, zsh or fish')
      .addArgument(new Argument('[shell]', 'the shell to complete in (default: the one $SHELL names)').choices(SHELLS))
      // The global options change nothing in a script: listed here they would only mislead.
      .configureHelp({ showGlobalOptions: false })
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
    const login = ctx.env.SHELL?.split('/').at(-1) ?? '';
    const chosen = shell ?? SHELLS.find((name) => name === login);
    if (chosen === undefined) {
      throw new InputError(`Name the shell to complete in: bash, zsh or fish (${login === '' ? '$SHELL is not set' : `$SHELL is ${login}`})`, {
        code: 'missing_shell',
        hint: 'apriora completion bash (or zsh, fish); install lines: apriora completion --help',
      });
    }
    const [{ completionTree }, { completionScript }, { fileURLToPath }] = await Promise.all([
      import('../cli/completion-tree.js'),
      import('../cli/completion-scripts.js'),
      import('node:url'),
    ]);
    // The entry of this installation, for the scripts to run with node when `apriora` is an alias they cannot run.
    const entry = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
    const script = completionScript(chosen, completionTree(await ctx.allCommands()), { entry });
    return { data: { shell: chosen, script }, render: () => ctx.out.line(script.trimEnd()) };
  },
);
