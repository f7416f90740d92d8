import { confirmImport, planForExport } from "@gongkai/db";
import { writeTaskDivisionXlsx } from "@gongkai/files";
import { byId, confirmImportInput } from "@gongkai/validators";
import { officeProcedure, router } from "../trpc.ts";

/**
 * Importing a 工作要点: the preview is POST /api/imports/preview (a file upload with progress);
 * confirming creates everything in one transaction.
 */
export const importsRouter = router({
  confirm: officeProcedure
    .meta({ roles: ["admin", "office"], idempotent: true })
    .input(confirmImportInput)
    .mutation(({ ctx, input }) => confirmImport(ctx.db, ctx.actor, input)),
  /** A plan as a task-division .xlsx (base64) that imports back to the same tasks. */
  exportXlsx: officeProcedure.input(byId).query(async ({ ctx, input }) => {
    const plan = await planForExport(ctx.db, ctx.actor, input.id);
    const bytes = await writeTaskDivisionXlsx(plan);
    return { fileName: `${plan.title}-任务分工.xlsx`, contentBase64: Buffer.from(bytes).toString("base64") };
  }),
});
