import { EXTERNAL_SOURCE, type Position, reportAppLink, reportPdfUrl } from '../apriora/partner.js';
import type { Report } from '../apriora/schemas.js';
import { InputError } from '../errors.js';
import { cleanText, truncate } from '../lib/sanitize.js';
import type { FieldMap } from '../store/profiles.js';
import type { CustomFieldValue, NewActivity } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import { assertFieldValues, type FieldKey, type FieldTypes, fieldMaxLength } from './field-map.js';

/**
 * What an "Apriora Interview" activity says, built from a report: pure functions, no I/O. Every text from Apriora is
 * cleaned of control characters before it goes to Tracker (multi-line fields keep their line breaks and tabs).
 */

/** One line of remote text, as Tracker gets it. */
const oneLine = (value: string | null | undefined): string => cleanText(value ?? '').trim();
/** A block of remote text, as Tracker gets it. */
const block = (value: string): string => cleanText(value, { multiline: true });

/**
 * The report ids a marker can carry: no brackets, spaces or line breaks, so that one report's marker can never hold
 * another's (`rep_1]\n[apriora:rep_2` would make a push find, and rewrite, the other report's activity).
 */
const SAFE_REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}$/;

export function isSafeReportId(reportId: string): boolean {
  return SAFE_REPORT_ID.test(reportId);
}

/** The stable marker that ties a Tracker activity to its Apriora report: `[apriora:<reportId>]`. */
export function activityMarker(reportId: string): string {
  return `[apriora:${oneLine(reportId)}]`;
}

/**
 * What getRecords searches for: the marker without its brackets. Tracker's `searchtext` filters on the name, most
 * likely with SQL LIKE, where `[…]` is a character class; the exact marker is checked on each row afterwards.
 */
export function markerSearchText(reportId: string): string {
  return `apriora:${oneLine(reportId)}`;
}

/** A number as a Number field takes it: plain decimals, never an exponent (1e-7 → "0.0000001", 82.46 → "82.46"). */
export function plainNumber(value: number): string {
  return Number.isFinite(value) && Math.abs(value) < 1e15 ? value.toFixed(10).replace(/\.?0+$/, '') : String(value);
}

/** 82 → "82", 82.46 → "82.5". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/**
 * The longest subject written, in characters: what Tracker's subject column is assumed to hold (`apriora help api`).
 * A long job title is cut with an ellipsis; the score and the marker are always whole.
 */
export const SUBJECT_MAX_LENGTH = 255;

/**
 * `Apriora Interview: <job title> — 82/100 [apriora:rep_12]`, and with the interview's marker when the Tracker
 * candidate is known: `… — 82/100 [apriora:rep_12] [apriora:pos_3/8812]` (`apriora help results`).
 */
export function activitySubject(
  report: Pick<Report, 'reportId' | 'overallScore' | 'positionId'>,
  jobTitle: string | null,
  trackerCandidateId?: number | null,
): string {
  const interview = trackerCandidateId ? interviewMarkerOrNone(report.positionId, trackerCandidateId) : '';
  return subjectWithTail(jobTitle, ` — ${formatScore(report.overallScore)}/100 ${activityMarker(report.reportId)}${interview ? ` ${interview}` : ''}`);
}

/** `Apriora Interview: <job title><tail>`, the title cut so that the whole fits SUBJECT_MAX_LENGTH; the tail never is. */
function subjectWithTail(jobTitle: string | null, tail: string): string {
  // Brackets in the title become parentheses: a title typed in Tracker as "[apriora:rep_1]" must never read as a marker.
  const title = oneLine(jobTitle).replace(/\[/g, '(').replace(/\]/g, ')');
  if (!title) return `Apriora Interview${tail}`;
  const room = SUBJECT_MAX_LENGTH - 'Apriora Interview: '.length - tail.length;
  return `Apriora Interview: ${room > 1 ? truncate(title, room) : title}${tail}`;
}

// ---------------------------------------------------------------------------------------------------------------
// One activity per interview: the invitation's activity, completed later by the report's push

/**
 * The marker of one interview, a position and a Tracker candidate: `[apriora:<positionId>/<trackerCandidateId>]`.
 * Report ids cannot hold a `/` (SAFE_REPORT_ID), so an interview marker and a report marker never match each other.
 */
export function interviewMarker(positionId: string, trackerCandidateId: number): string {
  return `[apriora:${interviewKey(positionId, trackerCandidateId)}]`;
}

/** The interview's marker, or '' when the position id cannot be written as one. */
function interviewMarkerOrNone(positionId: string, trackerCandidateId: number): string {
  return isSafeReportId(positionId) && Number.isSafeInteger(trackerCandidateId) && trackerCandidateId > 0
    ? interviewMarker(positionId, trackerCandidateId)
    : '';
}

