import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { AssignmentRole } from "@gongkai/core";
import { and, isNull, notLike, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { systemActor } from "../queries/actor.ts";
import { createPlan, createSection, setPlanStatus } from "../queries/plans.ts";
import { seedCalendar } from "../queries/seed-calendar.ts";
import { createTask, type UnitPick } from "../queries/tasks.ts";
import { createGroup, createUnit } from "../queries/units.ts";
import { createUser } from "../queries/users.ts";
import { notifications, units, users } from "../schema/index.ts";
import { seedDemoAssessment } from "./assessment.ts";
import { type DemoClock, demoClock, demoYearAt } from "./clock.ts";
import type { DemoContext } from "./context.ts";
import {
  type DemoUnit,
  xujingCommunities,
  xujingEnterprises,
  xujingGovernment,
  xujingGroups,
  xujingOffices,
  xujingRegionCode,
  xujingVillages,
} from "./directory.ts";
import { seedDemoEvaluation } from "./evaluation.ts";
import { type DemoTask, xujing2023Tasks } from "./plan-2023.ts";
import { seedDemoReports } from "./reports.ts";

/** The demo accounts (also printed in the README). */
export const demoAccounts = [
  { username: "admin", password: "Admin@2026", role: "admin", displayName: "系统管理员", unit: null },
  {
    username: "office",
    password: "Office@2026",
    role: "office",
    displayName: "徐泾镇政务公开办",
    unit: "镇政府",
  },
  {
    username: "dangzheng",
    password: "Unit@2026",
    role: "unit",
    displayName: "党政办公室联络员",
    unit: "党政办",
  },
  { username: "qianming", password: "Unit@2026", role: "unit", displayName: "前明村联络员", unit: "前明村" },
  {
    username: "evaluator",
    password: "Eval@2026",
    role: "evaluator",
    displayName: "第三方评估员",
    unit: null,
  },
] as const;

export const seedsDir = fileURLToPath(new URL("../../../../seeds/", import.meta.url));

/**
 * Loads the demo when the database has no units yet; returns whether it did. The demo lives in
 * the year of `now` (./clock.ts): its plan is this year's and its work done up to today.
 */
export async function seedDemoIfEmpty(
  db: Db,
  onStep?: (step: string) => void,
  now: Date = new Date(),
): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(units);
  if ((row?.n ?? 0) > 0) return false;
  await seedDemo(db, { onStep, year: demoYearAt(now), asOf: now });
  return true;
}

/**
 * The demo. `activity` adds a year of work on the plan (reports, reviews, notices) so the
 * dashboards have something to show; tests start without it so each test sets up its own.
 * `year` and `asOf` move the demo to a year and a day (./clock.ts; tests keep the document's
 * 2023 and every event). `onStep` is told each step as it starts (a first start prints them).
 */
