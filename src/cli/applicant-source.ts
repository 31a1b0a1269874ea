import { AuthError } from '../errors.js';
import type { ApplicantSource } from '../workflows/applicants.js';
import type { Context } from './context.js';

/**
 * The profile's Tracker REST client, which reads the applicant rows (`ctx.factory.trackerRest()`), or an AuthError
 * (exit 4) saying how to get a REST API token when this build has no REST client.
 */
export async function applicantSource(ctx: Context): Promise<ApplicantSource> {
  const factory = ctx.factory as Context['factory'] & { trackerRest?: () => Promise<ApplicantSource> };
  if (typeof factory.trackerRest !== 'function') {
    throw new AuthError("Tracker's applicants are read with its REST API, which needs a REST API token", {
      code: 'tracker_rest_unavailable',
      hint:
        "The customer's Tracker admin generates one under Tools & Settings → Security Settings → API (generating a new one revokes the old); " +
        'log it in with `apriora tracker login --rest-token-stdin` or TRACKER_REST_TOKEN.',
    });
  }
  return factory.trackerRest();
}
