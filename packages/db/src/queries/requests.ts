import { conflict } from "@gongkai/core";
import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { requestKeys } from "../schema/index.ts";

/**
 * Runs a creating request once per key, inside the caller's transaction: the key is claimed first
 * (a concurrent request with the same key waits on it, then finds the first one's result), the
 * work runs, and its result is kept with the key. A request without a key simply runs. A key used
 * by someone else, or for another kind of request, is refused: it is not a retry.
 */
export async function onceForKey<T>(
  tx: Db,
  who: { userId: number; kind: string; key: string | undefined },
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  if (!who.key) return { result: await work(), replayed: false };
  const [fresh] = await tx
    .insert(requestKeys)
    .values({ key: who.key, userId: who.userId, kind: who.kind })
    .onConflictDoNothing()
    .returning({ key: requestKeys.key });
  if (!fresh) {
    const [done] = await tx.select().from(requestKeys).where(eq(requestKeys.key, who.key));
    if (!done || done.userId !== who.userId || done.kind !== who.kind || done.result === null)
      throw conflict("这次提交的标识已被使用,请刷新页面后重新操作。");
    return { result: done.result as T, replayed: true };
  }
  const result = await work();
  await tx
    .update(requestKeys)
    .set({ result: JSON.parse(JSON.stringify(result ?? null)) })
    .where(eq(requestKeys.key, who.key));
  return { result, replayed: false };
}
