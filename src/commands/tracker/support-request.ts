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
      .addHelpText(
        'after',
        examples(
          'apriora tracker support-request credentials --company "Acme Staffing"',
          'apriora tracker support-request custom-activity --company "Acme Staffing" | pbcopy',
        ),
      ),
  async (options, ctx, [kind]) => {
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new InputError(`Unknown request "${kind}": choose credentials or custom-activity`, {
        hint: 'apriora tracker support-request credentials | custom-activity',
      });
    }
    const { credentialsRequest, customActivityRequest } = await import('../../workflows/support-request.js');
    const company = options.company?.trim() || '<company name>';
    const request = (kind as Kind) === 'credentials' ? credentialsRequest(company) : customActivityRequest(company);
    return {
      data: { kind, ...request },
      render: () => {
        ctx.out.line(`Subject: ${request.subject}\n\n${request.body}`);
      },
    };
  },
);
