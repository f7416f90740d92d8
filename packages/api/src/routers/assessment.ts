import { invalid } from "@gongkai/core";
import {
  assessmentResultsForExport,
  createAssessmentScheme,
  deleteAssessmentScheme,
  getAssessmentDefinition,
  getAssessmentMetrics,
  getAssessmentScheme,
  getAssessmentScores,
  getAssessmentVersion,
  getMyAssessment,
  listAssessmentEvaluationSources,
  listAssessmentSchemes,
  listAssessmentVersions,
  listMyAssessments,
  openSelfAssessment,
  previewAssessmentResults,
  publishAssessmentResults,
  refreshAssessmentComputed,
  returnSelfAssessment,
  saveMyAssessment,
  setAssessmentScores,
  startAssessmentReview,
  submitMyAssessment,
  updateAssessmentScheme,
} from "@gongkai/db";
import { readSchemeXlsxIsolated } from "@gongkai/files";
import { writeResultsXlsx, writeSchemeXlsx } from "@gongkai/files/scheme-xlsx";
import {
  type AssessmentResultsOutput,
  assessmentResultsOutput,
  assessmentSchemeInput,
  assessmentUnitInput,
  assessmentVersionInput,
  byId,
  exportAssessmentResultsInput,
  importAssessmentXlsxInput,
  keyed,
  listAssessmentInput,
  openSelfAssessmentInput,
  publishAssessmentInput,
  returnSelfAssessmentInput,
  saveSelfAssessmentInput,
  setAssessmentScoresInput,
  updateAssessmentSchemeInput,
} from "@gongkai/validators";
import { once } from "../once.ts";
import { officeProcedure, router, unitProcedure } from "../trpc.ts";

/** An .xlsx file for the page to download: its name and its bytes as base64. */
const xlsxFile = (fileName: string, bytes: Uint8Array) => ({
  fileName: `${fileName.replace(/[\\/:*?"<>|]/g, "_")}.xlsx`,
  contentBase64: Buffer.from(bytes).toString("base64"),
});

