/** Help topics of `apriora help <topic>`; each text is loaded only when asked for. */
export interface HelpTopic {
  name: string;
  summary: string;
  load: () => Promise<{ default: string }>;
}

export const HELP_TOPICS: HelpTopic[] = [
  { name: 'exit-codes', summary: 'Exit codes and what each means', load: () => import('./exit-codes.js') },
];

export function findTopic(name: string): HelpTopic | undefined {
  return HELP_TOPICS.find((topic) => topic.name === name);
}
