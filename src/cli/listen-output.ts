import type { ListenEvent, ListenSummary, PendingCap } from '../webhooks/index.js';
import type { Context } from './context.js';
import { type Colors, safeText, writeJson } from './output.js';

/**
 * Every line `apriora activity listen` prints (`apriora help webhooks`, THE LOG): JSON lines on stdout with --json
 * or --output ndjson, human lines on stderr in table mode (stdout then stays empty).
 */
export interface ListenOutput {
  /** The --insecure-no-verify warning: on stderr, in every mode. */
  insecure(secretIgnored: boolean): void;
  /** The port is open; deliveries beyond `pending.maxPending` waiting are answered 503. */
  listening(url: string, about: { profile: string; verified: boolean; pending: PendingCap }): void;
  /** A request answered, a delivery replayed, a push retried or finished. */
  event(event: ListenEvent): void;
  /** A journal warning. */
  warn(message: string): void;
  /** The first Ctrl-C or SIGTERM. */
  stopping(signal: string, pending: number): void;
  stopped(summary: ListenSummary): void;
}

export function listenOutput(ctx: Pick<Context, 'mode' | 'stdout' | 'stderr' | 'errColors'>): ListenOutput {
  const colors = ctx.errColors;
  // One line per event, made safe: report ids, details and errors come from the delivery and from the services.
  const human = (text: string) => ctx.stderr.write(`${safeText(text, colors, false)}\n`);
  const insecure = (secretIgnored: boolean) =>
    human(
      `${colors.red(colors.bold('WARNING:'))} --insecure-no-verify: webhook signatures are NOT checked` +
        `${secretIgnored ? ' (the secret given is ignored)' : ''}. ` +
        'Anyone who can reach this port can make the listener push reports. Local testing only.',
    );

  if (ctx.mode !== 'table') {
    const json = (document: unknown) => writeJson(ctx.stdout, document, false);
    const now = () => new Date().toISOString();
    return {
      insecure,
      listening: (url, { pending }) =>
        json({
          listening: url,
          maxPending: pending.maxPending,
          drainMinutes: Math.round(pending.drainMinutes * 10) / 10,
          trackerRequestsPerMinute: pending.perMinute,
        }),
      event: (event) => json(eventLine(event)),
      warn: (message) => json({ time: now(), warning: message }),
      stopping: (signal, pending) => json({ time: now(), stopping: signal, pending }),
      stopped: (summary) => json({ time: now(), stopped: true, summary }),
    };
  }

  return {
    insecure,
    listening(url, { profile, verified, pending }) {
      human(
        `Listening on ${colors.bold(url)} (profile "${profile}", ${verified ? 'signed deliveries only' : 'signatures NOT verified'}); ` +
          `up to ${pending.maxPending.toLocaleString('en-US')} deliveries wait to be pushed, ${drainTime(pending.drainMinutes)} at ` +
          `${pending.perMinute.toLocaleString('en-US')} Tracker requests a minute, more are answered 503. Press Ctrl-C to stop.`,
      );
      human(colors.dim(['time    ', 'event            ', 'report        ', 'status    ', 'detail'].join('  ')));
    },
    event: (event) => human(tableLine(event, colors)),
    warn: (message) => human(`${colors.yellow('Warning:')} ${message}`),
    stopping: (signal, pending) =>
      human(
        `${signal}: no longer accepting deliveries; finishing ${pending} push${pending === 1 ? '' : 'es'} ` +
          `(${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again quits at once; the journal keeps the rest for the next start)`,
      ),
    stopped: (summary) =>
      human(
        `Stopped. ${summary.accepted} accepted, ${summary.duplicates} duplicate, ${summary.rejected} rejected, ${summary.ignored} ignored` +
          `${summary.replayed ? `, ${summary.replayed} replayed` : ''}; ` +
          `pushed: ${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.failed} failed` +
          `${summary.duplicateRecords ? `, ${summary.duplicateRecords} with duplicate records in Tracker` : ''}.`,
      ),
  };
}

/** "about 10 min", "about 1.4 min", "under a minute". */
function drainTime(minutes: number): string {
  if (minutes < 0.95) return 'under a minute';
  return `about ${minutes < 9.95 ? Number(minutes.toFixed(1)) : Math.round(minutes)} min`;
}

/** A push's line carries the item's fields flat, after the event's. */
function eventLine(event: ListenEvent): object {
  const { item, ...rest } = event;
  if (!item) return rest;
  return {
    ...rest,
    candidateEmail: item.candidateEmail,
    trackerCandidateId: item.trackerCandidateId,
    candidateCreated: item.candidateCreated,
    jobId: item.jobId,
    subject: item.subject,
    ...(item.error ? { error: item.error } : {}),
    ...(item.duplicates ? { duplicates: item.duplicates } : {}),
  };
}

function tableLine(event: ListenEvent, colors: Colors): string {
  const time = event.time.slice(11, 19);
  const status = event.status;
  // A push's `duplicate` (its item is there: records doubled in Tracker) is a problem; a request's is not.
  const painted =
    status === 'failed' || status === 'rejected' || status === 'error' || (status === 'duplicate' && event.item)
      ? colors.red(status.padEnd(10))
      : status === 'created' || status === 'updated'
        ? colors.green(status.padEnd(10))
        : status === 'retrying' || status === 'busy' || status === 'unavailable'
          ? colors.yellow(status.padEnd(10))
          : status.padEnd(10);
  const detail = [event.http ? `HTTP ${event.http}` : '', event.detail ?? ''].filter(Boolean).join(' ');
  return [time, (event.event ?? '-').padEnd(17), (event.reportId ?? '-').padEnd(14), painted, detail].join('  ');
}
