import { BulkReporter } from '../../cli/bulk.js';
import { parseDateInput } from '../../cli/dates.js';
import { connectApriora, connectTracker } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import { parseJobId, readJobsFile } from '../../cli/jobs-input.js';
import type { InterviewGenerateOptions } from '../../cli/program.js';
import { confirm } from '../../cli/prompt.js';
import type { CommandResult } from '../../cli/run.js';
import type { AprioraClient } from '../../apriora/client.js';
import type { Template } from '../../apriora/partner.js';
import { InputError, InterruptedError } from '../../errors.js';
import { toTrackerDateTime } from '../../tracker/dates.js';
import { runBulk } from '../../workflows/bulk.js';
import {
  generateForJob,
  jobsById,
  lookupEachJob,
  openJobs,
  prefetchPositions,
  type GenerateItem,
  type JobRef,
} from '../../workflows/generate-interviews.js';
import type { Modality } from '../../workflows/job-position.js';

/** Above this many jobs, reading every linked position once beats one lookup per job. */
const PREFETCH_THRESHOLD = 20;

export default async function generate(options: InterviewGenerateOptions, ctx: Context): Promise<CommandResult> {
  const chosen = [options.job && '--job', options.jobsFile && '--jobs-file', options.allOpen && '--all-open'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new InputError(chosen.length ? `${chosen.join(' and ')} cannot be used together` : 'Which jobs? Give --job ID, --jobs-file PATH or --all-open', {
      hint: 'apriora interview generate --job 3101 | --jobs-file jobs.csv | --all-open',
    });
  }
  if (options.updatedAfter && !options.allOpen) throw new InputError('--updated-after goes with --all-open');
  const updatedAfter = options.updatedAfter ? toTrackerDateTime(parseDateInput(options.updatedAfter, '--updated-after')) : undefined;
  const ids = options.allOpen ? undefined : unique(ctx, options.jobsFile
    ? await readJobsFile(options.jobsFile, ctx.stdin)
    : (options.job ?? []).map((id) => parseJobId(id, '--job')));

  const tracker = await connectTracker(ctx);
  const apriora = await connectApriora(ctx, tracker);
  const template = options.template ? await findTemplate(apriora.client, options.template, ctx.signal) : undefined;
  const modality: Modality | undefined = options.modality ?? template?.modality ?? tracker.profile?.apriora?.defaultModality;
  if (!modality) {
    throw new InputError('Which modality, phone or video?', {
      code: 'missing_value',
      hint: 'Pass --modality phone|video, or set a default with `apriora login --modality phone|video`.',
    });
  }
  if (template && template.modality !== modality) {
    throw new InputError(`Template "${template.name}" is a ${template.modality} interview, not ${modality}`, { hint: `Drop --modality, or pick a ${modality} template.` });
  }

  if (!options.dryRun && !tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    const what = ids ? `${ids.length} job${ids.length === 1 ? '' : 's'}` : 'every open job';
    if (!await confirm(ctx, `Create ${modality} interviews in Apriora for ${what} (profile "${ctx.profileName}")?`, true)) {
      throw new InterruptedError('Nothing written');
    }
  }

  const reporter = new BulkReporter<GenerateItem>(ctx, { label: 'Jobs', noun: { one: 'job', plural: 'jobs' }, dryRun: Boolean(options.dryRun) });
  let source: AsyncIterable<JobRef>;
  if (ids) {
    reporter.setTotal(ids.length);
    source = jobsById(ids);
  } else {
    source = counted(openJobs(tracker.client, { updatedAfter }, ctx.signal), (total) => reporter.setTotal(total));
  }
  const bulk = !ids || ids.length > PREFETCH_THRESHOLD;
  const deps = {
    tracker: tracker.client,
    apriora: apriora.client,
    lookup: bulk ? prefetchPositions(apriora.client) : lookupEachJob(apriora.client),
    confirm: lookupEachJob(apriora.client),
  };
  const settings = { modality, templateId: template?.templateId, notes: options.notes, update: Boolean(options.update), dryRun: Boolean(options.dryRun) };
  const run = await runBulk(source, (ref) => generateForJob(deps, settings, ref), {
    concurrency: options.concurrency,
    signal: ctx.signal,
    onResult: reporter.add,
  });
  return reporter.result(run, [
    { header: 'Job', value: (item) => item.jobId },
    { header: 'Title', value: (item) => item.title },
    { header: 'Position', value: (item) => item.positionId },
    { header: 'Interview URL', value: (item) => item.interviewUrl },
    reporter.statusColumn(),
  ], { modality, template: template ? { id: template.templateId, name: template.name } : null });
}

function unique(ctx: Context, ids: number[]): number[] {
  const seen = new Set(ids);
  if (seen.size < ids.length) ctx.warn(`${ids.length - seen.size} duplicate job id${ids.length - seen.size === 1 ? '' : 's'} ignored`);
  return [...seen];
}

async function findTemplate(apriora: AprioraClient, wanted: string, signal: AbortSignal): Promise<Template> {
  const templates = await apriora.listTemplates(signal);
  const key = wanted.trim().toLowerCase();
  const match = templates.find((template) => template.templateId === wanted.trim()) ?? templates.find((template) => template.name.trim().toLowerCase() === key);
  if (!match) {
    throw new InputError(`Apriora has no interview template "${wanted}"`, {
      code: 'unknown_template',
      hint: `Templates: ${templates.map((template) => `${template.name} (${template.templateId}, ${template.modality})`).join('; ') || 'none'}.`,
    });
  }
  return match;
}

async function* counted<T>(source: AsyncIterable<T>, onEnd: (count: number) => void): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    count++;
    yield item;
  }
  onEnd(count);
}
