/** Where `apriora sandbox start` listens by default: what `login --sandbox` points a new profile at. */
export const LOCAL_SANDBOX_HOST = '127.0.0.1';
export const LOCAL_SANDBOX_PORT = 4010;
export const LOCAL_SANDBOX_URL = `http://${LOCAL_SANDBOX_HOST}:${LOCAL_SANDBOX_PORT}`;
export const LOCAL_SANDBOX_APRIORA_URL = `${LOCAL_SANDBOX_URL}/apriora/v1/api`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Where `--sandbox` points Apriora when no Apriora URL is given or saved: the local sandbox serves it beside Tracker,
 * at `<Tracker URL's origin>/apriora/v1/api`, so a Tracker URL on this machine (another port) gives its own; any other
 * Tracker URL gives the default sandbox's.
 */
export function sandboxAprioraUrl(trackerBaseUrl: string | undefined): string {
  if (!trackerBaseUrl) return LOCAL_SANDBOX_APRIORA_URL;
  try {
    const url = new URL(trackerBaseUrl);
    return LOOPBACK_HOSTS.has(url.hostname) ? `${url.origin}/apriora/v1/api` : LOCAL_SANDBOX_APRIORA_URL;
  } catch {
    return LOCAL_SANDBOX_APRIORA_URL;
  }
}

/** The help of `--sandbox`: what it does to the hosts as well as to confirmations. */
export const SANDBOX_FLAG_HELP = {
  tracker: `the local sandbox: its URL by default (${LOCAL_SANDBOX_URL}), and mark the profile as a sandbox: writes need no confirmation`,
  apriora:
    "the local sandbox: its Apriora URL by default (<the profile's Tracker URL>/apriora/v1/api when that is on this machine, else " +
    `${LOCAL_SANDBOX_APRIORA_URL}), and mark the profile as a sandbox: writes need no confirmation`,
  onboard:
    `the local sandbox: its URLs by default (Tracker ${LOCAL_SANDBOX_URL}, Apriora <Tracker URL>/apriora/v1/api when Tracker is on this ` +
    'machine), and mark the profile as a sandbox: writes need no confirmation',
} as const;
