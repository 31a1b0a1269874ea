import { aprioraClient, APRIORA_DEFAULT_BASE_URL, baseUrlFromEnv, openProfileStore, storeKindFor, type StoreKind } from '../cli/factory.js';
import type { Context } from '../cli/context.js';
import type { AprioraLoginOptions } from '../cli/program.js';
import { askSecret } from '../cli/prompt.js';
import type { CommandResult } from '../cli/run.js';
import { saveSecrets } from '../cli/save-secrets.js';
import { readStdinLines } from '../cli/stdin.js';
import { InputError, NotFoundError } from '../errors.js';
import { parseBaseUrl } from '../tracker/hosts.js';

/** Where `apriora sandbox start` serves the Apriora emulator by default; the sandbox module is loaded only when needed. */
async function localSandboxAprioraUrl(): Promise<string> {
  const { APRIORA_API_PREFIX, SANDBOX_DEFAULT_ADDRESS } = await import('../sandbox/index.js');
  return `${SANDBOX_DEFAULT_ADDRESS.url}${APRIORA_API_PREFIX}`;
}

export default async function login(options: AprioraLoginOptions, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName) ?? {};
  const baseUrl = options.baseUrl ? parseBaseUrl(options.baseUrl)
    : baseUrlFromEnv(ctx, 'apriora.baseUrl')
    ?? profile.apriora?.baseUrl ?? (options.sandbox ? await localSandboxAprioraUrl() : APRIORA_DEFAULT_BASE_URL);
  const apiKey = options.apiKeyStdin
    ? (await readStdinLines(ctx.stdin, 1, ['--api-key-stdin']))[0]!
    : ctx.env.APRIORA_API_KEY ?? await askSecret(ctx, 'Apriora API key', { flag: '--api-key-stdin', env: 'APRIORA_API_KEY' });

  // Verify before storing anything: a rejected key leaves the profile as it was.
  await (await aprioraClient(ctx, baseUrl, apiKey)).verifyKey(ctx.signal).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      throw new InputError(`${baseUrl} does not look like the Apriora API: it has no ${'/templates'} endpoint`, {
        hint: 'Check --base-url: it ends in /v1/api (the sandbox serves Apriora at <sandbox URL>/apriora/v1/api).',
      });
    }
    throw error;
  });

  const kind: StoreKind = options.insecureStorage ? 'file' : storeKindFor(ctx, profile);
  const stored = await saveSecrets(ctx, kind, { 'apriora.apiKey': apiKey }, { what: 'the Apriora API key', envHint: 'APRIORA_API_KEY' });
  profiles.update(ctx.profileName, (current) => ({
    ...current,
    sandbox: options.sandbox ?? current.sandbox,
    credentialStore: stored.kind === 'memory' ? undefined : stored.kind,
    apriora: {
      ...current.apriora,
      baseUrl: baseUrl === APRIORA_DEFAULT_BASE_URL ? undefined : baseUrl,
      ...(options.modality ? { defaultModality: options.modality } : {}),
    },
  }));
  const modality = options.modality ?? profile.apriora?.defaultModality ?? null;
  return {
    data: { profile: ctx.profileName, host: baseUrl, credentialStore: stored.kind, defaultModality: modality },
    render: () => {
      const { green } = ctx.out.colors;
      ctx.out.line(`${green('✓')} Logged in to Apriora at ${baseUrl} (profile "${ctx.profileName}")`);
      ctx.out.line(`${green('✓')} API key saved in the ${stored.kind === 'file' ? `credentials file ${stored.where}` : 'OS keychain'}`);
      if (modality) ctx.out.line(`${green('✓')} Interviews default to ${modality}`);
    },
  };
}
