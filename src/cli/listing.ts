import type { Context } from './context.js';

/**
 * The rows of a list command, up to `limit`: streamed one JSON line each with `--output ndjson` (nothing kept, so
 * memory stays flat), otherwise collected for the table or the JSON envelope.
 */
export async function collectRows<T>(
  ctx: Context,
  rows: AsyncIterable<T>,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ rows: T[]; count: number; streamed: boolean }> {
  const streamed = ctx.mode === 'ndjson';
  const kept: T[] = [];
  let count = 0;
  if (limit <= 0) return { rows: kept, count, streamed };
  for await (const row of rows) {
    if (streamed) ctx.stdout.write(`${JSON.stringify(row)}\n`);
    else kept.push(row);
    if (++count >= limit) break;
  }
  return { rows: kept, count, streamed };
}