const fromBase64 = (contentBase64: string) => {
  const bytes = Buffer.from(contentBase64, "base64");
  if (bytes.length === 0) throw invalid("文件是空的,请选择有内容的 .xlsx 文件。", "contentBase64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
};

/** 年度考核: the office's schemes, scoring and results; a unit's self-assessment under `self`. */
export const assessmentRouter = router({
  list: officeProcedure
    .input(listAssessmentInput)
    .query(({ ctx, input }) => listAssessmentSchemes(ctx.db, ctx.actor, input)),
  get: officeProcedure
    .input(byId)
    .query(({ ctx, input }) => getAssessmentScheme(ctx.db, ctx.actor, input.id)),
  create: officeProcedure
    .input(keyed(assessmentSchemeInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "assessment.create", requestKey, (db) => createAssessmentScheme(db, ctx.actor, input)),
    ),
  update: officeProcedure
    .input(updateAssessmentSchemeInput)
    .mutation(({ ctx, input: { id, ...input } }) =>
      updateAssessmentScheme(ctx.db, ctx.actor, id, input, ctx.now()),
    ),
  delete: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => deleteAssessmentScheme(ctx.db, ctx.actor, input.id)),

  /** Reads a 评分细则 .xlsx into a scheme for the page to check and save (nothing is stored). */
  importXlsx: officeProcedure
    .input(importAssessmentXlsxInput)
    .mutation(({ input }) =>
      readSchemeXlsxIsolated(
        fromBase64(input.contentBase64),
        input.share === undefined ? {} : { share: input.share },
      ),
    ),
  exportXlsx: officeProcedure.input(byId).query(async ({ ctx, input }) => {
    const s = await getAssessmentDefinition(ctx.db, ctx.actor, input.id);
    return xlsxFile(`${s.name}-评分细则`, await writeSchemeXlsx(s.definition));
  }),
  evaluationSources: officeProcedure.query(({ ctx }) => listAssessmentEvaluationSources(ctx.db, ctx.actor)),

  openSelfAssessment: officeProcedure
    .input(openSelfAssessmentInput)
    .mutation(({ ctx, input }) =>
      openSelfAssessment(ctx.db, ctx.actor, input.id, input.selfAssessmentDue, ctx.now()),
    ),
  startReview: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => startAssessmentReview(ctx.db, ctx.actor, input.id, ctx.now())),
  refreshComputed: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => refreshAssessmentComputed(ctx.db, ctx.actor, input.id, ctx.now())),
  metrics: officeProcedure
    .input(assessmentUnitInput)
    .query(({ ctx, input }) => getAssessmentMetrics(ctx.db, ctx.actor, input.id, ctx.now(), input.unitId)),
  scores: officeProcedure
    .input(assessmentUnitInput)
    .query(({ ctx, input }) => getAssessmentScores(ctx.db, ctx.actor, input.id, input.unitId)),
  setScores: officeProcedure
    .input(setAssessmentScoresInput)
    .mutation(({ ctx, input }) => setAssessmentScores(ctx.db, ctx.actor, input.id, input.finalScores)),
  returnSelf: officeProcedure
    .input(returnSelfAssessmentInput)
    .mutation(({ ctx, input }) =>
      returnSelfAssessment(ctx.db, ctx.actor, input.id, input.unitId, input.returnReason),
    ),

  // The live results are built by typed code: their shape is checked when compiling (the return
  // type), not parsed again on every view (3,000 units: a sixth of the read). A published version
  // is stored JSON and is parsed (`version`).
  results: officeProcedure
    .input(byId)
    .query(
      ({ ctx, input }): Promise<AssessmentResultsOutput> =>
        previewAssessmentResults(ctx.db, ctx.actor, input.id),
    ),
  publish: officeProcedure
    .input(publishAssessmentInput)
    .mutation(({ ctx, input: { id, ...opts } }) => publishAssessmentResults(ctx.db, ctx.actor, id, opts)),
  versions: officeProcedure
    .input(byId)
    .query(({ ctx, input }) => listAssessmentVersions(ctx.db, ctx.actor, input.id)),
  version: officeProcedure
    .input(assessmentVersionInput)
    .output(assessmentResultsOutput)
    .query(({ ctx, input }) => getAssessmentVersion(ctx.db, ctx.actor, input.id, input.version)),
  exportResults: officeProcedure.input(exportAssessmentResultsInput).query(async ({ ctx, input }) => {
    const { version, snapshot } = await assessmentResultsForExport(
      ctx.db,
      ctx.actor,
      input.id,
      input.version,
    );
    const title = `${snapshot.name} 考核结果${version === null ? "(未发布)" : `(第 ${version} 版)`}`;
    return xlsxFile(
      `${snapshot.name}-考核结果${version === null ? "-未发布" : `-第${version}版`}`,
      await writeResultsXlsx(snapshot.definition, snapshot.units, { title }),
    );
  }),

  /** A unit's own self-assessment (自评) and, once published, its results. */
  self: router({
    list: unitProcedure.query(({ ctx }) => listMyAssessments(ctx.db, ctx.unitId, ctx.now())),
    get: unitProcedure
      .input(byId)
      .query(({ ctx, input }) => getMyAssessment(ctx.db, ctx.unitId, input.id, ctx.now())),
    save: unitProcedure
      .input(saveSelfAssessmentInput)
      .mutation(({ ctx, input }) =>
        saveMyAssessment(ctx.db, ctx.actor, ctx.unitId, input.id, input.selfEntries, ctx.now()),
      ),
    submit: unitProcedure
      .input(byId)
      .mutation(({ ctx, input }) => submitMyAssessment(ctx.db, ctx.actor, ctx.unitId, input.id, ctx.now())),
  }),
});
