import { REGIONS, type Region, WIDGET_HOSTS } from './hosts.js';

/*
 * Where Tracker's REST API is and how a profile gets its token: what `status` and the logins need without loading
 * the REST client (src/tracker/rest.ts).
 */

/** REST API hosts by region. */
export const REST_HOSTS: Record<Region, string> = {
  us: 'https://evousapi.tracker-rms.com',
  ca: 'https://evocaapi.tracker-rms.com',
  uk: 'https://evoglapi.tracker-rms.com',
};

/** Where a sandbox or emulator serving the Widget API at a base-URL override serves the REST API. */
export const REST_OVERRIDE_PREFIX = '/tracker-rest';

/**
 * Where the customer's admin makes a REST API token, and how to add it to a profile that is logged in already (the
 * login reuses the profile's API Key and Password): `--profile <name>` in the commands unless it is the default one.
 */
export function restTokenHint(profileName = 'default', envOnly = false): string {
  const profile = profileName === 'default' ? '' : ` --profile ${profileName}`;
  if (envOnly) {
    // A profile logged in with --env-secrets stores nothing: a piped token would be refused.
    return (
      `Set TRACKER_REST_TOKEN: profile "${profileName}" keeps no secrets, it reads them from the environment. The customer's ` +
      'Tracker admin generates the REST API token under Tools & Settings → Security Settings → API.'
    );
  }
  return (
    "The customer's Tracker admin generates the REST API token under Tools & Settings → Security Settings → API " +
    '(one per database: generating a new one revokes the old one). Add it to the profile with ' +
    `\`printf '%s\\n' "$TOKEN" | apriora tracker login${profile} --rest-token-stdin\`, or \`apriora tracker login${profile} --with-rest-token\` ` +
    'at a terminal (the stored API Key and Password are kept), or set TRACKER_REST_TOKEN.'
  );
}

/** restTokenHint() of the default profile. */
export const REST_TOKEN_HINT = restTokenHint();

/**
 * The REST base URL when nothing overrides it: the region's REST host when the Widget API is a region's host, else
 * (a sandbox or emulator) the Widget base URL followed by REST_OVERRIDE_PREFIX.
 */
export function derivedRestBaseUrl(widgetBaseUrl: string): string {
  const widget = widgetBaseUrl.replace(/\/+$/, '');
  const region = REGIONS.find((name) => WIDGET_HOSTS[name] === widget);
  return region ? REST_HOSTS[region] : `${widget}${REST_OVERRIDE_PREFIX}`;
}

/** A candidate on a job (Tracker's OpportunityResource row), as this tool uses it. */
