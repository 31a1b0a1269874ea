import { EXTERNAL_SOURCE, type Position, reportLink } from '../apriora/partner.js';
import type { Report } from '../apriora/schemas.js';
import { InputError } from '../errors.js';
import type { FieldMap } from '../store/profiles.js';
import type { CustomFieldValue, NewActivity } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';

/** What an "Apriora Interview" activity says, built from a report: pure functions, no I/O. */

/** The stable marker that ties a Tracker activity to its Apriora report: `[apriora:<reportId>]`. */
export function activityMarker(reportId: string): string {
  return `[apriora:${reportId}]`;
}

/**
 * What getRecords searches for: the marker without its brackets. Tracker's `searchtext` filters on the name, most
 * likely with SQL LIKE, where `[…]` is a character class; the exact marker is checked on each row afterwards.
 */
export function markerSearchText(reportId: string): string {
  return `apriora:${reportId}`;
}

/** 82 → "82", 82.46 → "82.5". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** `Apriora Interview: <job title> — 82/100 [apriora:rep_12]`. */
export function activitySubject(report: Pick<Report, 'reportId' | 'overallScore'>, jobTitle: string | null): string {
  const title = jobTitle?.trim();
  return `Apriora Interview${title ? `: ${title}` : ''} — ${formatScore(report.overallScore)}/100 ${activityMarker(report.reportId)}`;
}

/** Tracker's createActivity date ("YYYY-MM-DD") and time ("hh:mm AM") of a Unix-seconds instant, in UTC. */
export function activityDateTime(unixSeconds: number): { date: string; time: string } {
  const at = new Date(Math.floor(unixSeconds) * 1000);
  const hours = at.getUTCHours();
  const hh = String(hours % 12 === 0 ? 12 : hours % 12).padStart(2, '0');
  const mm = String(at.getUTCMinutes()).padStart(2, '0');
  return { date: at.toISOString().slice(0, 10), time: `${hh}:${mm} ${hours < 12 ? 'AM' : 'PM'}` };
}

/** The "Grading Criteria" field: one `Name: score — feedback` line per skill. */
export function gradingCriteriaText(skills: Report['skills']): string {
  return skills
    .map((skill) => {
      const score = skill.score === null ? 'n/a' : String(skill.score);
      const feedback = skill.feedback.trim();
      return `${skill.name.trim()}: ${score}${feedback ? ` — ${feedback}` : ''}`;
    })
    .join('\n');
}

/** The activity's note: plain text with the question summaries and tags, ending with the marker. */
export function activityNote(report: Report, jobTitle: string | null): string {
  const lines: string[] = [
    `Apriora AI interview${jobTitle?.trim() ? ` for ${jobTitle.trim()}` : ''}`,
    `Overall score: ${formatScore(report.overallScore)}/100`,
    `Report: ${reportLink(report)}`,
  ];
  if (report.questionSummary.length) {
    lines.push('', 'Questions');
    report.questionSummary.forEach((entry, index) => {
      lines.push(`${index + 1}. ${entry.question.trim()}`);
      if (entry.summary.trim()) lines.push(`   ${entry.summary.trim()}`);
    });
  }
  if (report.tags.length) {
    lines.push('', 'Tags');
    for (const tag of report.tags) {
      const value = tag.value === null || tag.value === '' ? '' : `: ${String(tag.value)}`;
      const evidence = tag.evidence.trim() ? ` — ${tag.evidence.trim()}` : '';
      lines.push(`- ${tag.name.trim()}${value}${evidence}`);
    }
  }
  lines.push('', activityMarker(report.reportId));
  return lines.join('\n');
}

/** The four custom field values, keyed by the mapped Tracker ids ("What goes where in Tracker"). */
export function activityCustomFields(report: Report, fieldMap: FieldMap): CustomFieldValue[] {
  return [
    { id: fieldId(fieldMap.overallScore, 'overallScore'), value: String(report.overallScore) },
    { id: fieldId(fieldMap.reportLink, 'reportLink'), value: reportLink(report) },
    { id: fieldId(fieldMap.gradingCriteria, 'gradingCriteria'), value: gradingCriteriaText(report.skills) },
    { id: fieldId(fieldMap.feedback, 'feedback'), value: report.overallFeedback },
  ];
}

export interface ActivityContent {
  activity: NewActivity;
  customfields: CustomFieldValue[];
}

export const ACTIVITY_STATUS = 'Completed';

/** Everything createActivity sends for a report, linked to the Tracker candidate. */
export function buildActivity(
  report: Report,
  context: { jobTitle: string | null; activityType: string; candidateId: number; fieldMap: FieldMap },
): ActivityContent {
  const { date, time } = activityDateTime(report.timeCompleted);
  return {
    activity: {
      subject: activitySubject(report, context.jobTitle),
      type: context.activityType,
      date,
      time,
      status: ACTIVITY_STATUS,
      note: activityNote(report, context.jobTitle),
      linkRecordType: 'R',
      linkRecordId: context.candidateId,
    },
    customfields: activityCustomFields(report, context.fieldMap),
  };
}

/** Line endings and trailing blanks may change on Tracker's side; they do not count as a difference. */
export function sameText(a: unknown, b: unknown): boolean {
  const norm = (value: unknown) =>
    value === null || value === undefined
      ? ''
      : String(value)
          .replace(/\r\n?/g, '\n')
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')
          .trim();
  return norm(a) === norm(b);
}

/** Whether an existing activity already says what the report says (subject, note, the four fields). */
export function activityMatches(
  existing: { subject: unknown; note: unknown; customfields: readonly { id: number; value?: unknown }[] },
  wanted: ActivityContent,
): boolean {
  if (!sameText(existing.subject, wanted.activity.subject) || !sameText(existing.note, wanted.activity.note)) return false;
  return wanted.customfields.every((field) => sameText(existing.customfields.find((value) => value.id === field.id)?.value, field.value));
}

/** The Tracker job id of a position: its external id when linked to Tracker, else null. */
export function trackerJobId(position: Pick<Position, 'externalSource' | 'externalId'>): number | null {
  if (position.externalSource !== EXTERNAL_SOURCE || !position.externalId || !/^\d+$/.test(position.externalId.trim())) return null;
  return Number(position.externalId.trim());
}

/** Whether an activity list row carries exactly this report's marker and is linked to this candidate. */
export function hasMarker(row: RecordRow, reportId: string): boolean {
  const subject = typeof row.details.subject === 'string' ? row.details.subject : row.name;
  return subject.includes(activityMarker(reportId));
}

export function isActivityFor(row: RecordRow, reportId: string, candidateId: number): boolean {
  if (!hasMarker(row, reportId)) return false;
  const { resourceid, linkrecordtype, linkrecordid } = row.details;
  if (asId(resourceid) === candidateId) return true;
  return String(linkrecordtype ?? '').toUpperCase() === 'R' && asId(linkrecordid) === candidateId;
}

function asId(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function fieldId(raw: string, key: string): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new InputError(`The field map's ${key} is "${raw}", not a numeric Tracker customfield id`, {
      code: 'field_map_invalid',
      hint: 'apriora tracker fields map',
    });
  }
  return Number(text);
}
