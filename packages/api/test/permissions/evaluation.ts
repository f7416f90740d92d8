import type { Meta } from "../../src/index.ts";

const office = ["admin", "office"] as const;
/** The office, the lead and evaluators; the project middleware then narrows to the project's people. */
const project = ["admin", "office", "evaluator"] as const;

/** Procedures of the evaluation routers and who may call them. */
export const evaluation: Record<string, Meta["roles"]> = {
  "evaluation.list": project,
  "evaluation.get": project,
  "evaluation.evaluatorOptions": office,
  "evaluation.create": office,
  "evaluation.update": project,
  "evaluation.setIndicatorSystem": project,
  "evaluation.importIndicatorSystem": project,
  "evaluation.setUnits": project,
  "evaluation.setAssignments": project,
  "evaluation.startScoring": project,
  "evaluation.grid": ["evaluator"],
  "evaluation.saveScores": ["evaluator"],
  "evaluation.submitUnit": ["evaluator"],
  "evaluation.reconciliation": project,
  "evaluation.setFinalScore": project,
  "evaluation.agreement": project,
  "evaluation.preview": project,
  "evaluation.showResults": project,
  "evaluation.appeals": project,
  "evaluation.decideAppeal": project,
  "evaluation.publish": project,
  "evaluation.mine": ["unit"],
  "evaluation.myResult": ["unit"],
  "evaluation.appeal": ["unit"],
  "public.evaluations": "public",
  "public.evaluation": "public",
};
