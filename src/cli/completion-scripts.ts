import type { CompletionCommand, CompletionOption, CompletionTree } from './completion-tree.js';

export type Shell = 'bash' | 'zsh' | 'fish';

export interface ScriptOptions {
  /**
   * The `bin/apriora.js` that wrote the script, run with `node` for the profile names when the program as typed
   * cannot be run from the script (an alias, a shell function).
   */
  entry?: string;
}

/** A word for a POSIX shell: single-quoted, a single quote inside closed, escaped and reopened. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A word for fish: single-quoted, with backslash and quote escaped. */
function fq(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const key = (command: CompletionCommand) => command.path.join(' ');
const flagsOf = (options: CompletionOption[]) => options.flatMap((option) => option.flags);
const valueFlagsOf = (options: CompletionOption[]) => options.filter((option) => option.takesValue).flatMap((option) => option.flags);

/** One line of a shell `case`, echoing words; skipped when there are none. */
function caseLine(pattern: string, words: string[], indent = '    '): string[] {
  return words.length === 0 ? [] : [`${indent}${sq(pattern)}) echo ${sq(words.join(' '))} ;;`];
}

/**
 * The shell functions bash and zsh share: what comes after each command path. `$1` is the command path
 * ("tracker jobs list"), `$2` a flag, `$3` the program as typed (to ask it for the profile names).
 */
function posixData(tree: CompletionTree, options: ScriptOptions): string {
  const profileFlags = [...tree.globalOptions, ...tree.commands.flatMap((command) => command.options)]
    .filter((option) => option.profile)
    .flatMap((option) => option.flags);
  const globalFlags = flagsOf(tree.globalOptions).join(' ');
  const globalValueFlags = valueFlagsOf(tree.globalOptions).join(' ');
  const lines: string[] = [];
  lines.push('__apriora_subcommands() {', '  case "$1" in');
  for (const command of tree.commands)
    lines.push(
      ...caseLine(
        key(command),
        command.subcommands.map((sub) => sub.name),
      ),
    );
  lines.push('  esac', '}', '');
  lines.push('# "name:description" lines, for zsh', '__apriora_described() {', '  case "$1" in');
  for (const command of tree.commands) {
    if (command.subcommands.length === 0) continue;
    const described = command.subcommands.map((sub) => `${sub.name.replace(/:/g, '\\:')}:${sub.description}`).join('\n');
    lines.push(`    ${sq(key(command))}) printf '%s\\n' ${sq(described)} ;;`);
  }
  lines.push('  esac', '}', '');
  lines.push('__apriora_options() {', `  local global=${sq(globalFlags)}`, '  case "$1" in');
  for (const command of tree.commands) {
    if (command.options.length > 0) lines.push(`    ${sq(key(command))}) echo "$global "${sq(flagsOf(command.options).join(' '))} ;;`);
  }
  lines.push('    *) echo "$global" ;;', '  esac', '}', '');
  lines.push('__apriora_value_options() {', `  local global=${sq(globalValueFlags)}`, '  case "$1" in');
  for (const command of tree.commands) {
    const flags = valueFlagsOf(command.options);
    if (flags.length > 0) lines.push(`    ${sq(key(command))}) echo "$global "${sq(flags.join(' '))} ;;`);
  }
  lines.push('    *) echo "$global" ;;', '  esac', '}', '');
  lines.push('__apriora_choices() {', '  case "$1|$2" in');
  const choiceLines = (pattern: (flag: string) => string, options: CompletionOption[]) => {
    for (const option of options) {
      const patterns = option.flags.map(pattern).join('|');
      if (option.profile) lines.push(`    ${patterns}) __apriora_profiles "$3" ;;`);
      else if (option.choices.length > 0) lines.push(`    ${patterns}) echo ${sq(option.choices.join(' '))} ;;`);
    }
  };
  for (const command of tree.commands) choiceLines((flag) => sq(`${key(command)}|${flag}`), command.options);
  choiceLines((flag) => `*${sq(`|${flag}`)}`, tree.globalOptions);
  lines.push('  esac', '}', '');
  lines.push('__apriora_arguments() {', '  case "$1" in');
  for (const command of tree.commands) lines.push(...caseLine(key(command), command.argumentChoices));
  lines.push('  esac', '}', '');
  lines.push(
    '# The profile names: from the program as typed ($1) when it can be run from here (an alias cannot), else from',
    '# the entry file this script was written by; no names (and no file names) when neither can.',
    '__apriora_profiles() {',
    '  if [[ $1 == */* && -x $1 ]] || { [[ -n $ZSH_VERSION ]] && whence -p "$1" >/dev/null 2>&1; } || { [[ -z $ZSH_VERSION ]] && type -P "$1" >/dev/null 2>&1; }; then',
    '    "$1" completion --list-profiles 2>/dev/null',
    ...(options.entry === undefined
      ? []
      : [
          `  elif [[ -f ${sq(options.entry)} ]] && command -v node >/dev/null 2>&1; then`,
          `    node ${sq(options.entry)} completion --list-profiles 2>/dev/null`,
        ]),
    '  fi',
    '  return 0',
    '}',
    '',
    `__apriora_profile_flags() {`,
    `  echo ${sq(profileFlags.join(' '))}`,
    '}',
    '',
    '# Whether the word $1 is one of the space-separated words $2.',
    '__apriora_in() {',
    '  [[ " $2 " == *" $1 "* ]]',
    '}',
    '',
    '# The command path of the words before the cursor ($@): options and their values skipped.',
    '__apriora_path() {',
    '  local cmdpath="" word skip=""',
    '  for word in "$@"; do',
    '    if [[ -n $skip ]]; then skip=""; continue; fi',
    '    case "$word" in',
    '      --) break ;;',
    '      --*=*) ;;',
    '      -*) if __apriora_in "$word" "$(__apriora_value_options "$cmdpath")"; then skip=1; fi ;;',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    '      *) if __apriora_in "$word" "$(__apriora_subcommands "$cmdpath")"; then cmdpath="${cmdpath:+$cmdpath }$word"; fi ;;',
    '    esac',
    '  done',
    '  echo "$cmdpath"',
    '}',
  );
  return lines.join('\n');
}

function header(shell: Shell): string {
  return `# ${shell} completion for apriora: \`apriora completion ${shell}\` writes it from the command definitions.`;
}

export function bashScript(tree: CompletionTree, options: ScriptOptions = {}): string {
  return `${header('bash')}
# Load it now: source <(apriora completion bash)

${posixData(tree, options)}

_apriora() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" flag="\${COMP_WORDS[COMP_CWORD-1]}"
  # bash splits "--state=open" at "=" (COMP_WORDBREAKS): the flag is then before the "="
  if [[ $cur == "=" ]]; then
    cur=""
  elif [[ $flag == "=" && $COMP_CWORD -gt 2 ]]; then
    flag="\${COMP_WORDS[COMP_CWORD-2]}"
  fi
  local cmdpath
  cmdpath="$(__apriora_path "\${COMP_WORDS[@]:1:COMP_CWORD-1}")"
  COMPREPLY=()
  if [[ $COMP_CWORD -gt 1 && $flag == -* ]] && __apriora_in "$flag" "$(__apriora_value_options "$cmdpath")"; then
    # The value of a flag: its choices, else file names (complete -o default)
    COMPREPLY=($(compgen -W "$(__apriora_choices "$cmdpath" "$flag" "\${COMP_WORDS[0]}")" -- "$cur"))
    # No profile name is no completion, not file names
    if [[ \${#COMPREPLY[@]} -eq 0 ]] && __apriora_in "$flag" "$(__apriora_profile_flags)"; then compopt +o default 2>/dev/null; fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(__apriora_options "$cmdpath")" -- "$cur"))
    return 0
  fi
  local subcommands
  subcommands="$(__apriora_subcommands "$cmdpath")"
  if [[ -n $subcommands ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(__apriora_arguments "$cmdpath")" -- "$cur"))
  fi
  return 0
}

complete -o default -F _apriora apriora
`;
}

export function zshScript(tree: CompletionTree, options: ScriptOptions = {}): string {
  return `#compdef apriora
${header('zsh')}
# Load it now: source <(apriora completion zsh)   (after compinit)

${posixData(tree, options)}

_apriora() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local cmdpath
  cmdpath="$(__apriora_path "\${(@)words[2,CURRENT-1]}")"
  local -a candidates
  if [[ $cur == --*=* ]]; then
    candidates=(\${=$(__apriora_choices "$cmdpath" "\${cur%%=*}" "\${words[1]}")})
    compset -P '*='
    if (( \${#candidates} )); then compadd -a candidates; elif ! __apriora_in "\${cur%%=*}" "$(__apriora_profile_flags)"; then _files; fi
    return
  fi
  if (( CURRENT > 2 )) && [[ $prev == -* && $prev != *=* ]] && __apriora_in "$prev" "$(__apriora_value_options "$cmdpath")"; then
    candidates=(\${=$(__apriora_choices "$cmdpath" "$prev" "\${words[1]}")})
    if (( \${#candidates} )); then compadd -a candidates; elif ! __apriora_in "$prev" "$(__apriora_profile_flags)"; then _files; fi
    return
  fi
  if [[ $cur == -* ]]; then
    candidates=(\${=$(__apriora_options "$cmdpath")})
    compadd -a candidates
    return
  fi
  candidates=("\${(@f)$(__apriora_described "$cmdpath")}")
  if [[ -n \${candidates[1]} ]]; then
    _describe -t commands 'apriora command' candidates
    return
  fi
  candidates=(\${=$(__apriora_arguments "$cmdpath")})
  if (( \${#candidates} )); then compadd -a candidates; else _files; fi
}

# Loaded from fpath (as _apriora), zsh calls this file as the completion function; sourced, it registers it.
if [[ "\${funcstack[1]}" == "_apriora" ]]; then
  _apriora "$@"
else
  compdef _apriora apriora
fi
`;
}

function fishOption(option: CompletionOption, condition: string | undefined): string {
  const parts = ['complete -c apriora'];
  if (condition !== undefined) parts.push(`-n ${fq(`__apriora_is ${condition}`)}`);
  for (const flag of option.flags) parts.push(flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`);
  if (option.profile) parts.push('-x', "-a '(__apriora_profiles)'");
  else if (option.choices.length > 0) parts.push('-x', `-a ${fq(option.choices.join(' '))}`);
  else if (option.takesValue) parts.push('-r');
  parts.push(`-d ${fq(option.description)}`);
  return parts.join(' ');
}

export function fishScript(tree: CompletionTree, options: ScriptOptions = {}): string {
  const lines: string[] = [];
  const fishCase = (name: string, words: (command: CompletionCommand) => string[]) => {
    lines.push(`function ${name} -a cmdpath`, '    switch $cmdpath');
    for (const command of tree.commands) {
      const list = words(command);
      if (list.length > 0) lines.push(`        case ${fq(key(command))}`, `            printf '%s\\n' ${list.map(fq).join(' ')}`);
    }
    lines.push('    end', 'end', '');
  };
  fishCase('__apriora_subcommands', (command) => command.subcommands.map((sub) => sub.name));
  fishCase('__apriora_value_options', (command) => valueFlagsOf(command.options));
  const globalValueFlags = valueFlagsOf(tree.globalOptions).map(fq).join(' ');
  lines.push(
    '# The command path of the words before the cursor: options and their values skipped.',
    'function __apriora_path',
    '    set -l tokens (commandline -opc)',
    '    set -e tokens[1]',
    "    set -l cmdpath ''",
    '    set -l skip 0',
    '    for word in $tokens',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $word',
    "            case '--'",
    '                break',
    "            case '--*=*'",
    "            case '-*'",
    `                if contains -- $word ${globalValueFlags} (__apriora_value_options "$cmdpath")`,
    '                    set skip 1',
    '                end',
    "            case '*'",
    '                if contains -- $word (__apriora_subcommands "$cmdpath")',
    '                    set cmdpath (string trim -- "$cmdpath $word")',
    '                end',
    '        end',
    '    end',
    '    echo $cmdpath',
    'end',
    '',
    'function __apriora_is -a expected',
    '    set -l cmdpath (__apriora_path)',
    '    test "$cmdpath" = "$expected"',
    'end',
    '',
    '# The profile names: from the program as typed when it can be run from here (an alias cannot), else from the',
    '# entry file this script was written by.',
    'function __apriora_profiles',
    '    set -l program (commandline -opc)[1]',
    '    if command -q -- $program',
    '        $program completion --list-profiles 2>/dev/null',
    ...(options.entry === undefined
      ? []
      : [`    else if test -f ${fq(options.entry)}; and command -q node`, `        node ${fq(options.entry)} completion --list-profiles 2>/dev/null`]),
    '    end',
    'end',
    '',
  );
  for (const option of tree.globalOptions) lines.push(fishOption(option, undefined));
  for (const command of tree.commands) {
    const condition = fq(key(command));
    for (const sub of command.subcommands)
      lines.push(`complete -c apriora -f -n ${fq(`__apriora_is ${condition}`)} -a ${fq(sub.name)} -d ${fq(sub.description)}`);
    for (const option of command.options) lines.push(fishOption(option, condition));
    if (command.argumentChoices.length > 0) {
      lines.push(`complete -c apriora -f -n ${fq(`__apriora_is ${condition}`)} -a ${fq(command.argumentChoices.join(' '))}`);
    }
  }
  return `${header('fish')}\n# Load it now: apriora completion fish | source\n\n${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, tree: CompletionTree, options: ScriptOptions = {}): string {
  return { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](tree, options);
}
