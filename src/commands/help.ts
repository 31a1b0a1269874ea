import { Command, defineCommand, examples } from '../cli/command.js';
import { InputError } from '../errors.js';

export default defineCommand(
  () =>
    new Command('help')
      .description('Show a help topic (exit codes, environment, JSON output, …) or the help of a command')
      .argument('[topic...]', 'a topic, or a command such as "tracker login"')
      .addHelpText('after', examples('apriora help', 'apriora help exit-codes', 'apriora help tracker login')),
  async (_options, ctx, [words]) => {
    const { HELP_TOPICS } = await import('../cli/help/topics.js');
    const topics = HELP_TOPICS.map(({ name, summary }) => ({ name, summary }));
    if (words.length === 0) {
      return {
        data: { topics },
        render: () => {
          ctx.out.line('Help topics (apriora help <topic>):');
          for (const topic of topics) ctx.out.line(`  ${topic.name.padEnd(14)}${topic.summary}`);
          ctx.out.line();
          ctx.out.line('The help of a command: apriora <command> --help, or apriora help <command>.');
        },
      };
    }
    const name = words.join(' ');
    const topic = HELP_TOPICS.find((candidate) => candidate.name === name);
    if (!topic) {
      throw new InputError(`There is no help topic or command "${name}"`, {
        code: 'unknown_topic',
        hint: `apriora help <topic> with a topic of: ${topics.map((candidate) => candidate.name).join(', ')}; the commands: apriora --help`,
      });
    }
    const text = (await topic.load()).default;
    return { data: { topic: topic.name, text }, render: () => ctx.out.line(text.trimEnd()) };
  },
);
