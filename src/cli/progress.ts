import type { Writable } from 'node:stream';
import { terminalText } from '../lib/sanitize.js';

/** One self-rewriting status line on stderr: done/total, failures, rate and ETA. Silent when not on a terminal. */
export class Progress {
  private done = 0;
  private failed = 0;
  private total: number | undefined;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: Writable,
    private readonly enabled: boolean,
    private readonly label: string,
  ) {
    this.label = terminalText(label);
  }

  setTotal(total: number): void {
    this.total = total;
    this.draw(true);
  }

  tick(failed: boolean): void {
    this.done++;
    if (failed) this.failed++;
    this.draw(false);
  }

  /** Clears the line so that the final output starts on a clean one. */
  stop(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const parts = [`${this.label} ${this.done}${this.total === undefined ? '' : `/${this.total}`}`];
    if (this.failed) parts.push(`${this.failed} failed`);
    if (rate > 0) parts.push(`${rate.toFixed(1)}/s`);
    if (this.total !== undefined && rate > 0 && this.done < this.total) parts.push(`ETA ${formatDuration((this.total - this.done) / rate)}`);
    this.stream.write(`\r\x1b[K${parts.join(' · ')}`);
    this.drawn = true;
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
