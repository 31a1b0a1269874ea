import type { NewPosition } from '../apriora/client.js';
import { EXTERNAL_SOURCE, type Modality } from '../apriora/partner.js';
import { htmlToText } from './html.js';
import type { JobForInterview } from './jobs.js';

export interface PositionSettings {
  modality: Modality;
  templateId?: string | undefined;
  /** Extra notes for the interview designer, from --notes. */
  notes?: string | undefined;
}

/** One Tracker job becomes one Apriora position, linked by the job id as external id. */
export function positionFromJob(job: JobForInterview, settings: PositionSettings): NewPosition {
  const description =
    htmlToText(job.descriptionHtml ?? '') || [job.title, job.client && `at ${job.client}`, job.location && `in ${job.location}`].filter(Boolean).join(' ');
  const facts = [
    `Tracker job ${job.reference ?? job.id} (id ${job.id})`,
    job.client && `Client: ${job.client}`,
    job.type && `Type: ${job.type}`,
    job.payRate && `Pay rate: ${job.payRate}`,
    job.startDate && `Start: ${job.startDate}`,
  ].filter(Boolean);
  return {
    title: job.title,
    description,
    modality: settings.modality,
    externalSource: EXTERNAL_SOURCE,
    externalId: String(job.id),
    ...(settings.templateId ? { templateId: settings.templateId } : {}),
    creationNotes: [...facts, settings.notes?.trim()].filter(Boolean).join('\n'),
    ...(job.location ? { location: job.location } : {}),
  };
}
