/** A command to suggest, naming the profile unless it is the default one: `apriora login --profile acme`. */
export function commandFor(command: string, profileName: string): string {
  return profileName === 'default' ? command : `${command} --profile ${profileName}`;
}

const LOGIN = {
  tracker: { command: 'apriora tracker login', env: 'TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD' },
  apriora: { command: 'apriora login', env: 'APRIORA_API_KEY' },
} as const;

/** How to log in to one side: the command, and with `withEnv` the variables that do without a login. */
export function loginHint(service: keyof typeof LOGIN, profileName: string, withEnv = false): string {
  const { command, env } = LOGIN[service];
  return withEnv ? `${commandFor(command, profileName)} (or set ${env})` : commandFor(command, profileName);
}
