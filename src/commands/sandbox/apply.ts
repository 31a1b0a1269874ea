import { Command, defineCommand, examples, positiveInt } from '../../cli/command.js';
import { LOCAL_SANDBOX_URL } from '../../cli/local-sandbox.js';
import { InputError, RemoteError } from '../../errors.js';

const command = () =>
  new Command('apply')
    .description('Simulate a candidate applying to a job in a running sandbox (adds an applicant row)')
    .requiredOption('--job <id>', 'Tracker job id', positiveInt)
    .option('--email <email>', "the candidate's e-mail (a known one reuses that candidate; none: a candidate without e-mail)")
    .option('--first-name <name>', "a new candidate's first name")
    .option('--last-name <name>', "a new candidate's last name")
    .option('--phone <phone>', "a new candidate's phone, as a recruiter would type it")
    .option('--status <status>', 'the pipeline status: Applied, Shortlisted, Interview, Offered, Placed or Rejected', 'Applied')
    .option('--sandbox-url <url>', `the running sandbox (default: the profile's, when it is a sandbox profile, else ${LOCAL_SANDBOX_URL})`)
    .addHelpText(
      'after',
      examples(
        'apriora sandbox apply --job 3101 --email ada@example.com --first-name Ada --last-name Lovelace --phone "(617) 555-0199"',
        'apriora sandbox apply --job 3101 --email olivia.bennett@example.com --status Shortlisted',
      ),
    );

interface Applied {
  application: {
    opportunityResourceId: number;
    opportunityId: number;
    opportunityName: string;
    opportunityResourceStatusName: string;
  };
  candidate: { candidateId: number; name: string; email: string; created: boolean };
}

/** A candidate applies to a job in a running sandbox, as through the customer's careers site. */
export default defineCommand(command, async (options, ctx) => {
  if (options.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email)) {
    throw new InputError(`--email "${options.email}" is not an e-mail address`);
  }
  const { sandboxAdmin } = await import('../../cli/sandbox-admin.js');
  const sandbox = await sandboxAdmin(ctx, options.sandboxUrl);
  const response = await sandbox.request({
    method: 'POST',
    path: '/__sandbox/applications',
    json: {
      jobId: options.job,
      email: options.email,
      firstName: options.firstName,
      lastName: options.lastName,
      phone: options.phone,
      status: options.status,
    },
    idempotent: false,
    signal: ctx.signal,
  });
  if (response.status !== 201) {
    const error = (response.body as { error?: { message?: string; applicationId?: number } } | undefined)?.error;
    const message = error?.message ?? response.text.slice(0, 300);
    if (response.status === 404) throw new InputError(message, { hint: 'List the jobs with `apriora tracker jobs list`.' });
    if (response.status === 400) throw new InputError(message);
    if (response.status === 409) {
      throw new InputError(message, { code: 'already_applied', details: { applicationId: error?.applicationId ?? null } });
    }
    throw new RemoteError(`The sandbox answered HTTP ${response.status}: ${message}`);
  }
  const applied = response.body as Applied;
  return {
    data: applied,
    render: () => {
      const { green } = ctx.out.colors;
      const { application, candidate } = applied;
      const who = `${candidate.name || 'A candidate'}${candidate.email ? ` <${candidate.email}>` : ''}`;
      ctx.out.line(
        `${green('✓')} ${who} applied to job ${application.opportunityId} (${application.opportunityName}): application ` +
          `${application.opportunityResourceId}, ${application.opportunityResourceStatusName}` +
          `${candidate.created ? `, new candidate ${candidate.candidateId}` : `, candidate ${candidate.candidateId}`}`,
      );
    },
  };
});
