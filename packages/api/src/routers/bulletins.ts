import { createBulletin, getBulletinFiles, listBulletins, previewBulletin } from "@gongkai/db";
import { writeBulletinDocx, writeBulletinXlsx } from "@gongkai/files/bulletin";
import { bulletinDownloadInput, bulletinInput, keyed, planScopedInput } from "@gongkai/validators";
import { once } from "../once.ts";
import { officeProcedure, router } from "../trpc.ts";

export const bulletinsRouter = router({
  /** The figures a bulletin for a plan would publish as of a day. */
  preview: officeProcedure
    .input(bulletinInput)
    .query(({ ctx, input }) => previewBulletin(ctx.db, ctx.actor, input)),
  create: officeProcedure
    .input(keyed(bulletinInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "bulletins.create", requestKey, (db) => createBulletin(db, ctx.actor, input)),
    ),
  list: officeProcedure
    .input(planScopedInput)
    .query(({ ctx, input }) => listBulletins(ctx.db, ctx.actor, input.planId)),
  /** The bulletin as a .docx or .xlsx file (base64). */
  download: officeProcedure.input(bulletinDownloadInput).query(async ({ ctx, input }) => {
    const { meta, figures } = await getBulletinFiles(ctx.db, ctx.actor, input.id);
    const bytes =
      input.format === "docx"
        ? await writeBulletinDocx(meta, figures)
        : await writeBulletinXlsx(meta, figures);
    return {
      fileName: `${meta.title}(${meta.asOf}).${input.format}`,
      contentBase64: Buffer.from(bytes).toString("base64"),
    };
  }),
});
