import type { Command as Commander } from 'commander';
import { buildProgram } from './program.js';
import { REGISTRY } from './registry.js';

/** One runnable command as `apriora --help` and its groups list it. */
export interface CommandReference {
  /** `tracker jobs show` */
  path: string;
  /** `apriora tracker jobs show <id>` (every command also takes options: see its --help) */
  usage: string;
  description: string;
}

/** Every runnable command, in help order, read from the command definitions themselves. */
export async function commandReference(): Promise<CommandReference[]> {
  const ignore = () => {};
  const program = (await buildProgram(REGISTRY, undefined, {
    version: '0',
    run: async () => {},
    writeOut: ignore,
    writeErr: ignore,
    onUsageError: ignore,
  })) as unknown as Commander;
  const rows: CommandReference[] = [];
  const walk = (command: Commander, path: string[]) => {
    for (const child of command.commands) {
      const childPath = [...path, child.name()];
      if (child.commands.length) walk(child, childPath);
      else
        rows.push({
          path: childPath.join(' '),
          usage: `apriora ${childPath.join(' ')} ${child.usage().replace(/^\[options\]\s*/, '')}`.trim(),
          description: child.description(),
        });
    }
  };
  walk(program, []);
  return rows;
}

/** The README's command table (between its `commands:start` / `commands:end` markers); `npm run docs` writes it. */
export async function commandTableMarkdown(): Promise<string> {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = (await commandReference()).map((row) => `| \`${cell(row.usage)}\` | ${cell(row.description)} |`);
  return ['| Command | What it does |', '|---|---|', ...rows].join('\n');
}
