import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

const roleName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Least privilege (等保 2.0 访问控制: 最小权限): the schema belongs to the role that runs the
 * migrations; the application connects as another role with rows only — SELECT, INSERT, UPDATE,
 * DELETE on the tables, none of them owned, no DDL, and on the audit log SELECT and INSERT alone
 * (no UPDATE, DELETE or TRUNCATE; disabling its triggers needs ownership it does not have). Run as
 * the owner after each migration; tables later migrations create get the same rights by default.
 */
export async function grantAppRole(owner: Db, appRole: string) {
  if (!roleName.test(appRole)) throw new Error(`not a plain role name: ${appRole}`);
  const role = sql.identifier(appRole);
  await owner.transaction(async (tx) => {
    await tx.execute(sql`revoke create on schema public from public`);
    await tx.execute(sql`grant usage on schema public to ${role}`);
    await tx.execute(sql`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await tx.execute(sql`grant usage, select on all sequences in schema public to ${role}`);
    await tx.execute(sql`revoke update, delete, truncate, references, trigger on audit_log from ${role}`);
    await tx.execute(
      sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${role}`,
    );
    await tx.execute(
      sql`alter default privileges in schema public grant usage, select on sequences to ${role}`,
    );
  });
}

/** The role a connection acts as. */
export async function currentRole(db: Db): Promise<string> {
  const result = (await db.execute(sql`select current_user as name`)) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows[0] as { name: string }).name;
}
