import type { Region } from '../tracker/hosts.js';
import type { Context } from './context.js';

/** On a terminal: where the customer's Tracker database is hosted. Off a terminal: exit 2 naming --region and --base-url. */
export async function askRegion(ctx: Context): Promise<{ region: Region; baseUrl: undefined }> {
  const [{ WIDGET_HOSTS }, { choose }] = await Promise.all([import('../tracker/hosts.js'), import('./prompt.js')]);
  const region = await choose<Region>(
    ctx,
    'Where is the Tracker database hosted?',
    [
      { name: 'United States', value: 'us', description: WIDGET_HOSTS.us },
      { name: 'Canada', value: 'ca', description: WIDGET_HOSTS.ca },
      { name: 'United Kingdom and rest of the world', value: 'uk', description: WIDGET_HOSTS.uk },
    ],
    { flag: '--region us|ca|uk or --base-url URL', env: 'TRACKER_REGION', what: 'The Tracker region' },
  );
  return { region, baseUrl: undefined };
}
