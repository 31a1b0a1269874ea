import { z } from 'zod';

/**
 * Shapes confirmed by Apriora's public API reference ([C] in the contract). The partner shapes that are only
 * assumed live in ./partner.ts. Objects are loose (extra fields pass) and optional text tolerates null.
 */

/** Text that may be missing or null: always a string afterwards. */
export const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
/** A link or other value the contract says "may be null": always present afterwards, `null` when absent. */
export const nullableString = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
/** An array that may be missing or null: always an array afterwards. */
export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);
/** Ids are opaque non-empty strings. */
export const id = z.string().min(1);
/** Timestamps are Unix seconds (contract, Transport). */
export const unixSeconds = z.number().nonnegative();

export const questionSummary = z.looseObject({ question: text, summary: text });

export const reportTag = z.looseObject({
  name: text,
  // The contract does not say what a tag's value is; keep whatever scalar Apriora sends.
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .nullish()
    .transform((value) => value ?? null),
  evidence: text,
});

/** A grading criterion. Its score scale is not in the contract, so only "a number" is checked. */
export const reportSkill = z.looseObject({
  name: text,
  score: z
    .number()
    .nullish()
    .transform((value) => value ?? null),
  feedback: text,
});

/** `GET /reports` item [C]. */
export const report = z.looseObject({
  reportId: id,
  candidateId: id,
  positionId: id,
  overallScore: z.number().min(0).max(100),
  overallFeedback: text,
  questionSummary: list(questionSummary),
  tags: list(reportTag),
  skills: list(reportSkill),
  timeCompleted: unixSeconds,
  videoUrl: nullableString,
  pdfUrl: nullableString,
});
export type Report = z.infer<typeof report>;
export const reportList = z.array(report);

/** `GET /candidates` item [C]. */
export const candidate = z.looseObject({
  candidateId: id,
  email: z.string(),
  firstName: text,
  lastName: text,
  resumeUrl: nullableString,
});
export type Candidate = z.infer<typeof candidate>;
export const candidateList = z.array(candidate);

export const WEBHOOK_EVENTS = ['session.started', 'session.paused', 'session.ended', 'session.completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * The webhook body [C]. `reportId` is required only where it is used: `session.completed` means the report is ready
 * and is fetched with `GET /reports?reportId=`; earlier events may not carry it yet.
 */
export const webhookPayload = z
  .looseObject({
    event: z.enum(WEBHOOK_EVENTS),
    data: z.looseObject({
      candidateId: id,
      candidateEmail: text,
      reportId: z
        .string()
        .nullish()
        .transform((value) => value || null),
      positionId: id,
      time: unixSeconds,
    }),
  })
  .superRefine((payload, ctx) => {
    if (payload.event === 'session.completed' && !payload.data.reportId) {
      ctx.addIssue({ code: 'custom', path: ['data', 'reportId'], message: 'session.completed must carry a reportId' });
    }
  });
export type WebhookPayload = z.infer<typeof webhookPayload>;
