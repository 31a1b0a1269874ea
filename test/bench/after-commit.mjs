// Lost answers, end to end: `apriora sandbox start` with after-commit faults (a create is committed, then answered
// with a 502 or a reset) among 5xx and resets, one `interview generate` over every job of it, then what the run
// reported against what Apriora holds. A job reported failed must have no position.
// Usage: npm run build && node test/bench/after-commit.mjs [--jobs 521] [--fail-rate 0.3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const jobsArg = option('--jobs', '521');
const rateArg = option('--fail-rate', '0.3');
const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, APRIORA_CONFIG_DIR: dir, APRIORA_CREDENTIAL_STORE: 'file', CI: '1' };
const run = (cliArgs, input = '') =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...cliArgs], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
const sandboxArgs = ['sandbox', 'start', '--port', '0', '--json', '--jobs', jobsArg, '--fail-rate', rateArg, '--faults', '5xx,reset,after-commit'];
const sandbox = spawn(process.execPath, [BIN, ...sandboxArgs], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise((resolve) => {
  let b = '';
  sandbox.stdout.on('data', (d) => {
    b += d;
    try {
      resolve(JSON.parse(b).data);
    } catch {
      // the ready document is not complete yet
    }
  });
});
const admin = (path, init) => fetch(`${ready.adminUrl}${path}`, init).then((r) => r.json());
try {
  const { apiKey, password, username, aprioraApiKey } = ready.credentials;
  for (const [loginArgs, input] of [
    [
      ['tracker', 'login', '--sandbox', '--base-url', ready.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin', '--rate-limit', '6000'],
      `${apiKey}\n${password}\n`,
    ],
    [['login', '--sandbox', '--base-url', ready.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${aprioraApiKey}\n`],
  ]) {
    let result;
    // The faults apply to the logins too: their reads are retried, and a login that still failed is run again.
    for (let i = 0; i < 5 && result?.code !== 0; i++) result = await run(loginArgs, input);
    if (result.code !== 0) throw new Error(result.err);
  }
  const before = await admin('/state');
  const ids = before.tracker.jobs.map((job) => job.id);
  const file = join(dir, 'jobs.txt');
  writeFileSync(file, `${ids.join('\n')}\n`);
  const command = ['interview', 'generate', '--jobs-file', file, '--concurrency', '8', '--json'];
  const result = await run(command);
  await admin('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clear: true }) });
  const after = await admin('/state');
  const requests = (await admin('/requests?api=apriora')).requests;
  const positions = new Set(after.apriora.positions.filter((p) => p.externalSource === 'tracker').map((p) => Number(p.externalId)));
  const items = JSON.parse(result.out).data.items;
  const failed = items.filter((item) => item.status === 'failed');
  const misreported = failed.filter((item) => positions.has(item.jobId));
  const byCode = {};
  for (const item of failed) byCode[item.error.code] = (byCode[item.error.code] ?? 0) + 1;
  console.log(`apriora ${sandboxArgs.join(' ')}`);
  console.log(`apriora ${command.join(' ').replace(file, 'jobs.txt')}  (jobs.txt: the ${ids.length} job ids of the sandbox)`);
  console.log(
    `  exit ${result.code}; jobs ${ids.length}; items ${items.length}; created ${items.filter((i) => i.status === 'created').length}; failed ${failed.length} ${JSON.stringify(byCode)}`,
  );
  console.log(`  creates answered after commit (502 or reset): ${requests.filter((r) => r.op === 'POST /positions' && r.fault === 'after-commit').length}`);
  console.log(
    `  positions in Apriora: ${positions.size}; failed items whose position exists: ${misreported.length} ${misreported.map((i) => i.jobId).join(' ')}`,
  );
} finally {
  sandbox.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
}