export async function seedDemo(
  db: Db,
  opts: { activity?: boolean; onStep?: (step: string) => void; year?: number; asOf?: Date } = {},
): Promise<void> {
  const step = opts.onStep ?? (() => {});
  const clock = demoClock({ year: opts.year, asOf: opts.asOf });
  await seedCalendar(db);
  await db.transaction(async (tx) => {
    step("单位目录和演示账号");
    const actor = systemActor;
    const gov = await createUnit(tx, actor, {
      ...xujingGovernment,
      parentId: null,
      regionCode: xujingRegionCode,
    });
    const byName = new Map<string, number>([[gov.name, gov.id]]);
    if (xujingGovernment.shortName) byName.set(xujingGovernment.shortName, gov.id);
    const kindOf = new Map<number, string>();
    const add = async (list: DemoUnit[]) => {
      for (const [i, u] of list.entries()) {
        const row = await createUnit(tx, actor, { ...u, parentId: gov.id, sortOrder: (i + 1) * 10 });
        byName.set(u.name, row.id);
        if (u.shortName) byName.set(u.shortName, row.id);
        kindOf.set(row.id, u.kind);
      }
    };
    await add(xujingOffices);
    await add(xujingEnterprises);
    await add(xujingVillages);
    await add(xujingCommunities);
    const groupIds = new Map<string, number>();
    for (const g of xujingGroups) {
      const memberIds = [...kindOf].filter(([, kind]) => g.kinds.includes(kind as never)).map(([id]) => id);
      const group = await createGroup(tx, actor, {
        ownerUnitId: gov.id,
        name: g.name,
        aliases: g.aliases,
        memberIds,
      });
      groupIds.set(g.name, group.id);
    }
    const userIds = new Map<string, number>();
    for (const a of demoAccounts) {
      const user = await createUser(tx, actor, {
        username: a.username,
        password: a.password,
        role: a.role,
        displayName: a.displayName,
        unitId: a.unit ? (byName.get(a.unit) ?? null) : null,
      });
      userIds.set(a.username, user.id);
    }

    // The plan: text from the seed document, units and deadlines from plan-2023.ts, in the
    // demo's year.
    step(`${clock.year} 年工作要点和任务分工`);
    const text = clock.text(await readFile(`${seedsDir}001_6b261e1ba6fd1902.txt`, "utf8"));
    const plan = await createPlan(tx, actor, {
      year: clock.year,
      title: clock.text("关于徐泾镇2023年政务公开工作要点"),
      docNumber: clock.text("徐府〔2023〕32号"),
      issuerUnitId: gov.id,
      publishDate: clock.daySoFar("2023-06-07"),
    });
    let sectionId: number | null = null;
    for (const line of text.split(/\r?\n/)) {
      const section = /^([一二三四五六七八九十]+)、(.+)$/.exec(line);
      if (section?.[1] && section[2] && section[1] !== "一") {
        sectionId = (await createSection(tx, actor, plan.id, { code: `${section[1]}、`, title: section[2] }))
          .id;
        continue;
      }
      const task = /^(\d+)、(.+)$/.exec(line);
      if (!task?.[1] || !task[2]) continue;
      const demo = xujing2023Tasks[task[1]];
      if (!demo) throw new Error(`demo task ${task[1]} missing`);
      const content = task[2];
      const pick = (role: AssignmentRole): UnitPick => {
        const names = demo.units[role] ?? [];
        return {
          unitIds: names.filter((n) => byName.has(n)).map((n) => byName.get(n) as number),
          groupIds: names.filter((n) => groupIds.has(n)).map((n) => groupIds.get(n) as number),
        };
      };
      await createTask(tx, actor, plan.id, {
        sectionId,
        code: task[1],
        title: content.slice(0, content.indexOf("。")),
        content,
        category: demo.category,
        units: { lead: pick("lead"), cooperating: pick("cooperating"), responsible: pick("responsible") },
        deadlines: (demo.deadlines ?? []).map((d) => movedDeadline(d, clock)),
      });
    }
    await setPlanStatus(tx, actor, plan.id, "published");

    const ctx: DemoContext = { govId: gov.id, unitIds: byName, groupIds, userIds, planId: plan.id, clock };
    if (opts.activity ?? true) {
      step("一年的进展报告、审核和督办");
      await seedDemoReports(tx, ctx);
    }
    step("年度考核方案和评分");
    await seedDemoAssessment(tx, ctx);
    step("第三方评估项目和排名");
    await seedDemoEvaluation(tx, ctx);
    // Every account made here is the demo's: listed on the sign-in page, its password published.
    await tx.update(users).set({ demo: true });
    // The demo's past: what its users were told along the way they have read, as anyone using
    // the system would have; only the notices still waiting for an answer stay unread.
    await tx
      .update(notifications)
      .set({ readAt: clock.asOf ?? new Date() })
      .where(and(isNull(notifications.readAt), notLike(notifications.kind, "notice.%")));
  });
}

/** A deadline of the demo plan in the demo's year (only a `by` rule carries a date). */
function movedDeadline(d: NonNullable<DemoTask["deadlines"]>[number], clock: DemoClock) {
  return d.rule.kind === "by" ? { ...d, rule: { ...d.rule, date: clock.date(d.rule.date) } } : d;
}
