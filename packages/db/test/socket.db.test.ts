import { existsSync } from "node:fs";
import { sql } from "drizzle-orm";
import { expect, inject, it } from "vitest";
import { createDatabase } from "../src/client.ts";

// The PostgreSQL pass: the same server reached through its Unix socket (the Debian packages'
// directory), the way a single-machine deployment should connect.
it.runIf(inject("pgAdminUrl") !== null)(
  "connects to PostgreSQL through a Unix socket named libpq's way",
  async () => {
    const dir = "/var/run/postgresql";
    const database = await createDatabase({
      url: `postgres://postgres@localhost/postgres?host=${dir}`,
      max: 1,
    });
    try {
      if (!existsSync(`${dir}/.s.PGSQL.5432`)) {
        await expect(database.db.execute(sql`select 1`)).rejects.toThrow(/s\.PGSQL\.5432|ENOENT/);
        return;
      }
      const rows = (await database.db.execute(
        sql`select inet_server_addr() is null as "overSocket"`,
      )) as unknown as {
        overSocket: boolean;
      }[];
      expect(rows[0]?.overSocket).toBe(true);
    } finally {
      await database.close();
    }
  },
);
