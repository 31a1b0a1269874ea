import { ACTIVITY_FIELDS, DEFAULT_ACTIVITY_TYPE, type FieldKey } from './field-map.js';

/** The e-mails a customer sends Tracker Support: API access, and the custom activity with its four fields. */

/** Field types we ask for: the score is a number, the link a URL, the rest long text. */
const FIELD_TYPES: Record<string, string> = {
  overallScore: 'Number (0-100)',
  reportLink: 'URL / text',
  gradingCriteria: 'Long text (memo)',
  feedback: 'Long text (memo)',
};

export function credentialsRequest(companyName: string) {
  const company = oneLine(companyName);
  return {
    subject: `API credentials for the Apriora integration — ${company}`,
    body: [
      'Hello Tracker Support,',
      '',
      `${company} is connecting its Tracker RMS database to Apriora, which runs AI interviews for our jobs and writes`,
      'the results back into Tracker. Could you please issue API access for this integration:',
      '',
      '  - an API Key,',
      '  - an API Username (a dedicated, active API user) and',
      '  - its API Password,',
      '',
      'for the Widget API of our database, and tell us which data centre hosts it (United States, Canada, or',
      'United Kingdom / rest of the world)?',
      '',
      'The integration reads jobs and candidates, creates candidates who complete an interview, and logs an',
      `"${DEFAULT_ACTIVITY_TYPE}" activity with the results. It stays under 100 requests per minute.`,
      '',
      'Thank you,',
      `${company}`,
    ].join('\n'),
  };
}

/** What Tracker lacks: by default the whole activity type; with `fields`, only those fields on the existing `activityType`. */
export interface MissingInTracker {
  activityType?: string;
  fields?: readonly FieldKey[];
}

export function customActivityRequest(companyName: string, missing: MissingInTracker = {}) {
  const company = oneLine(companyName);
  const activityType = missing.activityType ?? DEFAULT_ACTIVITY_TYPE;
  const fieldsOnly = missing.fields !== undefined && missing.fields.length > 0;
  const fields = fieldsOnly ? ACTIVITY_FIELDS.filter((field) => missing.fields?.includes(field.key)) : ACTIVITY_FIELDS;
  const width = Math.max(...fields.map((field) => field.label.length));
  const listed = fields.map((field) => `       ${field.label.padEnd(width)}  ${FIELD_TYPES[field.key]}`);
  const ask = fieldsOnly
    ? [
        `candidate, could you please add ${fields.length === 1 ? 'this custom field' : 'these custom fields'} to the existing activity type`,
        `"${activityType}" in our database:`,
        '',
        ...listed,
      ]
    : [
        'candidate, could you please add to our database:',
        '',
        `  1. a custom activity type named "${activityType}", and`,
        '  2. these custom fields on that activity type:',
        '',
        ...listed,
      ];
  const names = fields.map((field) => `"${field.label}"`).join(', ');
  return {
    subject: fieldsOnly
      ? `Custom field${fields.length === 1 ? '' : 's'} ${names} on the activity type "${activityType}" for the Apriora integration — ${company}`
      : `Custom activity type "${activityType}" for the Apriora integration — ${company}`,
    body: [
      'Hello Tracker Support,',
      '',
      `${company} uses Apriora's AI interviews with Tracker RMS. To record each completed interview on the`,
      ...ask,
      '',
      `Once ${fieldsOnly && fields.length === 1 ? 'it exists' : 'they exist'}, we read ${fieldsOnly && fields.length === 1 ? 'its id' : 'their ids'} through the API (getSettingsData) and map them ourselves; nothing else`,
      'needs to change.',
      '',
      'Thank you,',
      `${company}`,
    ].join('\n'),
  };
}

/** The company name as one line: a line break in it must not start a new header line (a forged `Bcc:`) in the e-mail. */
function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}
