import { Command, defineCommand, examples } from '../../cli/command.js';
import { InputError } from '../../errors.js';

const KINDS = ['credentials', 'custom-activity'] as const;
type Kind = (typeof KINDS)[number];

export default defineCommand(
  () =>
    new Command('support-request')
      .description('Print a ready-to-send request to Tracker Support: API credentials, or the custom activity')
      .argument('<what>', 'credentials | custom-activity')
      .option('--company <name>', 'the customer company named in the request')
      .option(
        '--only-fields <names>',
        'custom-activity: the activity type exists; ask only for these fields on it (comma-separated: overall-score, report-link, grading-criteria, feedback)',
      )
      .addHelpText(
        'after',
        examples(
          'apriora tracker support-request credentials --company "Acme Staffing"',
          'apriora tracker support-request custom-activity --company "Acme Staffing" | pbcopy',
          'apriora tracker support-request custom-activity --only-fields feedback --company "Acme Staffing"',
        ),
      ),
  async (options, ctx, [kind]) => {
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new InputError(`Unknown request "${kind}": choose credentials or custom-activity`, {
        hint: 'apriora tracker support-request credentials | custom-activity',
      });
    }
    const [{ credentialsRequest, customActivityRequest }, { parseFieldNames }] = await Promise.all([
      import('../../workflows/support-request.js'),
      import('../../workflows/field-map.js'),
    ]);
    if (options.onlyFields !== undefined && kind !== 'custom-activity') {
      throw new InputError('--only-fields goes with custom-activity', { hint: 'apriora tracker support-request custom-activity --only-fields feedback' });
    }
    const company = options.company?.trim() || '<company name>';
    const fields = options.onlyFields === undefined ? undefined : parseFieldNames(options.onlyFields, '--only-fields');
    const activityType = fields ? (await ctx.factory.profile())?.tracker?.activityType : undefined;
    const request = (kind as Kind) === 'credentials' ? credentialsRequest(company) : customActivityRequest(company, { activityType, fields });
    return {
      data: { kind, ...request },
      render: () => {
        ctx.out.line(`Subject: ${request.subject}\n\n${request.body}`);
      },
    };
  },
);
