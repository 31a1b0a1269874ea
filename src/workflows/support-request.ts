import { ACTIVITY_FIELDS, DEFAULT_ACTIVITY_TYPE } from './field-map.js';

/** The e-mails a customer sends Tracker Support: API access, and the custom activity with its four fields. */

/** Field types we ask for: the score is a number, the link a URL, the rest long text. */
const FIELD_TYPES: Record<string, string> = {
  overallScore: 'Number (0-100)',
  reportLink: 'URL / text',
  gradingCriteria: 'Long text (memo)',
  feedback: 'Long text (memo)',
};

export function credentialsRequest(company: string) {
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

export function customActivityRequest(company: string) {
  const width = Math.max(...ACTIVITY_FIELDS.map((field) => field.label.length));
  return {
    subject: `Custom activity type "${DEFAULT_ACTIVITY_TYPE}" for the Apriora integration — ${company}`,
    body: [
      'Hello Tracker Support,',
      '',
      `${company} uses Apriora's AI interviews with Tracker RMS. To record each completed interview on the`,
      'candidate, could you please add to our database:',
      '',
      `  1. a custom activity type named "${DEFAULT_ACTIVITY_TYPE}", and`,
      '  2. these custom fields on that activity type:',
      '',
      ...ACTIVITY_FIELDS.map((field) => `       ${field.label.padEnd(width)}  ${FIELD_TYPES[field.key]}`),
      '',
      'Once they exist, we read their ids through the API (getSettingsData) and map them ourselves; nothing else',
      'needs to change.',
      '',
      'Thank you,',
      `${company}`,
    ].join('\n'),
  };
}
