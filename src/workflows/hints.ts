/** A command to suggest, naming the profile unless it is the default one: `apriora login --profile acme`. */
export function commandFor(command: string, profileName: string): string {
  return profileName === 'default' ? command : `${command} --profile ${profileName}`;
}
