import type { AprioraStatus, TrackerStatus } from '../workflows/connections.js';
import type { HumanOutput } from './output.js';

/** The Tracker block of `status` and `tracker status`. */
export function renderTrackerStatus(out: HumanOutput, data: TrackerStatus): void {
  const { green, red, dim } = out.colors;
  const source = (value: string | null) => value ?? red('missing');
  out.fields([
    ['Host', data.host],
    ['Username', `${data.username ?? red('missing')}${data.credentialSources.username ? dim(` (from ${data.credentialSources.username})`) : ''}`],
    ['API Key', source(data.credentialSources.apiKey)],
    ['API Password', source(data.credentialSources.password)],
    ['Logon', data.logon.ok ? green('✓ accepted by Tracker') : red(`✗ ${data.logon.error?.message ?? 'not checked'}`)],
    ['REST host', `${data.rest.host}${data.rest.hostSource === 'default' ? '' : dim(` (from ${data.rest.hostSource})`)}`],
    [
      'REST token',
      data.credentialSources.restToken
        ? `${data.credentialSources.restToken} ${data.rest.auth?.ok ? green('✓ accepted by Tracker') : red(`✗ ${data.rest.auth?.error?.message ?? 'not checked'}`)}`
        : dim('not set (only the applicant commands need it)'),
    ],
    ['Phone country', data.defaultCountry],
    [
      'Request pace',
      `${data.pace.perMinute} a minute, ${data.pace.burst} at once after a pause ${dim('(this process; tracker login --rate-limit, --rate-burst)')}`,
    ],
    ['Jobs are called', data.namingConventions ? (data.namingConventions.opportunity ?? '-') : null],
    ['Candidates are called', data.namingConventions ? (data.namingConventions.resource ?? '-') : null],
    [
      'Field map',
      data.fieldMap
        ? `${green('complete')} ${dim(`(activity "${data.activityType ?? 'Apriora Interview'}")`)}`
        : red('not mapped — run `apriora tracker fields map`'),
    ],
  ]);
}

/** The Apriora block of `status`. */
export function renderAprioraStatus(out: HumanOutput, data: AprioraStatus): void {
  const { green, red, yellow } = out.colors;
  const integration = data.trackerIntegration;
  out.fields([
    ['Host', data.host],
    ['API key', data.apiKeySource ?? red('missing')],
    ['Key', data.auth.ok ? green('✓ accepted by Apriora') : red(`✗ ${data.auth.error?.message ?? 'not checked'}`)],
    ['Default modality', data.defaultModality],
    [
      'Tracker integration',
      integration
        ? integration.hasCredentials
          ? `${green('connected')}${integration.activityFieldsComplete ? '' : yellow(' (activity fields not mapped)')}`
          : yellow('not connected — run `apriora tracker connect`')
        : null,
    ],
  ]);
}
