import { isDomainError } from "@gongkai/core";
import { type Database, previewImport, type SessionPolicy } from "@gongkai/db";
import { readDocumentIsolated } from "@gongkai/files";
import { importPreviewFields } from "@gongkai/validators";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type RestEnv as Env, problem, requireSession } from "./rest-session.ts";

const maxBytes = 10 * 1024 * 1024;

/**
 * POST /api/imports/preview: a 工作要点 as an uploaded file (.txt in UTF-8/GBK/GB18030/Big5, a
 * saved web page, a PDF with a text layer, .docx, .xlsx) — read in a worker thread with a memory
 * and time cap (@gongkai/files/isolated) — or pasted text → the parsed plans with every unit phrase matched to the directory. A
 * route rather than a tRPC call so the page can show upload progress for large files. Office only.
 */
export function importsRoutes(opts: { database: Database; now: () => Date; sessionPolicy?: SessionPolicy }) {
  const { database } = opts;
  const app = new Hono<Env>();

  const requireOffice = requireSession({ ...opts, roles: ["office", "admin"] });

  app.post(
    "/preview",
    requireOffice,
    bodyLimit({
      maxSize: maxBytes + 256 * 1024,
      onError: (c) => c.json(problem("文件超过 10 MB,请拆分后再导入。"), 413),
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => null);
      if (!form) return c.json(problem("请求格式有误,请重新选择文件或粘贴文字。"), 400);
      const fields = importPreviewFields.safeParse({
        year: typeof form.year === "string" && form.year ? form.year : undefined,
        text: typeof form.text === "string" ? form.text : undefined,
      });
      if (!fields.success) return c.json(problem(`输入有误:${fields.error.issues[0]?.message ?? ""}`), 400);
      const user = c.get("user");
      const actor = {
        userId: user.id,
        role: user.role,
        unitId: user.unitId,
        scopePath: user.role === "admin" ? null : user.unitPath,
      };
      try {
        let source: Parameters<typeof previewImport>[2];
        if (form.file instanceof File) {
          if (form.file.size > maxBytes) return c.json(problem("文件超过 10 MB,请拆分后再导入。"), 413);
          const bytes = new Uint8Array(await form.file.arrayBuffer());
          source = await readDocumentIsolated(bytes, form.file.name);
        } else if (fields.data.text?.trim()) {
          source = { kind: "text", text: fields.data.text };
        } else {
          return c.json(problem("请粘贴工作要点的文字,或选择 .txt、.docx、.xlsx 文件。"), 400);
        }
        return c.json(await previewImport(database.db, actor, source, { year: fields.data.year }));
      } catch (e) {
        if (isDomainError(e)) {
          const status = e.code === "PAYLOAD_TOO_LARGE" ? 413 : e.code === "TOO_MANY_REQUESTS" ? 429 : 400;
          return c.json(problem(e.message), status);
        }
        throw e;
      }
    },
  );
  return app;
}
