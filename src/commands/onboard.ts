import { Command, defineCommand, examples, Option } from '../cli/command.js';
import { SANDBOX_FLAG_HELP } from '../cli/local-sandbox.js';

export default defineCommand(
  () =>
    new Command('onboard')
      .description('Onboard a customer step by step: Tracker login, field map, Apriora login, integration, automations, then doctor')
      .addOption(new Option('--region <region>', 'Tracker data centre (or TRACKER_REGION)').choices(['us', 'ca', 'uk'] as const))
      .option('--base-url <url>', 'Tracker Widget API base URL, a sandbox or emulator (or TRACKER_BASE_URL); overrides --region')
      .option('--username <email>', 'Tracker API Username (or TRACKER_USERNAME)')
      .option('--sandbox', SANDBOX_FLAG_HELP.onboard)
      .option('--insecure-storage', 'keep typed secrets in a 0600 file in the config dir instead of the keychain')
      .option('--apriora-base-url <url>', 'Apriora API base URL, a sandbox or emulator (or APRIORA_BASE_URL)')
      .addOption(new Option('--modality <modality>', 'default interview modality of this profile').choices(['phone', 'video'] as const))
      .option('--overall-score <id>', 'customfield id of "Overall Score", when the name is ambiguous')
      .option('--report-link <id>', 'customfield id of "Report link", when the name is ambiguous')
      .option('--grading-criteria <id>', 'customfield id of "Grading Criteria", when the name is ambiguous')
      .option('--feedback <id>', 'customfield id of "Feedback", when the name is ambiguous')
      .addOption(
        new Option('--automations <which>', "switch on Apriora's automations (none keeps them as they are)").choices([
          'none',
          'invites',
          'interviews',
          'both',
        ] as const),
      )
      .option('--company <name>', 'the customer company named in a request to Tracker Support')
      .addHelpText(
        'after',
        `${examples(
          'apriora onboard --profile acme',
          'apriora onboard --profile acme --region us --username api.user@acme.com --modality phone',
          'TRACKER_API_KEY=… TRACKER_PASSWORD=… APRIORA_API_KEY=… apriora onboard --profile acme --no-input --region us --username api@acme.com --modality video --automations none',
          'apriora onboard --profile acme --json',
        )}
Each step is checked first and done only when missing, so it can run again at any time: on a profile that is set up
it writes nothing and says so. Secrets come from the environment (TRACKER_API_KEY, TRACKER_PASSWORD,
TRACKER_REST_TOKEN, APRIORA_API_KEY), the profile's store, or, at a terminal, a masked prompt; only typed ones are
stored. With the Tracker API Key and Password in the environment, on a profile that holds no secrets, the profile
is saved as \`tracker login --env-secrets\` saves it: it keeps only settings, no keychain is needed, and a later run
without the variables says which to set (the optional REST token then reads as not set, or set TRACKER_REST_TOKEN).
When Tracker Support must create the "Apriora Interview" activity or its fields, the request to send them is printed
and onboard stops with exit 2 (activity_type_missing, activity_fields_missing). Every stop prints the steps done so
far and the command to go on: it repeats this run's flags, so it can be run as it is. It ends with \`apriora doctor\`'s
checks.
`,
      ),
  async (options, ctx) => {
    const [{ onboard }, { explicitFieldIds }] = await Promise.all([import('../cli/onboard.js'), import('../cli/field-map-choice.js')]);
    return onboard(ctx, {
      region: options.region,
      baseUrl: options.baseUrl,
      username: options.username,
      sandbox: options.sandbox,
      insecureStorage: options.insecureStorage,
      aprioraBaseUrl: options.aprioraBaseUrl,
      modality: options.modality,
      automations: options.automations,
      company: options.company,
      fieldIds: explicitFieldIds(options),
    });
  },
);
