import { parseDateInput } from '../../cli/dates.js';
import { connectTracker } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { JobsListOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { toTrackerDateTime } from '../../tracker/dates.js';
import { jobSummary, jobsQuery, type JobSummary } from '../../workflows/jobs.js';

export default async function jobsList(options: JobsListOptions, ctx: Context): Promise<CommandResult> {
  const updatedAfter = options.updatedAfter ? toTrackerDateTime(parseDateInput(options.updatedAfter, '--updated-after')) : undefined;
  const { client } = await connectTracker(ctx);
  const query = jobsQuery({ state: options.state, search: options.search, updatedAfter, pageSize: options.pageSize });
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const streaming = ctx.mode === 'ndjson';
  const jobs: JobSummary[] = [];
  let count = 0;
  if (limit > 0) {
    for await (const row of client.iterateRecords(query, ctx.signal)) {
      const job = jobSummary(row);
      if (streaming) ctx.stdout.write(`${JSON.stringify(job)}\n`);
      else jobs.push(job);
      if (++count >= limit) break;
    }
  }
  return {
    data: { jobs, count },
    printed: streaming,
    render: () => ctx.out.table([
      { header: 'Id', value: (job) => job.id },
      { header: 'Ref', value: (job) => job.reference },
      { header: 'Title', value: (job) => job.title },
      { header: 'Company', value: (job) => job.company },
      { header: 'Status', value: (job) => job.status },
      { header: 'Location', value: (job) => job.location },
      { header: 'Opened', value: (job) => job.dateOpened },
    ], jobs, 'No jobs match.'),
  };
}
