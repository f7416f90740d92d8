import {
  createEvaluationAppeal,
  createEvaluationProject,
  decideEvaluationAppeal,
  getEvaluationAgreement,
  getEvaluationGrid,
  getEvaluationProject,
  getEvaluationReconciliation,
  getUnitEvaluationResult,
  listEvaluationAppeals,
  listEvaluationProjects,
  listEvaluatorUsers,
  listUnitEvaluations,
  previewEvaluationResults,
  projectAccess,
  publishEvaluationResults,
  requireManager,
  saveEvaluationScores,
  setEvaluationAssignments,
  setEvaluationFinalScore,
  setEvaluationIndicatorSystem,
  setEvaluationUnits,
  showEvaluationResults,
  startEvaluationScoring,
  submitEvaluationUnit,
  unitProjectAccess,
  updateEvaluationProject,
} from "@gongkai/db";
import { readIndicatorSystemXlsxIsolated } from "@gongkai/files";
import {
  createAppealInput,
  createEvaluationInput,
  decideAppealInput,
  evaluationGridInput,
  evaluationProjectRef,
  evaluationUnitRef,
  importIndicatorSystemInput,
  keyed,
  publishEvaluationInput,
  reconciliationInput,
  saveEvaluationScoresInput,
  setEvaluationAssignmentsInput,
  setEvaluationUnitsInput,
  setFinalScoreInput,
  setIndicatorSystemInput,
  updateEvaluationInput,
} from "@gongkai/validators";
import { decodeUpload } from "../files.ts";
import { once } from "../once.ts";
import { officeProcedure, roleProcedure, router, unitProcedure } from "../trpc.ts";

/** The office, the lead and evaluators reach evaluation procedures; the project decides the rest. */
const evaluationRoles = roleProcedure("admin", "office", "evaluator");

/**
 * Some part in the project: the office owning it, its lead, or an evaluator assigned to a unit of
 * it. Anyone else gets NOT_FOUND (the project's existence is not revealed).
 */
const projectProcedure = evaluationRoles
  .input(evaluationProjectRef)
  .use(async ({ ctx, input, next }) =>
    next({ ctx: { project: await projectAccess(ctx.db, ctx.actor, input.projectId) } }),
  );

/** Managing the project: its office or its lead (a fellow evaluator is refused). */
const managerProcedure = projectProcedure.use(({ ctx, next }) => {
  requireManager(ctx.project);
  return next();
});

/** Scoring: an evaluator with a part in the project; which units are its own is checked per unit. */
const scorerProcedure = roleProcedure("evaluator")
  .input(evaluationProjectRef)
  .use(async ({ ctx, input, next }) =>
    next({ ctx: { project: await projectAccess(ctx.db, ctx.actor, input.projectId) } }),
  );

/** A unit's own results: its unit is evaluated in the project and the results were shown to units. */
const unitResultProcedure = unitProcedure.input(evaluationProjectRef).use(async ({ ctx, input, next }) => {
  await unitProjectAccess(ctx.db, ctx.unitId, input.projectId);
  return next();
});

