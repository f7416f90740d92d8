import { createHash } from "node:crypto";
import {
  claimedExtension,
  evidenceExtensions,
  isDomainError,
  safeFileName,
  sniffFileType,
} from "@gongkai/core";
import {
  canReadFile,
  type Database,
  deleteStoredFile,
  getStoredFile,
  insertStoredFileWithinQuota,
  recordAudit,
  type SessionPolicy,
  type UploadQuota,
} from "@gongkai/db";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { env } from "./env.ts";
import { type RestEnv as Env, problem, requireSession } from "./rest-session.ts";
import { type FileStore, storageKeyFor } from "./storage.ts";

export const maxEvidenceBytes = 20 * 1024 * 1024;

/**
 * File upload and download (evidence, screenshots) at /api/files. Both need a session; a download
 * is allowed only to those who may see where the file is used (canReadFile). Uploads are typed from
 * their bytes, limited to 20 MB and by the uploader's quota, and stored by content hash: staged
 * under a temporary name, the row written, then moved to its key (a killed upload leaves only a
 * temporary file, which the daily sweep deletes).
 */
export function filesRoutes(opts: {
  database: Database;
  sessionPolicy?: SessionPolicy;
  store: FileStore;
  now: () => Date;
  /** Default: UPLOAD_QUOTA_MB and UPLOAD_FILES_PER_DAY from the environment. */
  quota?: UploadQuota;
  /** The client's address, for the audit log (the app's reading, X-Forwarded-For behind a proxy). */
  clientIp?: (c: Context) => string | null;
}) {
  const { database, store } = opts;
  const quota = opts.quota ?? {
    maxBytesPerUser: env.UPLOAD_QUOTA_MB * 1024 * 1024,
    maxFilesPerDay: env.UPLOAD_FILES_PER_DAY,
  };
  const app = new Hono<Env>();

  const requireSignedIn = requireSession(opts);

  /** The permission check for downloads: a file the user may not see is NOT_FOUND. */
  const requireReadable: MiddlewareHandler<Env> = async (c, next) => {
    const id = Number(c.req.param("id"));
    const file =
      Number.isInteger(id) && id > 0 && id <= 2_147_483_647
        ? await getStoredFile(database.db, id)
        : undefined;
    if (!file || !(await canReadFile(database.db, c.get("user"), file))) {
      return c.json(problem("文件不存在或您无权查看。"), 404);
    }
    await next();
  };

  app.use("*", requireSignedIn);

  app.post(
    "/",
    bodyLimit({
      maxSize: maxEvidenceBytes + 64 * 1024,
      onError: (c) => c.json(problem("文件超过 20 MB,请压缩或拆分后再上传。"), 413),
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => null);
      const file = form?.file;
      if (!(file instanceof File)) return c.json(problem("没有收到文件,请选择文件后再上传。"), 400);
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.length === 0)
        return c.json(problem(`「${safeFileName(file.name)}」是空文件,请选择有内容的文件。`), 400);
      if (bytes.length > maxEvidenceBytes)
        return c.json(problem("文件超过 20 MB,请压缩或拆分后再上传。"), 413);
      const sniffed = sniffFileType(bytes);
      const name = safeFileName(file.name);
      if (!sniffed) {
        return c.json(
          problem(`无法识别「${name}」的文件类型。佐证材料只接受 PDF、OFD、Word、Excel、JPG、PNG 文件。`),
          415,
        );
      }
      const claimed = claimedExtension(name);
      const compatible =
        claimed === sniffed.ext || (claimed === "" && evidenceExtensions.includes(sniffed.ext));
      if (!compatible) {
        return c.json(
          problem(`「${name}」的扩展名与文件内容不符(内容是${sniffed.label})。请确认文件后重新上传。`),
          415,
        );
      }
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const storageKey = storageKeyFor(sha256);
      const user = c.get("user");
      const actor = { userId: user.id, role: user.role, unitId: user.unitId, scopePath: user.unitPath };
      const staged = await store.stage(storageKey, bytes);
      let row: Awaited<ReturnType<typeof insertStoredFileWithinQuota>>;
      try {
        row = await database.db.transaction(async (tx) => {
          const stored = await insertStoredFileWithinQuota(
            tx,
            {
              sha256,
              sizeBytes: bytes.length,
              mimeType: sniffed.mimeType,
              fileName: name,
              storageKey,
              uploadedBy: user.id,
              unitId: user.unitId,
              createdAt: opts.now(),
            },
            quota,
          );
          await recordAudit(tx, actor, {
            action: "file.upload",
            entityType: "file",
            entityId: stored.id,
            after: { ...stored },
          });
          return stored;
        });
      } catch (e) {
        await store.remove(staged).catch(() => {});
        if (isDomainError(e)) {
          const status = e.code === "TOO_MANY_REQUESTS" ? 429 : e.code === "PAYLOAD_TOO_LARGE" ? 413 : 400;
          return c.json(problem(e.message), status);
        }
        throw e;
      }
      // Only now, with the row committed, do the bytes take their key.
      try {
        await store.commit(staged, storageKey);
      } catch (e) {
        console.error(`[files] upload ${row.id}: the bytes could not be moved to ${storageKey}:`, e);
        // Take the row back, so the upload leaves nothing; if that fails too, the sweep moves the
        // staged bytes to their key once the grace period has passed.
        try {
          await database.db.transaction(async (tx) => {
            await deleteStoredFile(tx, row.id);
            await recordAudit(tx, actor, {
              action: "file.upload.undone",
              entityType: "file",
              entityId: row.id,
              before: { ...row },
            });
          });
          await store.remove(staged);
        } catch (undo) {
          console.error(`[files] upload ${row.id} could not be taken back:`, undo);
        }
        return c.json(problem("文件未能保存,请重新上传;如仍失败,请联系系统管理员。"), 500);
      }
      return c.json({
        id: row.id,
        fileName: row.fileName,
        mimeType: row.mimeType,
        sizeBytes: row.sizeBytes,
        sha256,
      });
    },
  );

  app.get("/:id", requireReadable, async (c) => {
    const file = await getStoredFile(database.db, Number(c.req.param("id")));
    const bytes = file ? await store.get(file.storageKey) : null;
    if (!file || !bytes) return c.json(problem("文件内容已丢失,请联系系统管理员。"), 410);
    // Who downloaded which evidence, from where (等保: 重要用户行为审计).
    const user = c.get("user");
    await recordAudit(
      database.db,
      { userId: user.id, role: user.role, unitId: user.unitId, scopePath: user.unitPath },
      {
        action: "file.download",
        entityType: "file",
        entityId: file.id,
        after: {
          fileName: file.fileName,
          ip: opts.clientIp?.(c) ?? null,
          userAgent: c.req.header("user-agent") ?? null,
        },
      },
    );
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": file.mimeType,
      "content-length": String(bytes.length),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });

  return app;
}
