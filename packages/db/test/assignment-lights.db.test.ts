import { groupLight, localDate } from "@gongkai/core";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignmentLights, loadCalendar, seedDemoIfEmpty } from "../src/index.ts";
import { rawRows } from "../src/queries/any.ts";
import { deadlines, plans, progressReports, taskAssignments } from "../src/schema/index.ts";
import { createTestDatabase, type TestDatabase, testDbKinds } from "../src/testing.ts";

/**
 * The light inputs the database keeps on each assignment (migration 0020's triggers) against the
 * lights the plan page computes from the reports themselves (core's trafficLight over every
 * approval): on the demo's year of work they must give every lead and responsible unit the same
 * light, on the day the demo was seeded and on later days (due dates coming close, periods closing).
 */
describe.each(testDbKinds())("the light inputs kept per assignment on %s", (kind) => {
  const asOf = new Date("2026-12-07T09:00:00+08:00");
  const daysLater = (n: number) => localDate(new Date(asOf.getTime() + n * 86_400_000));
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    expect(await seedDemoIfEmpty(database.db, undefined, asOf)).toBe(true);
  }, 180_000);
  afterAll(() => database?.drop());

  async function compare(today: string) {
    const { db } = database;
    const calendar = await loadCalendar(db);
    const planIds = (await db.select({ id: plans.id }).from(plans)).map((p) => p.id);
    const computed = await assignmentLights(db, { planIds }, { today, calendar, dueSoonWorkingDays: 5 });
    const kept = await db
      .select({
        taskId: taskAssignments.taskId,
        unitId: taskAssignments.unitId,
        role: taskAssignments.role,
        done: taskAssignments.done,
        firstDue: taskAssignments.firstDue,
        gapStarts: taskAssignments.gapStarts,
        gapEnds: taskAssignments.gapEnds,
      })
      .from(taskAssignments);
    const byKey = new Map(kept.map((k) => [`${k.taskId}:${k.unitId}:${k.role}`, k]));
    const mismatches: string[] = [];
    let compared = 0;
    for (const c of computed) {
      if (c.role === "cooperating") continue; // judged on the leads' work, not kept
      const k = byKey.get(`${c.taskId}:${c.unitId}:${c.role}`);
      if (!k) throw new Error(`no assignment row for ${c.taskId}:${c.unitId}`);
      const missed = k.gapEnds[0] !== undefined && k.gapEnds[0] < today;
      const open = k.gapStarts
        .map((s, i) => ({ s, e: k.gapEnds[i] as string }))
        .filter((g) => g.s <= today && g.e >= today)
        .map((g) => g.e)
        .sort()[0];
      const light = groupLight(
        {
          done: k.done,
          periodMissed: missed && !k.done,
          firstDue: k.firstDue,
          openPeriodEnd: open ?? null,
          dueSoonWorkingDays: 5,
        },
        today,
        calendar,
      );
      compared++;
      if (light !== c.light)
        mismatches.push(`${c.code} ${c.unitName}: kept ${light}, computed ${c.light} (${c.reason})`);
    }
    return { compared, mismatches, lights: new Set(computed.map((c) => c.light)) };
  }

  it("gives every assignment of the demo the plan page's light, today and on later days", async () => {
    const today = localDate(asOf);
    const seen = new Set<string>();
    for (const day of [today, daysLater(10), daysLater(20)]) {
      const r = await compare(day);
      expect(r.mismatches, day).toEqual([]);
      expect(r.compared).toBeGreaterThan(100);
      for (const l of r.lights) seen.add(l);
    }
    // The comparison means something only if the demo has lights of every kind.
    expect([...seen].sort()).toEqual(["done", "dueSoon", "onTrack", "overdue"]);
  });

  it("follows writes the application never routes through it: a report deleted, a deadline moved", async () => {
    const { db } = database;
    const [doneReport] = await db
      .select({ id: progressReports.id, taskId: progressReports.taskId, unitId: progressReports.unitId })
      .from(progressReports)
      .where(and(eq(progressReports.state, "approved"), eq(progressReports.status, "done")))
      .limit(1);
    if (!doneReport) throw new Error("the demo has an approved 已完成 report");
    const kept = () =>
      db
        .select({ done: taskAssignments.done, firstDue: taskAssignments.firstDue })
        .from(taskAssignments)
        .where(
          and(eq(taskAssignments.taskId, doneReport.taskId), eq(taskAssignments.unitId, doneReport.unitId)),
        );
    expect((await kept())[0]?.done).toBe(true);
    await db.delete(progressReports).where(eq(progressReports.id, doneReport.id));
    expect((await kept())[0]?.done).toBe(false);

    const [fixed] = await db
      .select({ id: deadlines.id, taskId: deadlines.taskId })
      .from(deadlines)
      .where(and(eq(deadlines.kind, "by"), sql`${deadlines.dueDate} is not null`))
      .limit(1);
    if (!fixed) throw new Error("the demo has a fixed deadline");
    await db.update(deadlines).set({ dueDate: "2026-01-05" }).where(eq(deadlines.id, fixed.id));
    const dues = await db
      .select({ firstDue: taskAssignments.firstDue })
      .from(taskAssignments)
      .where(eq(taskAssignments.taskId, fixed.taskId));
    expect(dues.length).toBeGreaterThan(0);
    for (const d of dues) expect(d.firstDue).toBe("2026-01-05");
  });

  it("keeps each task's light groups equal to a count of its assignments, after all the writes above", async () => {
    const { db } = database;
    const text = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
    const kept = await rawRows<Record<string, unknown>>(
      db,
      sql`select task_id, done, first_due::text, gap_starts::text, gap_ends::text, assignments, awaiting_review
            from task_light_groups`,
    );
    const counted = await rawRows<Record<string, unknown>>(
      db,
      sql`select task_id, done, first_due::text, gap_starts::text, gap_ends::text, count(*)::int as assignments,
                 (count(*) filter (where awaiting_review))::int as awaiting_review
            from task_assignments where role <> 'cooperating'
           group by task_id, done, first_due, gap_starts, gap_ends`,
    );
    expect(counted.length).toBeGreaterThan(20);
    expect(text(kept)).toEqual(text(counted));
  });

  // Two sessions at once: PostgreSQL only (PGlite is one connection).
  if (kind === "postgres")
    it("counts two reports approved at once by two reviewers: neither overwrites the other's count", async () => {
      const { db } = database;
      // A quarterly task's lead, asked for two activities in the first quarter instead of one,
      // with two reports awaiting review for it.
      const [target] = await rawRows<{ deadlineId: number; taskId: number; unitId: number }>(
        db,
        sql`select d.id as "deadlineId", a.task_id as "taskId", a.unit_id as "unitId"
              from deadlines d join task_assignments a on a.task_id = d.task_id and a.role = 'lead'
             where d.kind = 'recurring' and d.rule->>'period' = 'quarter' order by d.id limit 1`,
      );
      if (!target) throw new Error("the demo has a quarterly task");
      await db.execute(
        sql`update deadlines set rule = jsonb_set(rule, '{times}', '2') where id = ${target.deadlineId}`,
      );
      const ids: number[] = [];
      for (const [period, on] of [
        ["2026-Q1-a", "2026-01-15"],
        ["2026-Q1-b", "2026-02-15"],
      ] as const) {
        const [r] = await db
          .insert(progressReports)
          .values({
            taskId: target.taskId,
            unitId: target.unitId,
            role: "lead",
            period,
            periodStart: "2026-01-01",
            periodEnd: "2026-03-31",
            occurredOn: on,
            state: "submitted",
            submittedAt: new Date(`${on}T02:00:00Z`),
          })
          .returning({ id: progressReports.id });
        ids.push((r as { id: number }).id);
      }
      const gapStart = async () => {
        const [a] = await db
          .select({ s: taskAssignments.gapStarts })
          .from(taskAssignments)
          .where(and(eq(taskAssignments.taskId, target.taskId), eq(taskAssignments.unitId, target.unitId)));
        return a?.s[0];
      };
      expect(await gapStart()).toBe("2026-01-01");

      const approve = (id: number) => sql`update progress_reports set state = 'approved' where id = ${id}`;
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let updated!: () => void;
      const firstUpdated = new Promise<void>((r) => {
        updated = r;
      });
      const first = db.transaction(async (tx) => {
        await tx.execute(approve(ids[0] as number));
        updated();
        await held;
      });
      await firstUpdated;
      let secondDone = false;
      const second = db
        .transaction(async (tx) => {
          await tx.execute(approve(ids[1] as number));
        })
        .then(() => {
          secondDone = true;
        });
      // The second reviewer's statement waits for the first's assignment lock (a state, not a
      // time); were it not to wait, it would finish with the first still open.
      while (!secondDone) {
        const [w] = await rawRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from pg_stat_activity
               where datname = current_database() and wait_event_type = 'Lock'`,
        );
        if ((w?.n ?? 0) > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      release();
      await Promise.all([first, second]);
      // Both approvals counted: the first quarter is met, its gap gone.
      expect(await gapStart()).not.toBe("2026-01-01");
    });
});
