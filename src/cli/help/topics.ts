/**
 * The topics of `apriora help <topic>`: names and one-line summaries. Each text is a module of its own
 * (src/cli/help/<topic>.ts, a plain-text default export, lines of at most 100 columns, no colour) and is loaded only
 * when that topic is shown, so listing the topics loads none of them.
 */
export interface HelpTopic {
  /** What follows `apriora help`. */
  readonly name: string;
  /** One line for the list of topics. */
  readonly summary: string;
  /** Loads the topic's text. */
  readonly load: () => Promise<{ default: string }>;
}

export const HELP_TOPICS: readonly HelpTopic[] = [
  {
    name: 'environment',
    summary: 'Environment variables the tool reads, and which wins over which',
    load: () => import('./environment.js'),
  },
  {
    name: 'credentials',
    summary: 'Where secrets and settings come from and where they are kept: profiles, keychain, files',
    load: () => import('./credentials.js'),
  },
  {
    name: 'exit-codes',
    summary: 'The exit codes and what each one means',
    load: () => import('./exit-codes.js'),
  },
  {
    name: 'json',
    summary: 'JSON and ndjson output for scripts: envelope, bulk items and summary, error codes',
    load: () => import('./json.js'),
  },
  {
    name: 'interviews',
    summary: 'How a Tracker job becomes an Apriora interview: inputs, one per job, re-runs',
    load: () => import('./interviews.js'),
  },
  {
    name: 'results',
    summary: 'How an Apriora report becomes a Tracker activity: candidate, fields, marker',
    load: () => import('./results.js'),
  },
  {
    name: 'webhooks',
    summary: "Receiving Apriora's webhooks with activity listen: signatures, journal, shutdown",
    load: () => import('./webhooks.js'),
  },
  {
    name: 'automations',
    summary: 'The automations runner: cursors, full scans, one per profile; cron, systemd, Kubernetes',
    load: () => import('./automations.js'),
  },
  {
    name: 'ci',
    summary: 'CI without a keychain: env credentials, apriora smoke, a GitHub Actions workflow',
    load: () => import('./ci.js'),
  },
  {
    name: 'sandbox',
    summary: 'The local Tracker and Apriora emulators: credentials, seed, faults, admin endpoints',
    load: () => import('./sandbox.js'),
  },
  {
    name: 'api',
    summary: 'The Tracker and Apriora APIs as this tool assumes them: what is confirmed, what assumed',
    load: () => import('./api.js'),
  },
];

/** The topic of that name, if there is one. */
export function findHelpTopic(name: string): HelpTopic | undefined {
  return HELP_TOPICS.find((topic) => topic.name === name);
}
