import { RemoteError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http/client.js';
import { parseBaseUrl } from '../tracker/hosts.js';
import type { Context } from './context.js';
import { LOCAL_SANDBOX_URL } from './local-sandbox.js';

/**
 * The admin API of a running sandbox, for the commands that play a candidate's part (`sandbox apply`,
 * `sandbox complete`): at `--sandbox-url`, else the Tracker URL of the profile when it is a sandbox profile (a sandbox
 * started on another port), else the default address.
 */
/** `secrets`: values sent that must never show in a trace (a webhook's signing secret). */
export async function sandboxAdmin(
  ctx: Context,
  flag: string | undefined,
  secrets: (string | undefined)[] = [],
): Promise<{ url: string; request: (req: HttpRequest) => Promise<HttpResponse> }> {
  let url: string;
  if (flag !== undefined) url = parseBaseUrl(flag, '--sandbox-url');
  else {
    const profile = await ctx.factory.profile();
    url =
      profile?.sandbox && profile.tracker?.baseUrl
        ? parseBaseUrl(profile.tracker.baseUrl, `the Tracker URL of profile "${ctx.profileName}"`)
        : LOCAL_SANDBOX_URL;
  }
  const http = await ctx.factory.http({ baseUrl: url, service: 'Sandbox' });
  for (const secret of secrets) http.addSecret(secret);
  const request = async (req: HttpRequest) => {
    try {
      return await http.request(req);
    } catch (error) {
      if (error instanceof RemoteError && (error.code === 'network_error' || error.code === 'timeout')) {
        throw new RemoteError(`No sandbox answers at ${url}: ${error.message}`, {
          code: error.code,
          hint: `Start one with \`apriora sandbox start\`, or point at the running one with --sandbox-url <url>.`,
          cause: error,
        });
      }
      throw error;
    }
  };
  return { url, request };
}
