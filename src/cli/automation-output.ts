import type { CycleSummary, RunnerEvent } from '../workflows/automation-runner.js';
import type { Context } from './context.js';
import { safeText, writeJson } from './output.js';

/**
 * What `apriora automations run` prints: one line per action and a summary per cycle. JSON lines on stdout with
 * --json or --output ndjson (`{"time", "event": …}`, `{"time", "cycle": summary}`, `{"time", "warning"}`); human
 * lines on stderr in table mode (stdout then stays empty), like `activity listen`.
 */
export interface RunnerOutput {
  started(about: { profile: string; mode: 'once' | 'watch'; intervalMs: number; fullScanEveryMs: number }): void;
  event(event: RunnerEvent): void;
  cycle(summary: CycleSummary, nextRunAt: string | null): void;
  warn(message: string): void;
  stopping(signal: string): void;
}

const minutes = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

export function runnerOutput(ctx: Pick<Context, 'mode' | 'stdout' | 'stderr' | 'errColors'>): RunnerOutput {
  const colors = ctx.errColors;
  const now = () => new Date().toISOString();
  if (ctx.mode !== 'table') {
    const json = (document: unknown) => writeJson(ctx.stdout, { time: now(), ...(document as object) }, false);
    return {
      started: (about) => json({ started: about }),
      event: (event) => json({ event }),
      cycle: (summary, nextRunAt) => json({ cycle: summary, nextRunAt }),
      warn: (message) => json({ warning: message }),
      stopping: (signal) => json({ stopping: signal }),
    };
  }
  const human = (text: string) => ctx.stderr.write(`${safeText(`${now().slice(11, 19)}  ${text}`, colors, false)}\n`);
  return {
    started({ profile, mode, intervalMs, fullScanEveryMs }) {
      const every = mode === 'watch' ? `every ${minutes(intervalMs)}` : 'one cycle';
      human(
        `Automations runner for profile "${profile}": ${every}, full scan of the applicants every ${minutes(fullScanEveryMs)}${mode === 'watch' ? '. Ctrl-C stops it.' : ''}`,
      );
    },
    event(event) {
      if (event.type === 'error') {
        human(`${colors.red('failed')}  ${event.stage}: ${event.error.message}`);
      } else if (event.type === 'interview') {
        const what =
          event.status === 'created'
            ? colors.green('interview created')
            : event.status === 'failed'
              ? colors.red('interview failed')
              : `interview ${event.status}`;
        human(
          `${what}  job ${event.jobId}${event.title ? ` (${event.title})` : ''}${event.positionId ? ` → ${event.positionId}` : ''}${event.error ? `: ${event.error.message}` : ''}`,
        );
      } else {
        const word =
          event.status === 'created'
            ? colors.green(event.sendAt ? `invited (to be sent at ${event.sendAt})` : 'invited')
            : event.status === 'exists'
              ? 'already invited'
              : event.status === 'skipped'
                ? colors.yellow('skipped')
                : colors.red(event.status);
        const detail = event.error
          ? `: ${event.error.message}${event.givenUp ? ' (given up until the next full scan)' : ''}`
          : event.reason
            ? `: ${event.reason.message}`
            : '';
        human(
          `${word}  candidate ${event.candidateId}${event.email ? ` <${event.email}>` : ''}, job ${event.jobId} (application ${event.applicationId})${detail}`,
        );
      }
    },
    cycle(summary, nextRunAt) {
      const parts = [
        `${summary.invited} invited`,
        `${summary.created} interview${summary.created === 1 ? '' : 's'} created`,
        `${summary.failed} failed`,
        `${summary.skipped} skipped`,
        `${summary.waiting} waiting`,
        `${summary.rowsRead} applicant row${summary.rowsRead === 1 ? '' : 's'} read${summary.fullScan ? ' (full scan)' : ''}`,
      ];
      const off = [!summary.automations.invites && 'invitations', !summary.automations.interviews && 'interview creation'].filter(Boolean);
      human(
        `Cycle ${summary.interrupted ? 'stopped' : 'done'}: ${parts.join(', ')}${off.length ? `; not enabled: ${off.join(', ')}` : ''}${nextRunAt ? `. Next at ${nextRunAt}` : ''}`,
      );
    },
    warn: (message) => human(`${colors.yellow('Warning:')} ${message}`),
    stopping: (signal) => human(`${signal}: stopping after the item in hand`),
  };
}