/** `<positionId>/<trackerCandidateId>`: the marker's content, the write lock's key (`interview:<this>`). */
export function interviewKey(positionId: string, trackerCandidateId: number): string {
  return `${oneLine(positionId)}/${trackerCandidateId}`;
}

/** Whether a position id can be written into an interview marker (the report ids' rule: no `/`, `]`, spaces). */
export function isSafePositionId(positionId: string): boolean {
  return isSafeReportId(positionId);
}

/** What getRecords searches for to find an interview's activity: its marker without the brackets. */
export function interviewMarkerSearchText(positionId: string, trackerCandidateId: number): string {
  return `apriora:${interviewKey(positionId, trackerCandidateId)}`;
}

/** Whether an activity row's subject carries exactly this interview's marker. */
export function hasInterviewMarker(row: RecordRow, positionId: string, trackerCandidateId: number): boolean {
  return subjectOf(row).includes(interviewMarker(positionId, trackerCandidateId));
}

/** The report ids of the report markers in a subject (an interview marker, with its `/`, is not one). */
export function reportMarkersIn(subject: string): string[] {
  return [...subject.matchAll(/\[apriora:([A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127})\]/g)].map((match) => match[1]!);
}

/** The interview keys (`<positionId>/<trackerCandidateId>`) of the interview markers in a subject. */
export function interviewKeysIn(subject: string): string[] {
  return [...subject.matchAll(/\[apriora:([A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}\/\d+)\]/g)].map((match) => match[1]!);
}

/** The status of an invitation's activity until the report completes it. */
export const INVITED_STATUS = 'Not Started';

/** `Apriora Interview: <job title> — invited [apriora:pos_3/8812]`. */
export function invitationSubject(jobTitle: string | null, positionId: string, trackerCandidateId: number): string {
  return subjectWithTail(jobTitle, ` — invited ${interviewMarker(positionId, trackerCandidateId)}`);
}

export interface InvitationFacts {
  jobTitle: string | null;
  jobId: number;
  positionId: string;
  trackerCandidateId: number;
  email: string;
  /** The candidate's interview link (the invitation's), else the position's. */
  interviewLink: string | null;
  invitationId: string | null;
  /** When the invitation goes out (Unix seconds), when it was scheduled for later. */
  sendAt?: number | undefined;
  /** The phone number given to Apriora for a phone interview. */
  phone?: string | undefined;
}

/** The note of an invitation's activity: the job, the interview link, and the marker. */
export function invitationNote(facts: InvitationFacts): string {
  const title = oneLine(facts.jobTitle);
  const lines = [
    `Apriora AI interview${title ? ` for ${title}` : ''} (Tracker job ${facts.jobId})`,
    `Invited: ${oneLine(facts.email)}${facts.phone ? `, phone ${facts.phone}` : ''}`,
  ];
  if (facts.sendAt) lines.push(`Invitation scheduled for ${new Date(facts.sendAt * 1000).toISOString().replace('.000Z', 'Z')}`);
  if (facts.interviewLink) lines.push(`Interview link: ${oneLine(facts.interviewLink)}`);
  if (facts.invitationId) lines.push(`Apriora invitation: ${oneLine(facts.invitationId)}`);
  lines.push('', 'The report completes this activity when the interview is done.', '', interviewMarker(facts.positionId, facts.trackerCandidateId));
  return lines.join('\n');
}

/**
 * The "Apriora Interview" activity of an invitation, linked to the candidate: status Not Started, dated `now` (Unix
 * seconds, UTC), and no custom fields (the four are filled by the report's push).
 */
export function buildInvitationActivity(facts: InvitationFacts, context: { activityType: string; now: number }): ActivityContent {
  const { date, time } = activityDateTime(context.now);
  return {
    activity: {
      subject: invitationSubject(facts.jobTitle, facts.positionId, facts.trackerCandidateId),
      type: context.activityType,
      date,
      time,
      status: INVITED_STATUS,
      note: invitationNote(facts),
      linkRecordType: 'R',
      linkRecordId: facts.trackerCandidateId,
    },
    customfields: [],
  };
}

export function subjectOf(row: RecordRow): string {
  return typeof row.details.subject === 'string' ? row.details.subject : row.name;
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
      const feedback = block(skill.feedback).trim();
      return `${oneLine(skill.name)}: ${score}${feedback ? ` — ${feedback}` : ''}`;
    })
    .join('\n');
}

/** What goes into the "Report link" field, and the PDF link that goes into the note instead when it cannot. */
export interface ReportLinks {
  /** The field's value: the PDF link when it is an http(s) URL that fits the field, else the report in the web app. */
  link: string;
  /** The full PDF link when it is an http(s) URL but not the field's value (too long for the field). */
  pdfInNote: string | null;
}

