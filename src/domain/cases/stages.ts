import type { CaseStage } from '../../generated/prisma/enums.ts';

/** Stages as members write them; `under-review` is stored as `under_review`. */
export const CASE_STAGES = [
  'research',
  'drafting',
  'submitted',
  'under-review',
  'designated',
  'declined',
  'closed',
] as const;
export type CaseStageLabel = (typeof CASE_STAGES)[number];
export const FINAL = ['designated', 'declined', 'closed'] as const satisfies readonly CaseStageLabel[];
/** The same stages as stored: a case in one of them is over (no reminders, not in /case list). */
export const ENDED = FINAL satisfies readonly CaseStage[];

export const DEFAULT_JURISDICTIONS = ['US-Treasury', 'US-State', 'UK', 'Canada', 'EU', 'Australia'] as const;

export const stageToDb = (label: CaseStageLabel): CaseStage =>
  label === 'under-review' ? 'under_review' : label;
export const stageLabel = (stage: CaseStage): CaseStageLabel =>
  stage === 'under_review' ? 'under-review' : stage;
