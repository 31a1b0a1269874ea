import type { TrackerIntegration, TrackerIntegrationCredentials } from '../apriora/partner.js';
import type { Region } from '../tracker/hosts.js';
import { ACTIVITY_FIELDS, type FieldMap } from './field-map.js';

/**
 * What Apriora's Tracker integration is given (the guide's "enter these credentials in Settings > Integrations >
 * Tracker"): the Tracker credentials and region, the activity type and its four field ids.
 */
export interface IntegrationPayload {
  credentials: TrackerIntegrationCredentials;
  activityType: string;
  activityFields: Record<keyof FieldMap, number>;
}

export function integrationPayload(
  credentials: { apiKey: string; username: string; password: string },
  region: Region | undefined,
  activityType: string,
  fieldMap: FieldMap,
): IntegrationPayload {
  return {
    credentials: { ...credentials, region: region ?? null },
    activityType,
    activityFields: {
      overallScore: Number(fieldMap.overallScore),
      reportLink: Number(fieldMap.reportLink),
      gradingCriteria: Number(fieldMap.gradingCriteria),
      feedback: Number(fieldMap.feedback),
    },
  };
}

/** The payload as lines for a person, secrets as `shown` masks them. */
export function integrationSummary(host: string, payload: IntegrationPayload, shown: IntegrationPayload): [string, string | number][] {
  return [
    ['Tracker host', host],
    ['Region', payload.credentials.region ?? '(custom base URL)'],
    ['API Username', payload.credentials.username],
    ['API Key', shown.credentials.apiKey],
    ['API Password', shown.credentials.password],
    ['Activity type', payload.activityType],
    ...ACTIVITY_FIELDS.map((field): [string, number] => [field.label, payload.activityFields[field.key]]),
  ];
}

/**
 * How what Apriora holds differs from the payload, as short phrases in the past tense (they are printed after the
 * payload was sent, describing what it replaced); empty when it holds these credentials' username
 * and region and the same activity type and fields. Apriora never returns the secrets, so a key or password changed
 * under the same username cannot be seen here.
 */
export function integrationDifferences(held: TrackerIntegration, payload: IntegrationPayload): string[] {
  const differences: string[] = [];
  if (!held.hasCredentials) differences.push('it held no Tracker credentials');
  else if ((held.username ?? '').toLowerCase() !== payload.credentials.username.toLowerCase()) {
    differences.push(`it held the credentials of ${held.username ?? 'another user'}`);
  } else if ((held.region ?? null) !== payload.credentials.region) differences.push(`its region was ${held.region ?? 'none'}`);
  if (held.activityType.trim().toLowerCase() !== payload.activityType.trim().toLowerCase()) differences.push(`its activity type was "${held.activityType}"`);
  const fields = ACTIVITY_FIELDS.filter((field) => held.activityFields[field.key] !== payload.activityFields[field.key]);
  if (fields.length) differences.push(`it held other field ids for ${fields.map((field) => field.label).join(', ')}`);
  return differences;
}
