import { InputError } from '../errors.js';
import { effectiveBurst } from '../lib/pace.js';

export const REGIONS = ['us', 'ca', 'uk'] as const;
export type Region = (typeof REGIONS)[number];

/** Widget API hosts by region (`apriora help api`). "uk" also serves the rest of the world. */
export const WIDGET_HOSTS: Record<Region, string> = {
  us: 'https://evoapius.tracker-rms.com',
  ca: 'https://evoapica.tracker-rms.com',
  uk: 'https://evoapi.tracker-rms.com',
};

/** Client-side limit of Tracker requests per minute: just under the ~100 a minute integrators report. */
export const DEFAULT_TRACKER_RATE_LIMIT = 90;

/** The pace of a profile's Tracker requests: its limit a minute and how many may go at once after a pause. */
export function trackerPace(settings: { rateLimitPerMinute?: number | undefined; rateBurst?: number | undefined } | undefined): {
  perMinute: number;
  burst: number;
} {
  const perMinute = settings?.rateLimitPerMinute ?? DEFAULT_TRACKER_RATE_LIMIT;
  return { perMinute, burst: effectiveBurst(perMinute, settings?.rateBurst) };
}

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

export function parseRegion(value: string, source = '--region'): Region {
  const region = value.trim().toLowerCase();
  if (!isRegion(region)) {
    throw new InputError(`${source} must be one of ${REGIONS.join(', ')}, not "${value}"`, {
      hint: 'Use --region us (United States), ca (Canada) or uk (United Kingdom and the rest of the world).',
    });
  }
  return region;
}

export function parseBaseUrl(value: string, source = '--base-url'): string {
  // Whatever sits between "//" and "@" may be a password: it is never echoed back.
  const shown = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${source} is not a URL: "${shown}"`, { hint: 'Give a full URL such as http://127.0.0.1:4010' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${source} must be an http(s) URL, not "${shown}"`);
  }
  if (url.username !== '' || url.password !== '' || shown !== value) {
    throw new InputError(`${source} must not hold a user name or password: "${shown}"`, {
      code: 'credentials_in_url',
      hint: 'Give the URL without "user:password@"; credentials go in with the login (piped on stdin, or in the environment).',
    });
  }
  return url.toString().replace(/\/+$/, '');
}

/** A base-URL override (sandbox, emulator) wins over the region. */
export function trackerBaseUrl(target: { region?: Region | undefined; baseUrl?: string | undefined }): string {
  return target.baseUrl ?? WIDGET_HOSTS[target.region ?? 'us'];
}
