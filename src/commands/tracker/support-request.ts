import type { Context } from '../../cli/context.js';
import type { SupportRequestOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { InputError } from '../../errors.js';
import { ACTIVITY_FIELDS, DEFAULT_ACTIVITY_TYPE } from '../../workflows/field-map.js';

const KINDS = ['credentials', 'custom-activity'] as const;
type Kind = (typeof KINDS)[number];

/** Field types we ask for: the score is a number, the link a URL, the rest long text. */
const FIELD_TYPES: Record<string, string> = {
  overallScore: 'Number (0-100)',
  reportLink: 'URL / text',
  gradingCriteria: 'Long text (memo)',
  feedback: 'Long text (memo)',
};

export default async function supportRequest(options: SupportRequestOptions, ctx: Context, args: string[]): Promise<CommandResult> {
  const kind = args[0];
  if (!(KINDS as readonly string[]).includes(kind ?? '')) {
    throw new InputError(`Unknown request "${kind}": choose credentials or custom-activity`, {
      hint: 'apriora tracker support-request credentials | custom-activity',
    });
  }
  const company = options.company?.trim() || '<company name>';
  const request = (kind as Kind) === 'credentials' ? credentialsRequest(company) : customActivityRequest(company);
  return {
    data: { kind, ...request },
    render: () => {
      ctx.out.line(`Subject: ${request.subject}\n\n${request.body}`);
    },
  };
}

function credentialsRequest(company: string) {
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

function customActivityRequest(company: string) {
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
