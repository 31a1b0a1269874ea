import type { NewPosition } from '../apriora/client.js';
import { EXTERNAL_SOURCE, type Modality } from '../apriora/partner.js';
import { cleanText } from '../lib/sanitize.js';
import { htmlToText } from './html.js';
import type { JobForInterview } from './jobs.js';

export interface PositionSettings {
  modality: Modality;
  templateId?: string | undefined;
  /** Extra notes for the interview designer, from --notes. */
  notes?: string | undefined;
}

/** A one-line Tracker value as Apriora gets it: control characters removed, line breaks made spaces. */
const line = (value: string | null | undefined): string => cleanText(value ?? '').trim();

/**
 * One Tracker job becomes one Apriora position, linked by the job id as external id. Every text is cleaned of
 * control characters (the description after its HTML entities are decoded): whoever edits a Tracker job must not be
 * able to put escape sequences into Apriora.
 */
export function positionFromJob(job: JobForInterview, settings: PositionSettings): NewPosition {
  const title = line(job.title);
  const client = line(job.client);
  const location = line(job.location);
  const description = htmlToText(job.descriptionHtml ?? '') || [title, client && `at ${client}`, location && `in ${location}`].filter(Boolean).join(' ');
  const facts = [
    `Tracker job ${line(job.reference) || job.id} (id ${job.id})`,
    client && `Client: ${client}`,
    line(job.type) && `Type: ${line(job.type)}`,
    line(job.payRate) && `Pay rate: ${line(job.payRate)}`,
    line(job.startDate) && `Start: ${line(job.startDate)}`,
  ].filter(Boolean);
  const notes = cleanText(settings.notes ?? '', { multiline: true }).trim();
  return {
    title,
    description,
    modality: settings.modality,
    externalSource: EXTERNAL_SOURCE,
    externalId: String(job.id),
    ...(settings.templateId ? { templateId: settings.templateId } : {}),
    creationNotes: [...facts, notes].filter(Boolean).join('\n'),
    ...(location ? { location } : {}),
  };
}
