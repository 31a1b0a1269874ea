import { createRandom, pick, type Random, randomInt } from '../prng.js';
import { APRIORA_CDN_URL, type AprioraCandidate, type AprioraPosition, type AprioraReport } from './model.js';

/** FNV-1a: a stable 32-bit seed from text, so that the same interview always gets the same report. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

type Band = 'strong' | 'solid' | 'weak';
const bandOf = (score: number): Band => (score >= 80 ? 'strong' : score >= 60 ? 'solid' : 'weak');
const clamp = (value: number): number => Math.max(0, Math.min(100, Math.round(value)));

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

interface SkillSet {
  match: RegExp;
  skills: readonly string[];
}

/** Grading criteria by the kind of role the title names; the first match wins, the last entry is the fallback. */
const SKILL_SETS: readonly SkillSet[] = [
  {
    match: /nurse|medical|dental|clinic|care|health|hygien/i,
    skills: ['Patient care', 'Clinical knowledge', 'Communication', 'Teamwork under pressure', 'Documentation'],
  },
  {
    match: /engineer|developer|software|data|analyst|support|technician/i,
    skills: ['Technical depth', 'Problem solving', 'Communication', 'Collaboration', 'Ownership'],
  },
  { match: /sales|account|customer|service|representative/i, skills: ['Customer focus', 'Communication', 'Resilience', 'Relationship building'] },
  {
    match: /warehouse|logistics|forklift|operator|machinist|maintenance|supervisor/i,
    skills: ['Safety awareness', 'Reliability', 'Role knowledge', 'Teamwork'],
  },
  { match: /./, skills: ['Role knowledge', 'Communication', 'Problem solving', 'Professionalism'] },
];

const SKILL_FEEDBACK: Readonly<Record<Band, readonly string[]>> = {
  strong: [
    'Gave specific, well-structured examples with clear outcomes.',
    'Answered confidently and backed claims with concrete detail.',
    'Showed depth well beyond the basics of the role.',
  ],
  solid: [
    'Covered the essentials; some answers could have used more detail.',
    'Reasonable examples, though the outcomes were not always clear.',
    'Adequate for the role, with room to grow.',
  ],
  weak: [
    'Answers stayed general and lacked concrete examples.',
    'Struggled to describe relevant experience when prompted.',
    'Showed gaps that would need coaching.',
  ],
};

const OVERALL_FEEDBACK: Readonly<Record<Band, readonly string[]>> = {
  strong: [
    '{name} is a strong fit for the {title} role.',
    '{name} communicated clearly and gave concrete examples throughout.',
    'Recommended for the next round.',
  ],
  solid: [
    '{name} meets most of the requirements for the {title} role.',
    'Answers were clear, though a few lacked depth.',
    'Worth a follow-up conversation with the hiring manager.',
  ],
  weak: [
    '{name} does not yet meet the requirements for the {title} role.',
    'Several answers were vague or off-topic.',
    'Not recommended for this position at this time.',
  ],
};

const QUESTIONS: readonly ((title: string) => string)[] = [
  (title) => `Tell me about your experience as a ${title}.`,
  (title) => `What drew you to this ${title} position?`,
  () => 'Describe a difficult situation at work and how you handled it.',
  () => 'How do you prioritize when several tasks are urgent at once?',
  (title) => `What would success look like for you as a ${title} in the first 90 days?`,
  () => 'Which tools or systems do you use day to day?',
  () => 'When could you start, and what schedule works for you?',
];

const SUMMARIES: Readonly<Record<Band, readonly string[]>> = {
  strong: [
    '{name} gave a detailed, relevant answer with a concrete example and a measurable result.',
    '{name} answered directly and tied the answer to the requirements of the role.',
    '{name} described a clear approach and explained the reasoning behind it.',
    '{name} answered with confidence and gave a specific, recent example.',
    '{name} showed a thorough understanding and anticipated the follow-up questions.',
  ],
  solid: [
    '{name} gave a relevant answer, with a partial example.',
    '{name} covered the main points but stayed somewhat general.',
    '{name} answered adequately; a follow-up question would clarify the details.',
    '{name} gave a reasonable answer, though the outcome of the example was unclear.',
    '{name} showed working knowledge of the topic without much depth.',
  ],
  weak: [
    '{name} gave a short, general answer without an example.',
    '{name} did not address the question directly.',
    '{name} struggled to give a relevant example.',
    '{name} gave an answer that contradicted an earlier one.',
    '{name} needed the question repeated and then answered only in part.',
  ],
};

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

export interface ReportInput {
  reportId: string;
  position: AprioraPosition;
  candidate: AprioraCandidate;
  /** 0–100; absent = drawn from the PRNG (45–97). */
  score?: number;
  /** Unix seconds. */
  timeCompleted: number;
}

/** A realistic evaluation, the same every time for the same report id, position and candidate. */
export function generateReport({ reportId, position, candidate, score, timeCompleted }: ReportInput): AprioraReport {
  const random = createRandom(seedOf(`${reportId}|${position.positionId}|${candidate.email.toLowerCase()}`));
  const overallScore = clamp(score ?? randomInt(random, 45, 97));
  const band = bandOf(overallScore);
  const name = candidate.firstName || candidate.email.split('@')[0] || 'The candidate';
  const title = position.title;

  const questionCount = randomInt(random, 3, 5);
  const [first, ...rest] = QUESTIONS;
  const questions = [first as (title: string) => string, ...shuffled(random, rest).slice(0, questionCount - 1)];
  const summaries = shuffled(random, SUMMARIES[band]);
  const questionSummary = questions.map((question, index) => ({
    question: question(title),
    summary: fill(summaries[index % summaries.length] ?? '', { name }),
  }));

  const years = randomInt(random, 1, 15);
  const availability = pick(random, ['Immediately', 'In two weeks', 'In one month']);
  const tags = [
    { name: 'Years of experience', value: String(years), evidence: `"I've been working in this field for about ${years} years."` },
    { name: 'Availability', value: availability, evidence: `"I could start ${availability.toLowerCase()}."` },
    ...(random() < 0.5 ? [{ name: 'Work authorization', value: 'Authorized', evidence: '"I am authorized to work here without sponsorship."' }] : []),
  ];

  const set = SKILL_SETS.find((candidateSet) => candidateSet.match.test(title)) ?? (SKILL_SETS.at(-1) as SkillSet);
  const skills = shuffled(random, set.skills)
    .slice(0, randomInt(random, 3, Math.min(4, set.skills.length)))
    .map((skill) => {
      const skillScore = clamp(overallScore + randomInt(random, -12, 10));
      return { name: skill, score: skillScore, feedback: pick(random, SKILL_FEEDBACK[bandOf(skillScore)]) };
    });

  return {
    reportId,
    candidateId: candidate.candidateId,
    positionId: position.positionId,
    overallScore,
    overallFeedback: OVERALL_FEEDBACK[band].map((sentence) => fill(sentence, { name, title })).join(' '),
    questionSummary,
    tags,
    skills,
    timeCompleted,
    videoUrl: position.modality === 'video' ? `${APRIORA_CDN_URL}/recordings/${reportId}.mp4` : null,
    pdfUrl: random() < 0.25 ? null : `${APRIORA_CDN_URL}/reports/${reportId}.pdf`,
  };
}