export const evaluationRouter = router({
  list: evaluationRoles.query(({ ctx }) => listEvaluationProjects(ctx.db, ctx.actor)),
  get: projectProcedure.query(({ ctx }) => getEvaluationProject(ctx.db, ctx.actor, ctx.project)),
  evaluatorOptions: officeProcedure.query(({ ctx }) => listEvaluatorUsers(ctx.db, ctx.actor)),

  // setup
  create: officeProcedure
    .input(keyed(createEvaluationInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "evaluation.create", requestKey, (db) => createEvaluationProject(db, ctx.actor, input)),
    ),
  update: managerProcedure
    .input(updateEvaluationInput)
    .mutation(({ ctx, input: { projectId: _, ...input } }) =>
      updateEvaluationProject(ctx.db, ctx.actor, ctx.project, input),
    ),
  setIndicatorSystem: managerProcedure
    .input(setIndicatorSystemInput)
    .mutation(({ ctx, input }) =>
      setEvaluationIndicatorSystem(ctx.db, ctx.actor, ctx.project, input.indicatorSystem),
    ),
  importIndicatorSystem: managerProcedure
    .input(importIndicatorSystemInput)
    .mutation(async ({ ctx, input }) => {
      const system = await readIndicatorSystemXlsxIsolated(decodeUpload(input), {
        name: input.fileName.replace(/\.xlsx$/i, ""),
      });
      return setEvaluationIndicatorSystem(ctx.db, ctx.actor, ctx.project, system);
    }),
  setUnits: managerProcedure
    .input(setEvaluationUnitsInput)
    .mutation(({ ctx, input }) => setEvaluationUnits(ctx.db, ctx.actor, ctx.project, input.units)),
  setAssignments: managerProcedure
    .input(setEvaluationAssignmentsInput)
    .mutation(({ ctx, input }) =>
      setEvaluationAssignments(ctx.db, ctx.actor, ctx.project, input.assignments),
    ),
  startScoring: managerProcedure.mutation(({ ctx }) =>
    startEvaluationScoring(ctx.db, ctx.actor, ctx.project),
  ),

  // scoring
  grid: scorerProcedure
    .input(evaluationGridInput)
    .query(({ ctx, input }) =>
      getEvaluationGrid(ctx.db, ctx.actor, ctx.project, { page: input.page, pageSize: input.pageSize }),
    ),
  saveScores: scorerProcedure
    .input(saveEvaluationScoresInput)
    .mutation(({ ctx, input }) =>
      saveEvaluationScores(ctx.db, ctx.actor, ctx.project, input.scores, ctx.now()),
    ),
  submitUnit: scorerProcedure
    .input(evaluationUnitRef)
    .mutation(({ ctx, input }) =>
      submitEvaluationUnit(ctx.db, ctx.actor, ctx.project, input.unitId, ctx.now()),
    ),

  // reconciliation
  reconciliation: managerProcedure
    .input(reconciliationInput)
    .query(({ ctx, input }) => getEvaluationReconciliation(ctx.db, ctx.project, { unitId: input.unitId })),
  setFinalScore: managerProcedure
    .input(setFinalScoreInput)
    .mutation(({ ctx, input: { projectId: _, ...input } }) =>
      setEvaluationFinalScore(ctx.db, ctx.actor, ctx.project, input, ctx.now()),
    ),
  agreement: managerProcedure.query(({ ctx }) => getEvaluationAgreement(ctx.db, ctx.project)),

  // results, appeals, publishing
  /** The live ranking: each unit's first-level indicators (a published version has them all). */
  preview: managerProcedure.query(({ ctx }) =>
    previewEvaluationResults(ctx.db, ctx.project, ctx.now(), "firstLevel"),
  ),
  showResults: managerProcedure.mutation(({ ctx }) =>
    showEvaluationResults(ctx.db, ctx.actor, ctx.project, ctx.now()),
  ),
  appeals: managerProcedure.query(({ ctx }) => listEvaluationAppeals(ctx.db, ctx.project)),
  decideAppeal: managerProcedure
    .input(decideAppealInput)
    .mutation(({ ctx, input: { projectId: _, ...input } }) =>
      decideEvaluationAppeal(ctx.db, ctx.actor, ctx.project, input, ctx.now()),
    ),
  publish: managerProcedure
    .input(publishEvaluationInput)
    .mutation(({ ctx, input }) =>
      publishEvaluationResults(ctx.db, ctx.actor, ctx.project, input.reason, ctx.now()),
    ),

  // a unit's own results
  mine: unitProcedure.query(({ ctx }) => listUnitEvaluations(ctx.db, ctx.unitId, ctx.now())),
  myResult: unitResultProcedure.query(({ ctx, input }) =>
    getUnitEvaluationResult(ctx.db, ctx.unitId, input.projectId, ctx.now()),
  ),
  appeal: unitResultProcedure
    .input(keyed(createAppealInput))
    .mutation(({ ctx, input: { projectId, requestKey, ...input } }) =>
      once(ctx, "evaluation.appeal", requestKey, (db) =>
        createEvaluationAppeal(db, ctx.actor, ctx.unitId, projectId, input, ctx.now()),
      ),
    ),
});
