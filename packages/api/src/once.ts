import { type Db, onceForKey } from "@gongkai/db";

/**
 * A creating mutation run once per `requestKey` (see `onceForKey`): a double click or a retried
 * request answers with what the first one created instead of creating it again.
 */
export async function once<T>(
  ctx: { db: Db; user: { id: number } },
  kind: string,
  key: string | undefined,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(
    async (tx) => (await onceForKey(tx, { userId: ctx.user.id, kind, key }, () => work(tx))).result,
  );
}
