import type { Meta } from "../../src/index.ts";

const office = ["admin", "office"] as const;
const unit = ["unit"] as const;

/** Procedures of the assessment routers and who may call them. */
export const assessment: Record<string, Meta["roles"]> = {
  "assessment.list": office,
  "assessment.get": office,
  "assessment.create": office,
  "assessment.update": office,
  "assessment.delete": office,
  "assessment.importXlsx": office,
  "assessment.exportXlsx": office,
  "assessment.evaluationSources": office,
  "assessment.openSelfAssessment": office,
  "assessment.startReview": office,
  "assessment.refreshComputed": office,
  "assessment.metrics": office,
  "assessment.scores": office,
  "assessment.setScores": office,
  "assessment.returnSelf": office,
  "assessment.results": office,
  "assessment.publish": office,
  "assessment.versions": office,
  "assessment.version": office,
  "assessment.exportResults": office,
  "assessment.self.list": unit,
  "assessment.self.get": unit,
  "assessment.self.save": unit,
  "assessment.self.submit": unit,
};
