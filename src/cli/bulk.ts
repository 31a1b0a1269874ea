import { AppError, InterruptedError, PartialFailureError, RemoteError } from '../errors.js';
import { type ItemError, PROBLEM_STATUSES } from '../lib/items.js';
import { type BulkCallbacks, type BulkRun, ITEM_STATUSES, type ItemStatus } from '../workflows/bulk.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';
import type { TableColumn } from './output.js';
import { Progress } from './progress.js';

export type BulkSummary = Record<ItemStatus | 'total', number> & { durationMs: number };

/**
 * The output side of every bulk command: progress on stderr, items streamed as ndjson or collected for JSON and
 * tables, a summary, and the exit code (3 when some items failed or were found doubled, 130 when interrupted, 5 when
 * the source failed).
 */
export class BulkReporter<T extends { status: ItemStatus; error?: ItemError }> {
  /** Collected with their input position, so that JSON and tables list items in input order. */
  private readonly collected: [number, T][] = [];
  readonly summary: BulkSummary = { total: 0, created: 0, exists: 0, updated: 0, skipped: 0, failed: 0, duplicate: 0, durationMs: 0 };
  private readonly started = Date.now();
  private readonly progress: Progress;

  constructor(
    private readonly ctx: Context,
    private readonly options: { label: string; noun: { one: string; plural: string }; dryRun: boolean },
  ) {
    this.progress = new Progress(ctx.stderr, ctx.showProgress && ctx.mode === 'table', options.label);
  }

  /** The Status column every bulk table ends with: the status ("would be …" in a dry run) or the problem. */
  statusColumn(): TableColumn<T> {
    const { dryRun } = this.options;
    return {
      header: 'Status',
      // What happened to the item: the last column to go.
      priority: 6,
      minWidth: 12,
      value: (item) =>
        item.error
          ? `${item.status}: ${item.error.message}`
          : dryRun && item.status !== 'exists' && item.status !== 'skipped'
            ? `would be ${item.status}`
            : item.status,
    };
  }

  /** How the workflow reports to this reporter: each item, the total once known, and Ctrl-C through the context. */
  callbacks(concurrency: number): BulkCallbacks<T> {
    return { concurrency, signal: this.ctx.signal, onResult: this.add, onTotal: (total) => this.setTotal(total) };
  }

  setTotal(total: number): void {
    this.progress.setTotal(total);
  }

  readonly add = (item: T, index: number): void => {
    this.summary.total++;
    this.summary[item.status]++;
    this.progress.tick(PROBLEM_STATUSES.has(item.status));
    if (this.ctx.mode === 'ndjson') this.ctx.stdout.write(`${JSON.stringify(item)}\n`);
    else this.collected.push([index, item]);
  };

  /** The command's result: data for JSON, a table for people, and the error that sets the exit code. */
  result(run: BulkRun, columns: TableColumn<T>[], extra: Record<string, unknown> = {}): CommandResult {
    this.progress.stop();
    this.summary.durationMs = Date.now() - this.started;
    const { summary, options, ctx } = this;
    const error = this.outcome(run);
    const items = this.collected.sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    if (ctx.mode === 'ndjson') {
      ctx.stdout.write(`${JSON.stringify({ summary, ...(error ? { error: { code: error.code, message: error.message } } : {}) })}\n`);
    }
    return {
      data: { dryRun: options.dryRun, ...extra, items, summary },
      printed: ctx.mode === 'ndjson',
      error,
      render: async () => {
        await ctx.out.table(columns, items, `No ${options.noun.plural}.`);
        const counts = ITEM_STATUSES.filter((status) => summary[status] > 0).map(
          (status) =>
            `${summary[status]} ${options.dryRun && !PROBLEM_STATUSES.has(status) && status !== 'exists' && status !== 'skipped' ? `would be ${status}` : status}`,
        );
        ctx.out.line(
          `${summary.total} ${summary.total === 1 ? options.noun.one : options.noun.plural}${counts.length ? `: ${counts.join(', ')}` : ''}` +
            ` in ${(summary.durationMs / 1000).toFixed(1)}s${options.dryRun ? ' (dry run: nothing written)' : ''}`,
        );
      },
    };
  }

  private outcome(run: BulkRun): AppError | undefined {
    const { summary, options } = this;
    if (run.interrupted) {
      return new InterruptedError(`Interrupted after ${summary.total} ${options.noun.plural}`, {
        hint: 'Run the same command again: what was done is found and not repeated.',
      });
    }
    if (run.sourceError !== undefined) {
      const cause = run.sourceError;
      if (cause instanceof AppError) {
        // Keep the source's own code and exit status; say that the items so far are reported.
        return Object.assign(cause, { message: `${cause.message} (after ${summary.total} ${options.noun.plural}; those are reported)` });
      }
      return new RemoteError(`Reading the input failed after ${summary.total} ${options.noun.plural}: ${String(cause)}`, { cause });
    }
    if (summary.failed > 0 || summary.duplicate > 0) {
      const problems = [
        summary.failed > 0 ? `${summary.failed} of ${summary.total} ${options.noun.plural} failed` : '',
        summary.duplicate > 0 ? `${summary.duplicate} of ${summary.total} ${options.noun.plural} found twice in Tracker (status duplicate)` : '',
      ].filter(Boolean);
      return new PartialFailureError(problems.join('; '), {
        hint:
          summary.failed > 0
            ? 'Fix the cause shown for each failed item and run the command again: items already done are skipped.'
            : 'Keep the oldest record named in each duplicate item and delete the others in Tracker; see "apriora help results" (NEVER TWICE).',
      });
    }
    return undefined;
  }
}
