import type { AprioraClient } from '../apriora/client.js';
import { EXTERNAL_SOURCE, type Position } from '../apriora/partner.js';

/** The Apriora position linked to a Tracker job (its external id), if any. */
export async function positionOfJob(apriora: AprioraClient, jobId: number, signal?: AbortSignal): Promise<Position | undefined> {
  const [position] = await apriora.listPositions({ externalSource: EXTERNAL_SOURCE, externalId: String(jobId), limit: 1 }, signal);
  return position;
}

/** Every position linked to a Tracker job, page by page (or the one of `jobId`). */
export function trackerPositions(apriora: AprioraClient, filter: { jobId?: number }, signal?: AbortSignal): AsyncIterable<Position> {
  const externalId = filter.jobId === undefined ? undefined : String(filter.jobId);
  return apriora.iteratePositions({ externalSource: EXTERNAL_SOURCE, externalId }, 100, signal);
}

/** The Tracker job id a position is linked to, or null. */
export function linkedJobId(position: Position): string | null {
  return position.externalSource === EXTERNAL_SOURCE ? position.externalId : null;
}