/** The Report link for a field of this Tracker type (`apriora help results`). */
export function reportLinks(report: Pick<Report, 'reportId' | 'pdfUrl'>, fieldType?: string): ReportLinks {
  const pdf = reportPdfUrl(report);
  const max = fieldMaxLength(fieldType);
  if (pdf && (max === undefined || pdf.length <= max)) return { link: pdf, pdfInNote: null };
  return { link: reportAppLink(report.reportId), pdfInNote: pdf };
}

/** The activity's note: plain text with the question summaries and tags, ending with the marker. */
export function activityNote(report: Report, jobTitle: string | null, links: ReportLinks = reportLinks(report)): string {
  const title = oneLine(jobTitle);
  const lines: string[] = [
    `Apriora AI interview${title ? ` for ${title}` : ''}`,
    `Overall score: ${formatScore(report.overallScore)}/100`,
    `Report: ${links.link}`,
  ];
  if (links.pdfInNote) lines.push(`PDF: ${links.pdfInNote}`);
  if (report.questionSummary.length) {
    lines.push('', 'Questions');
    report.questionSummary.forEach((entry, index) => {
      lines.push(`${index + 1}. ${block(entry.question).trim()}`);
      const summary = block(entry.summary).trim();
      if (summary) lines.push(`   ${summary}`);
    });
  }
  if (report.tags.length) {
    lines.push('', 'Tags');
    for (const tag of report.tags) {
      const value = tag.value === null || tag.value === '' ? '' : `: ${oneLine(String(tag.value))}`;
      const evidence = block(tag.evidence).trim();
      lines.push(`- ${oneLine(tag.name)}${value}${evidence ? ` — ${evidence}` : ''}`);
    }
  }
  lines.push('', activityMarker(report.reportId));
  return lines.join('\n');
}

/** The four values of a report, by field (`apriora help results`, "What goes where in Tracker"). */
export function activityFieldValues(report: Report, links: ReportLinks = reportLinks(report)): Record<FieldKey, string> {
  return {
    overallScore: plainNumber(report.overallScore),
    reportLink: links.link,
    gradingCriteria: gradingCriteriaText(report.skills),
    feedback: block(report.overallFeedback).trim(),
  };
}

/**
 * The four custom field values, keyed by the mapped Tracker ids. With the fields' types, each value is checked
 * first (`field_value_invalid` when one does not fit) and the Report link chosen to fit its field.
 */
export function activityCustomFields(report: Report, fieldMap: FieldMap, fieldTypes?: FieldTypes): CustomFieldValue[] {
  const values = activityFieldValues(report, reportLinks(report, fieldTypes?.reportLink));
  assertFieldValues(values, fieldMap, fieldTypes);
  return [
    { id: fieldId(fieldMap.overallScore, 'overallScore'), value: values.overallScore },
    { id: fieldId(fieldMap.reportLink, 'reportLink'), value: values.reportLink },
    { id: fieldId(fieldMap.gradingCriteria, 'gradingCriteria'), value: values.gradingCriteria },
    { id: fieldId(fieldMap.feedback, 'feedback'), value: values.feedback },
  ];
}

export interface ActivityContent {
  activity: NewActivity;
  customfields: CustomFieldValue[];
}

export const ACTIVITY_STATUS = 'Completed';

/**
 * Everything createActivity sends for a report, linked to the Tracker candidate; every value checked against its
 * field (throws `field_value_invalid`), so build it before writing anything.
 */
export function buildActivity(
  report: Report,
  context: { jobTitle: string | null; activityType: string; candidateId: number; fieldMap: FieldMap; fieldTypes?: FieldTypes | undefined },
): ActivityContent {
  const { date, time } = activityDateTime(report.timeCompleted);
  const links = reportLinks(report, context.fieldTypes?.reportLink);
  return {
    activity: {
      subject: activitySubject(report, context.jobTitle, context.candidateId),
      type: context.activityType,
      date,
      time,
      status: ACTIVITY_STATUS,
      note: activityNote(report, context.jobTitle, links),
      linkRecordType: 'R',
      linkRecordId: context.candidateId,
    },
    customfields: activityCustomFields(report, context.fieldMap, context.fieldTypes),
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
  return subjectOf(row).includes(activityMarker(reportId));
}

export function isActivityFor(row: RecordRow, reportId: string, candidateId: number): boolean {
  return hasMarker(row, reportId) && linkedCandidateId(row) === candidateId;
}

/** The Tracker candidate an activity list row is linked to, when the row says. */
export function linkedCandidateId(row: RecordRow): number | undefined {
  const { resourceid, linkrecordtype, linkrecordid } = row.details;
  return asId(resourceid) || (String(linkrecordtype ?? '').toUpperCase() === 'R' ? asId(linkrecordid) : undefined);
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
