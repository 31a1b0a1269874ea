import { Command, defineCommand, examples, Option } from '../cli/command.js';
import { SANDBOX_FLAG_HELP } from '../cli/local-sandbox.js';

export default defineCommand(
  () =>
    new Command('login')
      .description('Verify an Apriora API key and keep it in the OS keychain')
      .option('--api-key-stdin', 'read the API key from standard input')
      .option('--base-url <url>', 'Apriora API base URL (a sandbox or emulator)')
      .addOption(
        new Option('--modality <modality>', 'default interview modality of this profile (given alone, the stored key is kept)').choices([
          'phone',
          'video',
        ] as const),
      )
      .option('--sandbox', SANDBOX_FLAG_HELP.apriora)
      .option('--insecure-storage', 'keep the key in a 0600 file in the config dir instead of the keychain')
      .addHelpText('after', examples('apriora login', 'printf "%s\\n" "$APRIORA_KEY" | apriora login --api-key-stdin --modality video')),
  async (options, ctx) => {
    const [
      { DEFAULT_APRIORA_BASE_URL },
      { parseBaseUrl },
      { baseUrlFromEnv, verifyAprioraKey },
      { sandboxAprioraUrl },
      { askSecret },
      { chooseSecretStore, saveSecrets },
      { readStdinLines },
    ] = await Promise.all([
      import('../apriora/partner.js'),
      import('../tracker/hosts.js'),
      import('../workflows/connections.js'),
      import('../cli/local-sandbox.js'),
      import('../cli/prompt.js'),
      import('../cli/save-secrets.js'),
      import('../cli/stdin.js'),
    ]);
    const { factory } = ctx;
    const profiles = await factory.profiles();
    const profile = profiles.get(ctx.profileName) ?? {};
    const baseUrl = options.baseUrl
      ? parseBaseUrl(options.baseUrl)
      : (baseUrlFromEnv(ctx.env, 'apriora.baseUrl') ??
        profile.apriora?.baseUrl ??
        (options.sandbox ? sandboxAprioraUrl(profile.tracker?.baseUrl) : DEFAULT_APRIORA_BASE_URL));
    const labels = { what: 'the Apriora API key', envHint: 'APRIORA_API_KEY' };
    // Only the default modality changes: the key the profile holds is kept (checked, not asked for again).
    const modalityOnly =
      options.modality !== undefined &&
      !options.apiKeyStdin &&
      ctx.env.APRIORA_API_KEY === undefined &&
      !options.baseUrl &&
      !options.sandbox &&
      !options.insecureStorage;
    const keptKey = modalityOnly ? (await factory.aprioraTarget()).apiKey?.value : undefined;
    // Before the key is asked for: where it will go, and that it can be reached.
    const kind = keptKey ? factory.storeKind(profile) : await chooseSecretStore(ctx, options.insecureStorage ? 'file' : factory.storeToSaveIn(profile), labels);
    const apiKey =
      keptKey ??
      (options.apiKeyStdin
        ? (await readStdinLines(ctx.stdin, 1, ['--api-key-stdin'], ctx.signal))[0]!
        : (ctx.env.APRIORA_API_KEY ?? (await askSecret(ctx, 'Apriora API key', { flag: '--api-key-stdin', env: 'APRIORA_API_KEY' }))));

    // Verify before storing anything: a rejected key leaves the profile as it was.
    await verifyAprioraKey(await factory.aprioraClient(baseUrl, apiKey), baseUrl, ctx.signal);

    const stored = keptKey ? { kind, where: '' } : await saveSecrets(ctx, kind, { 'apriora.apiKey': apiKey }, labels);
    profiles.update(ctx.profileName, (current) => ({
      ...current,
      sandbox: options.sandbox ?? current.sandbox,
      credentialStore: keptKey ? current.credentialStore : stored.kind === 'memory' ? undefined : stored.kind,
      apriora: {
        ...current.apriora,
        baseUrl: baseUrl === DEFAULT_APRIORA_BASE_URL ? undefined : baseUrl,
        ...(options.modality ? { defaultModality: options.modality } : {}),
      },
    }));
    const modality = options.modality ?? profile.apriora?.defaultModality ?? null;
    return {
      data: { profile: ctx.profileName, host: baseUrl, credentialStore: stored.kind, defaultModality: modality, keyKept: keptKey !== undefined },
      render: () => {
        const { green } = ctx.out.colors;
        ctx.out.line(`${green('✓')} Logged in to Apriora at ${baseUrl} (profile "${ctx.profileName}")`);
        if (keptKey) ctx.out.line(`${green('✓')} API key kept: the one the profile holds still works`);
        else ctx.out.line(`${green('✓')} API key saved in the ${stored.kind === 'file' ? `credentials file ${stored.where}` : 'OS keychain'}`);
        if (modality) ctx.out.line(`${green('✓')} Interviews default to ${modality}`);
      },
    };
  },
);
