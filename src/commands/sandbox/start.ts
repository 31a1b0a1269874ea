import { Command, defineCommand, examples, nonNegativeInt, port, positiveInt, rate } from '../../cli/command.js';
import { LOCAL_SANDBOX_HOST, LOCAL_SANDBOX_PORT } from '../../cli/local-sandbox.js';
import { InputError } from '../../errors.js';
import type { FaultKind } from '../../sandbox/index.js';

const command = () =>
  new Command('start')
    .description('Serve local emulators of the Tracker and Apriora APIs for demos, tests and CI')
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, LOCAL_SANDBOX_PORT)
    .option('--host <host>', 'address to listen on', LOCAL_SANDBOX_HOST)
    .option('--seed <file>', 'JSON seed file (jobs, candidates, settings)')
    .option('--jobs <n>', 'number of generated jobs when no seed file is given', positiveInt)
    .option('--latency <ms>', 'delay every answer by this many milliseconds', nonNegativeInt)
    .option('--fail-rate <r>', 'probability (0-1) that a request meets an injected fault', rate)
    .option('--faults <kinds>', 'comma-separated fault kinds for --fail-rate: 5xx,429,reset,after-commit', '5xx,429,reset')
    .option('--rate-limit <perMinute>', 'Tracker answers 429 beyond this many requests per minute', positiveInt)
    .addHelpText(
      'after',
      examples(
        'apriora sandbox start',
        'apriora sandbox start --port 0 --json',
        'apriora sandbox start --latency 50 --fail-rate 0.1 --faults 5xx,429,reset,after-commit',
      ),
    );

/** Serves until Ctrl-C or SIGTERM (the context's signal). The ready message is printed first (the envelope, with --json), then it blocks. */
export default defineCommand(command, async (options, ctx) => {
  const { writeJson } = await import('../../cli/output.js');
  const { startSandbox, generateTrackerSeed, readTrackerSeedFile, FAULT_KINDS } = await import('../../sandbox/index.js');
  const kinds = parseKinds(options.faults, FAULT_KINDS);
  if (options.seed && options.jobs) throw new InputError('--seed and --jobs cannot be used together');
  const seed = options.seed ? await readTrackerSeedFile(options.seed) : generateTrackerSeed({ jobs: options.jobs });
  const sandbox = await startSandbox({
    host: options.host,
    port: options.port,
    seed,
    faults: {
      latencyMs: options.latency,
      failRate: options.failRate,
      kinds,
      rateLimitPerMinute: options.rateLimit,
      // Tracker's reported ~100/minute is per database; Apriora publishes no limit.
      ...(options.rateLimit ? { rateLimitApi: 'tracker' } : {}),
    },
  }).catch(async (error: unknown) => {
    const { listenFault } = await import('../../system-errors.js');
    throw listenFault(error, { host: options.host, port: options.port }) ?? error;
  });

  const data = {
    trackerUrl: sandbox.trackerUrl,
    trackerRestUrl: sandbox.trackerRestUrl,
    aprioraUrl: sandbox.aprioraUrl,
    adminUrl: `${sandbox.url}/__sandbox`,
    credentials: sandbox.credentials,
    jobs: seed.jobs.length,
    faults: sandbox.faults.describe().options,
  };
  if (ctx.mode === 'table') {
    const { bold, dim } = ctx.out.colors;
    ctx.out.line(`${bold('Tracker sandbox')} listening on ${sandbox.trackerUrl}`);
    ctx.out.fields([
      ['API Key', sandbox.credentials.apiKey],
      ['API Username', sandbox.credentials.username],
      ['API Password', sandbox.credentials.password],
      ['Jobs', seed.jobs.length],
    ]);
    ctx.out.line(`${bold('Tracker REST sandbox')} listening on ${sandbox.trackerRestUrl}`);
    ctx.out.fields([
      ['API token', sandbox.credentials.restToken],
      ['Applicant rows', seed.applications.length],
    ]);
    ctx.out.line(`${bold('Apriora sandbox')} listening on ${sandbox.aprioraUrl}`);
    ctx.out.fields([['API key', sandbox.credentials.aprioraApiKey ?? '']]);
    ctx.out.line(`${bold('Admin')} ${data.adminUrl}`);
    ctx.out.line();
    // The sandbox's secrets are public: a 0600 file holds them on any machine, with or without an OS keychain.
    ctx.out.line(dim('Log in from another terminal (its secrets are public: --insecure-storage keeps them in a 0600 file):'));
    ctx.out.line(`  printf '%s\\n%s\\n%s\\n' '${sandbox.credentials.apiKey}' '${sandbox.credentials.password}' '${sandbox.credentials.restToken}' | \\`);
    ctx.out.line(
      `    apriora tracker login --sandbox --insecure-storage --base-url ${sandbox.trackerUrl} --username ${sandbox.credentials.username} --api-key-stdin --password-stdin --rest-token-stdin --rate-burst 90`,
    );
    ctx.out.line(
      `  printf '%s\\n' '${sandbox.credentials.aprioraApiKey}' | apriora login --sandbox --insecure-storage --base-url ${sandbox.aprioraUrl} --api-key-stdin`,
    );
    ctx.out.line(dim('Press Ctrl-C to stop.'));
  } else {
    writeJson(ctx.stdout, { ok: true, data, warnings: ctx.warnings }, false);
  }

  const { untilAborted } = await import('../../lib/abort.js');
  await untilAborted(ctx.signal);
  await sandbox.close();
  return { data, printed: true };
});

function parseKinds(value: string, known: readonly FaultKind[]): FaultKind[] {
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(known as readonly string[]).includes(kind));
  if (unknown.length || kinds.length === 0) {
    throw new InputError(`--faults takes a comma-separated list of ${known.join(', ')}; not ${unknown.join(', ') || 'empty'}`);
  }
  return kinds as FaultKind[];
}
