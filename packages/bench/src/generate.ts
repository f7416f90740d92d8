/**
 * The synthetic province: a deterministic generator of a year of 政务公开 work for every level of a
 * province (or one county, or a tiny county for tests). It writes rows to a `Sink` table by table;
 * the same scale and seed always give the same rows.
 *
 * Shape (province): 1 province, 14 cities, 120 counties, 1,300 towns, departments under each
 * government, villages and communities under each town (~20,000 units); one published plan per
 * government (~1,450) with 30–60 tasks each (~45,000); lead, cooperating and responsible units,
 * groups expanded to their members (~500,000 assignments); progress reports for every reporting
 * period up to the bench's "today" with evidence, revisions, reviews and audit rows (~3,000,000
 * reports); supervision notices (~50,000); an assessment of 3,000 units × 150 indicators and a
 * third-party evaluation of 3,000 units × 150 indicators × 2 evaluators.
 */
import {
  type Category,
  type DeadlineRule,
  type IndicatorSystem,
  type ReportingCycle,
  reportingPeriods,
  type WorkingCalendar,
} from "@gongkai/core";
import {
  evidenceTitles,
  localDepartments,
  noticeContents,
  placeFirst,
  placeSecond,
  provinceDepartments,
  provinceName,
  reportSummaries,
  returnReasons,
  sectionHeadings,
  taskTitles,
  townOffices,
} from "./names.ts";
import { Random, seedFor } from "./random.ts";
import type { Sink, TableName, Value } from "./tables.ts";

export type ScaleName = "tiny" | "county" | "province";
export const scaleNames: ScaleName[] = ["tiny", "county", "province"];

type Level = "province" | "city" | "county" | "town";

export type Scale = {
  name: ScaleName;
  /** The top of the tree. */
  root: "province" | "county";
  cities: number;
  countiesPerCity: [number, number];
  townsPerCounty: [number, number];
  departments: Record<Exclude<Level, "town">, number>;
  townOffices: number;
  villagesPerTown: [number, number];
  tasksPerPlan: Record<Level, number>;
  /** Probability that a task names the level below as responsible (各区县政府, 各村(社区)…). */
  childGroupShare: Record<Level, number>;
  /** Probability that a task names every department as responsible (市政府各部门…). */
  departmentGroupShare: number;
  /** Share of plans that report monthly (the rest quarterly), per level. */
  monthlyShare: Record<Level, number>;
  /** Supervision notices started per lead/responsible assignment (escalations come on top). */
  noticeRate: number;
  assessmentUnits: number;
  evaluationUnits: number;
  evaluators: number;
};

export const scales: Record<ScaleName, Scale> = {
  province: {
    name: "province",
    root: "province",
    cities: 14,
    countiesPerCity: [8, 9],
    townsPerCounty: [10, 12],
    departments: { province: 40, city: 30, county: 25 },
    townOffices: 4,
    villagesPerTown: [5, 10],
    tasksPerPlan: { province: 60, city: 50, county: 40, town: 30 },
    childGroupShare: { province: 0.6, city: 0.6, county: 0.75, town: 0.85 },
    departmentGroupShare: 0.2,
    monthlyShare: { province: 1, city: 1, county: 0.55, town: 0.42 },
    noticeRate: 0.095,
    assessmentUnits: 3000,
    evaluationUnits: 3000,
    evaluators: 20,
  },
  county: {
    name: "county",
    root: "county",
    cities: 0,
    countiesPerCity: [1, 1],
    townsPerCounty: [11, 11],
    departments: { province: 0, city: 0, county: 25 },
    townOffices: 4,
    villagesPerTown: [5, 10],
    tasksPerPlan: { province: 0, city: 0, county: 40, town: 30 },
    childGroupShare: { province: 0, city: 0, county: 0.75, town: 0.85 },
    departmentGroupShare: 0.2,
    monthlyShare: { province: 1, city: 1, county: 0.5, town: 0.35 },
    noticeRate: 0.085,
    assessmentUnits: 80,
    evaluationUnits: 80,
    evaluators: 4,
  },
  tiny: {
    name: "tiny",
    root: "county",
    cities: 0,
    countiesPerCity: [1, 1],
    townsPerCounty: [2, 2],
    departments: { province: 0, city: 0, county: 3 },
    townOffices: 2,
    villagesPerTown: [3, 3],
    tasksPerPlan: { province: 0, city: 0, county: 6, town: 4 },
    childGroupShare: { province: 0, city: 0, county: 0.75, town: 0.85 },
    departmentGroupShare: 0.2,
    monthlyShare: { province: 1, city: 1, county: 0.5, town: 0.5 },
    noticeRate: 0.2,
    assessmentUnits: 5,
    evaluationUnits: 5,
    evaluators: 2,
  },
};

/** The data's year and the bench's clock: mid-December, so every period but the last has closed. */
export const benchYear = 2024;
export const benchNow = new Date("2024-12-16T02:00:00Z");
export const benchPassword = "Bench@2026";
export const defaultSeed = 20240601;
/** Tasks whose reports form one loading segment (~70,000 reports at province scale). */
const tasksPerSegment = 1000;

export type GenerateOptions = {
  seed?: number;
  /** argon2 hash of `benchPassword`, shared by every generated account. */
  passwordHash: string;
  /** The working-day calendar (for `after` deadlines whose event date is known). */
  calendar: WorkingCalendar;
};

export type GeneratedSummary = {
  rows: Partial<Record<TableName, number>>;
  /** Ids the bench and the tests look things up by. */
  rootUnitId: number;
  adminUserId: number;
  assessmentSchemeId: number;
  evaluationProjectId: number;
  unitsByLevel: Record<string, number>;
};

// ------------------------------------------------------------------ dates

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Midnight of 1 January of the bench year in China (UTC+8). */
const yearStartMs = Date.UTC(benchYear, 0, 1) - 8 * HOUR_MS;
const daysInYear = (Date.UTC(benchYear + 1, 0, 1) - Date.UTC(benchYear, 0, 1)) / DAY_MS;
const dayNames: string[] = Array.from({ length: daysInYear + 40 }, (_, i) =>
  new Date(Date.UTC(benchYear, 0, 1) + i * DAY_MS).toISOString().slice(0, 10),
);
const dayIndex = (iso: string) =>
  Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(benchYear, 0, 1)) / DAY_MS);
const day = (i: number) => dayNames[i] as string;
const todayIdx = dayIndex(benchNow.toISOString().slice(0, 10));

const nowMs = benchNow.getTime();
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
/**
 * An instant on day `i` in office hours (09:00–18:00 China time, 01:00–10:00 UTC), never after the
 * bench's now, as ISO text (written by hand: this runs millions of times).
 */
function at(i: number, rng: Random): string {
  const offset = Math.floor(rng.next() * 9 * 3600);
  const ms = yearStartMs + i * DAY_MS + 9 * HOUR_MS + offset * 1000;
  if (ms >= nowMs) return new Date(nowMs - 60_000 - Math.floor(rng.next() * HOUR_MS)).toISOString();
  const h = 1 + Math.floor(offset / 3600);
  return `${day(i)}T${twoDigits[h]}:${twoDigits[Math.floor(offset / 60) % 60]}:${twoDigits[offset % 60]}Z`;
}

// ------------------------------------------------------------------ text helpers

/** A PostgreSQL array literal of text. */
const textArray = (items: string[]) =>
  `{${items.map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
const json = (v: unknown) => JSON.stringify(v);
const chineseNumbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
function chineseNumber(n: number): string {
  if (n <= 10) return chineseNumbers[n - 1] as string;
  if (n < 20) return `十${chineseNumbers[n - 11] ?? ""}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${chineseNumbers[tens - 1]}十${ones ? chineseNumbers[ones - 1] : ""}`;
}

// ------------------------------------------------------------------ indicator systems

/**
 * 10 first-level indicators × 3 second-level (weights 0.3/0.3/0.4) × 5 leaves of 2 points: 150
 * leaves with mixed rules; the assessment adds a veto and a bonus leaf.
 */
export function indicatorSystem(name: string, withVetoAndBonus: boolean): IndicatorSystem {
  const rules = ["manual", "deduction", "yesno", "levels", "proportion"] as const;
  const firstLevel = [
    "信息公开",
    "政策解读",
    "回应关切",
    "平台建设",
    "依申请公开",
    "公众参与",
    "决策公开",
    "基层公开",
    "重点领域",
    "组织保障",
  ];
  return {
    name,
    bonus: withVetoAndBonus ? { threshold: 60, cap: 5 } : null,
    grades: [
      { name: "优秀", min: 90, quotaPercent: 20 },
      { name: "良好", min: 80 },
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ],
    indicators: [
      ...firstLevel.map((first, i) => ({
        code: `${i + 1}`,
        name: first,
        points: 10,
        children: Array.from({ length: 3 }, (_, j) => ({
          code: `${i + 1}.${j + 1}`,
          name: `${first}${chineseNumber(j + 1)}`,
          weight: j === 2 ? 0.4 : 0.3,
          children: rules.map((type, k) => {
            const code = `${i + 1}.${j + 1}.${k + 1}`;
            const rule =
              type === "deduction"
                ? { type, per: 0.5 }
                : type === "levels"
                  ? { type, levels: [0, 0.5, 1] }
                  : { type };
            return { code, name: `${first}观测点${code}`, points: 2, rule };
          }),
        })),
      })),
      ...(withVetoAndBonus
        ? [
            { code: "V", name: "发生重大泄密或舆情处置失当", rule: { type: "veto" as const } },
            { code: "X", name: "工作创新加分", points: 5, rule: { type: "bonus" as const } },
          ]
        : []),
    ],
  } as IndicatorSystem;
}

/** A value of leaf k (1..5) as its rule reads it, from a uniform draw. */
function leafValue(k: number, r: number): number {
  switch (k) {
    case 1:
      return Math.round(r * 4) / 2; // manual: 0, 0.5 … 2 points
    case 2:
      return Math.floor(r * r * 4); // deduction: 0..3 problems, mostly few
    case 3:
      return r < 0.85 ? 1 : 0; // yes / no
    case 4:
      return r < 0.2 ? 0 : r < 0.55 ? 0.5 : 1; // levels
    default:
      return Math.round((0.4 + 0.6 * r) * 100) / 100; // proportion
  }
}
/** Points of that value on the leaf's scale (2 points). */
function leafPoints(k: number, v: number): number {
  if (k === 1) return v;
  if (k === 2) return Math.max(0, 2 - 0.5 * v);
  return 2 * v;
}

// ------------------------------------------------------------------ the generator

type Assignment = { unitId: number; role: "lead" | "cooperating" | "responsible" };
const rolePriority = { lead: 0, responsible: 1, cooperating: 2 } as const;

/** One reporter per unit: a unit on a task under two roles reports once, under the stronger role. */
function reportersOf(assignments: Assignment[]): Assignment[] {
  const byUnit = new Map<number, Assignment>();
  for (const a of assignments) {
    const had = byUnit.get(a.unitId);
    if (!had || rolePriority[a.role] < rolePriority[had.role]) byUnit.set(a.unitId, a);
  }
  return [...byUnit.values()];
}

type Government = {
  unitId: number;
  level: Level;
  name: string;
  shortName: string;
  regionCode: string;
  depts: number[];
  /** Child governments (cities, counties, towns) or, for a town, its villages and communities. */
  children: number[];
  deptGroupId: number;
  childGroupId: number;
  officeUserId: number;
};

export function generate(scale: Scale, sink: Sink, opts: GenerateOptions): GeneratedSummary {
  const seed = opts.seed ?? defaultSeed;
  const rows: Partial<Record<TableName, number>> = {};
  const emit = (table: TableName, values: Value[]) => {
    rows[table] = (rows[table] ?? 0) + 1;
    sink.row(table, values);
  };
  const ids = {
    unit: 0,
    group: 0,
    user: 0,
    file: 0,
    plan: 0,
    section: 0,
    task: 0,
    deadline: 0,
    assignment: 0,
    report: 0,
    evidence: 0,
    revision: 0,
    review: 0,
    notice: 0,
    audit: 0,
    evalScore: 0,
  };
  const created = at(0, new Random(seed));
  const audit = (
    atIso: string,
    actorId: number | null,
    action: string,
    entityType: string,
    entityId: number,
    before: string | null,
    after: string | null,
    regionCode: string | null,
  ) =>
    emit("audit_log", [
      ++ids.audit,
      atIso,
      actorId,
      action,
      entityType,
      String(entityId),
      before,
      after,
      regionCode,
    ]);

  // ---------------------------------------------------------------- the directory
  const rng = new Random(seedFor(seed, "directory"));
  const unitPath: string[] = [""];
  const unitRegion: string[] = [""];
  const unitKindOf: string[] = [""];
  const unitNames: string[] = [""];
  const governments: Government[] = [];
  const byLevel: Record<string, number> = {};

  const addUnit = (
    parentId: number | null,
    name: string,
    shortName: string | null,
    kind: string,
    regionCode: string,
    sortOrder: number,
    aliases: string[] = [],
  ) => {
    const id = ++ids.unit;
    const path = `${parentId ? unitPath[parentId] : "/"}${id}/`;
    unitPath[id] = path;
    unitRegion[id] = regionCode;
    unitKindOf[id] = kind;
    unitNames[id] = name;
    byLevel[kind] = (byLevel[kind] ?? 0) + 1;
    emit("units", [
      id,
      parentId,
      path,
      name,
      shortName,
      kind,
      regionCode,
      textArray(aliases),
      sortOrder,
      created,
      created,
    ]);
    return id;
  };
  const placeName = (taken: Set<string>) => {
    for (;;) {
      const n = rng.pick(placeFirst) + rng.pick(placeSecond);
      if (!taken.has(n)) {
        taken.add(n);
        return n;
      }
    }
  };
  const addGovernment = (
    parentId: number | null,
    level: Level,
    place: string,
    regionCode: string,
    sortOrder: number,
  ): Government => {
    const suffix =
      level === "province"
        ? "人民政府"
        : level === "city"
          ? "市人民政府"
          : level === "county"
            ? rng.chance(0.4)
              ? "区人民政府"
              : "县人民政府"
            : rng.chance(0.15)
              ? "街道办事处"
              : "镇人民政府";
    const shortName = level === "province" ? place : `${place}${suffix.slice(0, 1)}`;
    const name = `${place}${suffix}`;
    const unitId = addUnit(
      parentId,
      name,
      shortName,
      level === "town" ? "town" : "government",
      regionCode,
      sortOrder,
    );
    const gov: Government = {
      unitId,
      level,
      name,
      shortName,
      regionCode,
      depts: [],
      children: [],
      deptGroupId: 0,
      childGroupId: 0,
      officeUserId: 0,
    };
    governments.push(gov);
    const deptNames =
      level === "province"
        ? provinceDepartments.slice(0, scale.departments.province)
        : level === "town"
          ? townOffices.slice(0, scale.townOffices)
          : localDepartments.slice(0, scale.departments[level]).map((d) => `${shortName}${d}`);
    deptNames.forEach((d, i) => {
      gov.depts.push(addUnit(unitId, d, null, "department", regionCode, i + 1));
    });
    return gov;
  };

  const buildCounty = (parentId: number | null, code: string, place: string, sortOrder: number) => {
    const county = addGovernment(parentId, "county", place, code, sortOrder);
    const nTowns = rng.int(...scale.townsPerCounty);
    const townNames = new Set<string>();
    for (let t = 0; t < nTowns; t++) {
      const townCode = `${code}${String(t + 1).padStart(3, "0")}`;
      const town = addGovernment(county.unitId, "town", placeName(townNames), townCode, 100 + t);
      county.children.push(town.unitId);
      const nVillages = rng.int(...scale.villagesPerTown);
      const villageNames = new Set<string>();
      for (let v = 0; v < nVillages; v++) {
        const place = placeName(villageNames);
        const community = rng.chance(0.3);
        town.children.push(
          addUnit(
            town.unitId,
            community ? `${place}社区居民委员会` : `${place}村村民委员会`,
            community ? `${place}社区` : `${place}村`,
            community ? "community" : "village",
            `${townCode}${String(v + 1).padStart(3, "0")}`,
            100 + v,
            [community ? `${place}社区` : `${place}村`],
          ),
        );
      }
    }
    return county;
  };

  let root: Government;
  if (scale.root === "province") {
    root = addGovernment(null, "province", provinceName, "990000", 0);
    const cityNames = new Set<string>();
    for (let c = 0; c < scale.cities; c++) {
      const cityCode = `99${String(c + 1).padStart(2, "0")}00`;
      const city = addGovernment(root.unitId, "city", placeName(cityNames), cityCode, 100 + c);
      root.children.push(city.unitId);
      const nCounties = c < scale.cities * 0.6 ? scale.countiesPerCity[1] : scale.countiesPerCity[0];
      const countyNames = new Set<string>();
      for (let k = 0; k < nCounties; k++) {
        const county = buildCounty(
          city.unitId,
          `99${String(c + 1).padStart(2, "0")}${String(k + 1).padStart(2, "0")}`,
          placeName(countyNames),
          100 + k,
        );
        city.children.push(county.unitId);
      }
    }
  } else {
    root = buildCounty(null, "990101", "安平", 0);
  }
  const govByUnit = new Map(governments.map((g) => [g.unitId, g]));

  // ---------------------------------------------------------------- groups
  const groupMembers = new Map<number, number[]>();
  const addGroup = (owner: number, name: string, aliases: string[], members: number[]) => {
    const id = ++ids.group;
    emit("unit_groups", [id, owner, name, textArray(aliases), created, created]);
    for (const m of members) emit("unit_group_members", [id, m]);
    groupMembers.set(id, members);
    return id;
  };
  for (const g of governments) {
    const [deptName, deptAliases, childName, childAliases] =
      g.level === "province"
        ? ["省政府各部门", ["省直各部门", "省级各部门"], "各市人民政府", ["各设区市人民政府", "各市政府"]]
        : g.level === "city"
          ? [
              "市政府各部门",
              ["市直各部门", "市级各部门"],
              "各区县政府",
              ["各区县人民政府", "各县(市、区)政府"],
            ]
          : g.level === "county"
            ? [
                "县政府各部门",
                ["县直各部门", "区政府各部门"],
                "各乡镇(街道)",
                ["各乡镇人民政府", "各镇(街道)"],
              ]
            : ["机关各科室", ["各科室", "镇机关各科室"], "各村(社区)", ["各村(居)", "各村居"]];
    g.deptGroupId = addGroup(g.unitId, deptName, deptAliases, g.depts);
    g.childGroupId = addGroup(g.unitId, childName, childAliases, g.children);
  }

  // ---------------------------------------------------------------- users and files
  const passwordHash = opts.passwordHash;
  const adminUserId = ++ids.user;
  emit("users", [
    adminUserId,
    "bench-admin",
    "基准测试管理员",
    passwordHash,
    "admin",
    null,
    created,
    created,
  ]);
  const userOfUnit = new Int32Array(ids.unit + 1);
  for (let u = 1; u <= ids.unit; u++) {
    const id = ++ids.user;
    userOfUnit[u] = id;
    emit("users", [id, `unit-${u}`, `${unitNames[u]}填报员`, passwordHash, "unit", u, created, created]);
  }
  for (const g of governments) {
    g.officeUserId = ++ids.user;
    emit("users", [
      g.officeUserId,
      `office-${g.unitId}`,
      `${g.name}政务公开办`,
      passwordHash,
      "office",
      g.unitId,
      created,
      created,
    ]);
  }
  const evaluatorIds: number[] = [];
  for (let e = 1; e <= scale.evaluators; e++) {
    const id = ++ids.user;
    evaluatorIds.push(id);
    emit("users", [id, `evaluator-${e}`, `评估员${e}`, passwordHash, "evaluator", null, created, created]);
  }
  /** One uploaded file per unit (its 工作台账), cited by its file evidence. */
  const fileOfUnit = new Int32Array(ids.unit + 1);
  const fileRng = new Random(seedFor(seed, "files"));
  const fileMeta: { name: string; size: number; sha: string }[] = [{ name: "", size: 0, sha: "" }];
  for (let u = 1; u <= ids.unit; u++) {
    const id = ++ids.file;
    fileOfUnit[u] = id;
    const sha = fileRng.hex(64);
    const name = `${unitNames[u]}${benchYear}年政务公开工作台账.pdf`;
    const size = fileRng.int(80_000, 4_000_000);
    fileMeta[id] = { name, size, sha };
    emit("stored_files", [
      id,
      sha,
      size,
      "application/pdf",
      name,
      `sha256/${sha}`,
      userOfUnit[u] ?? null,
      u,
      created,
    ]);
  }

  // ---------------------------------------------------------------- plans, sections, tasks, deadlines, assignments
  const planRng = new Random(seedFor(seed, "plans"));
  const levelOrder: Level[] = ["province", "city", "county", "town"];
  const planOfGov = new Map<number, number>();
  const calendar = opts.calendar;
  const cycles = new Map<number, ReportingCycle>();
  type TaskInfo = {
    id: number;
    planId: number;
    gov: Government;
    regionCode: string;
    /** Day index of the earliest `by` due date, or null. */
    dueIdx: number | null;
    cycle: ReportingCycle;
    /** Each assignment, leads first. */
    assignments: Assignment[];
  };
  const tasksOut: TaskInfo[] = [];
  /** Per plan: its upper plan, the day it was published, and its tasks (for the task links below). */
  const planInfo = new Map<
    number,
    {
      upper: number | null;
      publishIdx: number;
      officeUserId: number;
      regionCode: string;
      tasks: { id: number; category: Category }[];
    }
  >();

  for (const level of levelOrder) {
    for (const g of governments) {
      if (g.level !== level) continue;
      const planId = ++ids.plan;
      planOfGov.set(g.unitId, planId);
      const parentGov =
        g.level === "province" ? undefined : govByUnit.get(Number(unitPath[g.unitId]?.split("/").at(-3)));
      const parentPlanId = parentGov ? (planOfGov.get(parentGov.unitId) ?? null) : null;
      const cycle: ReportingCycle = planRng.chance(scale.monthlyShare[level]) ? "month" : "quarter";
      cycles.set(planId, cycle);
      const publishIdx = dayIndex(`${benchYear}-02-20`) + levelOrder.indexOf(level) * 12 + planRng.int(0, 8);
      const publishedAt = at(publishIdx, planRng);
      emit("plans", [
        planId,
        benchYear,
        `${g.name}办公室关于印发${benchYear}年政务公开工作要点的通知`,
        `${g.shortName.slice(0, 2)}政办发〔${benchYear}〕${planRng.int(1, 60)}号`,
        g.unitId,
        day(publishIdx),
        "published",
        cycle,
        g.regionCode,
        g.officeUserId,
        publishedAt,
        publishedAt,
      ]);
      if (parentPlanId !== null) emit("plan_links", [planId, parentPlanId, g.regionCode]);
      const info = {
        upper: parentPlanId,
        publishIdx,
        officeUserId: g.officeUserId,
        regionCode: g.regionCode,
        tasks: [] as { id: number; category: Category }[],
      };
      planInfo.set(planId, info);
      audit(
        publishedAt,
        g.officeUserId,
        "plan.create",
        "plan",
        planId,
        null,
        json({ id: planId, year: benchYear }),
        g.regionCode,
      );
      audit(
        publishedAt,
        g.officeUserId,
        "plan.publish",
        "plan",
        planId,
        json({ status: "draft" }),
        json({ status: "published" }),
        g.regionCode,
      );

      const sectionIds: number[] = [];
      sectionHeadings.forEach((s, i) => {
        const id = ++ids.section;
        sectionIds.push(id);
        emit("sections", [
          id,
          planId,
          `${chineseNumber(i + 1)}、`,
          s.title,
          (i + 1) * 10,
          publishedAt,
          publishedAt,
        ]);
      });

      const nTasks = scale.tasksPerPlan[level];
      const perSection = new Array(sectionHeadings.length).fill(0) as number[];
      for (let t = 0; t < nTasks; t++) {
        const s = Math.floor((t * sectionHeadings.length) / nTasks);
        const heading = sectionHeadings[s] as (typeof sectionHeadings)[number];
        perSection[s] = (perSection[s] ?? 0) + 1;
        const category = planRng.pick(heading.categories) as Category;
        const title = planRng.pick(taskTitles[category] ?? ["推进政务公开工作"]);
        const taskId = ++ids.task;

        // deadlines
        const nDeadlines = planRng.chance(0.15) ? 2 : 1;
        const phrases: string[] = [];
        let dueIdx: number | null = null;
        for (let d = 0; d < nDeadlines; d++) {
          const r = planRng.next();
          let phrase: string;
          let rule: DeadlineRule;
          let due: string | null = null;
          let eventDate: string | null = null;
          if (r < 0.55) {
            const month = planRng.int(3, 12);
            const last = new Date(Date.UTC(benchYear, month, 0)).toISOString().slice(0, 10);
            phrase = month === 12 ? "年底前" : `${month}月底前`;
            rule = { kind: "by", date: last, precision: month === 12 ? "year" : "month" };
            due = last;
            const idx = dayIndex(last);
            dueIdx = dueIdx === null ? idx : Math.min(dueIdx, idx);
          } else if (r < 0.75) {
            const q = planRng.chance(0.5);
            phrase = q ? "每季度至少公开1次" : "年内不少于2次";
            rule = q
              ? { kind: "recurring", period: "quarter", times: 1 }
              : { kind: "recurring", period: "year", times: 2 };
          } else if (r < 0.9) {
            phrase = "持续推进";
            rule = { kind: "ongoing" };
          } else {
            phrase = "文件印发后10个工作日内";
            rule = { kind: "after", event: "文件印发", amount: 10, unit: "workingDays" };
            if (planRng.chance(0.5)) {
              eventDate = day(planRng.int(publishIdx, todayIdx - 20));
              due = calendar.addWorkingDays(eventDate, 10);
            }
          }
          phrases.push(phrase);
          emit("deadlines", [
            ++ids.deadline,
            taskId,
            phrase,
            rule.kind,
            json(rule),
            due,
            eventDate,
            d,
            g.regionCode,
          ]);
        }

        // assignments: leads and cooperating departments, responsible groups expanded
        const assignments: TaskInfo["assignments"] = [];
        const leads = planRng.sample(g.depts, planRng.chance(0.3) ? 2 : 1);
        const others = g.depts.filter((d) => !leads.includes(d));
        const cooperating = planRng.sample(others, planRng.int(0, 4));
        const row = (unitId: number, role: "lead" | "cooperating" | "responsible", via: number | null) => {
          assignments.push({ unitId, role });
          emit("task_assignments", [++ids.assignment, taskId, unitId, role, via, g.regionCode]);
        };
        for (const u of leads) row(u, "lead", null);
        for (const u of cooperating) row(u, "cooperating", null);
        if (g.children.length > 0 && planRng.chance(scale.childGroupShare[level])) {
          for (const u of groupMembers.get(g.childGroupId) ?? []) row(u, "responsible", g.childGroupId);
        }
        if (planRng.chance(scale.departmentGroupShare)) {
          for (const u of groupMembers.get(g.deptGroupId) ?? []) row(u, "responsible", g.deptGroupId);
        }

        const code = `(${chineseNumber(perSection[s] ?? 1)})`;
        const leadNames = leads.map((u) => unitNames[u]).join("、");
        const content = `${title}。${g.shortName}各有关单位要按照职责分工抓好落实,${phrases.join(",")}完成,并及时报送进展情况。(牵头单位:${leadNames})`;
        emit("tasks", [
          taskId,
          planId,
          sectionIds[s] ?? null,
          code,
          title,
          content,
          category,
          (t + 1) * 10,
          g.regionCode,
          publishedAt,
          publishedAt,
        ]);
        audit(
          publishedAt,
          g.officeUserId,
          "task.create",
          "task",
          taskId,
          null,
          json({ id: taskId, planId, title }),
          g.regionCode,
        );
        tasksOut.push({ id: taskId, planId, gov: g, regionCode: g.regionCode, dueIdx, cycle, assignments });
        info.tasks.push({ id: taskId, category });
      }
    }
  }

  // ---------------------------------------------------------------- task links (issue 17)
  // Each lower task carries out an upper task of its upper plan, mostly one of the same category
  // (what the suggestions propose first); some are marked "no upper task" and some are not decided
  // yet. Its own random stream, so that the rows above and below stay as they were.
  const linkRng = new Random(seedFor(seed, "taskLinks"));
  for (const info of planInfo.values()) {
    if (info.upper === null) continue;
    const upperTasks = planInfo.get(info.upper)?.tasks ?? [];
    if (upperTasks.length === 0) continue;
    for (const t of info.tasks) {
      const x = linkRng.next();
      if (x >= 0.9) continue; // not decided yet
      let upper: number | null = null;
      if (x < 0.8) {
        const same = upperTasks.filter((u) => u.category === t.category);
        upper = linkRng.pick(same.length > 0 && linkRng.chance(0.85) ? same : upperTasks).id;
      }
      const decidedAt = at(info.publishIdx + linkRng.int(1, 20), linkRng);
      emit("task_links", [t.id, upper, info.officeUserId, decidedAt, info.regionCode]);
    }
  }

  sink.mark?.("directory, plans and tasks");

  // ---------------------------------------------------------------- reports, evidence, revisions, reviews
  const periodsOf = new Map<
    ReportingCycle,
    { key: string; start: number; end: number; startIso: string; endIso: string }[]
  >();
  for (const cycle of ["month", "quarter"] as const) {
    periodsOf.set(
      cycle,
      reportingPeriods(benchYear, cycle)
        .map((p) => ({
          key: p.key,
          start: dayIndex(p.start),
          end: dayIndex(p.end),
          startIso: p.start,
          endIso: p.end,
        }))
        .filter((p) => p.start <= todayIdx),
    );
  }
  const reportRng = new Random(seedFor(seed, "reports"));
  const r = reportRng;
  for (const [t, task] of tasksOut.entries()) {
    if (t > 0 && t % tasksPerSegment === 0) sink.mark?.(`reports of tasks ${t - tasksPerSegment + 1}–${t}`);
    const periods = periodsOf.get(task.cycle) ?? [];
    const reviewer = task.gov.officeUserId;
    const slug = task.regionCode;
    for (const a of reportersOf(task.assignments)) {
      const unitUser = userOfUnit[a.unitId] ?? null;
      const cooperating = a.role === "cooperating";
      // The period the unit finishes in: near a `by` due date, or at some point, or never.
      let doneAt = Number.POSITIVE_INFINITY;
      if (!cooperating) {
        if (task.dueIdx !== null) {
          const x = r.next();
          const shift = x < 0.8 ? -r.int(0, 1) : x < 0.92 ? r.int(1, 2) : Number.NaN;
          const dueP = periods.findIndex((p) => p.end >= (task.dueIdx as number));
          if (!Number.isNaN(shift) && dueP >= 0) doneAt = Math.max(0, dueP + shift);
        } else if (r.chance(0.3)) doneAt = r.int(1, periods.length + 2);
      }
      for (let i = 0; i < periods.length; i++) {
        const p = periods[i] as (typeof periods)[number];
        const current = p.end >= todayIdx;
        if (!r.chance(cooperating ? (current ? 0.3 : 0.5) : current ? 0.6 : 0.93)) continue;
        const reportId = ++ids.report;
        // content
        let status: "notStarted" | "inProgress" | "done" | "blocked";
        let percent: number;
        let blockedReason: string | null = null;
        if (i >= doneAt) {
          status = "done";
          percent = 100;
        } else if (i === 0 && r.chance(0.08)) {
          status = "notStarted";
          percent = 0;
        } else {
          percent = Math.min(
            95,
            Math.max(5, Math.round((100 * (i + 1)) / (periods.length + 1)) + r.int(-10, 10)),
          );
          if (r.chance(0.03)) {
            status = "blocked";
            blockedReason = "受上级政策调整影响,需待配套文件出台后推进,预计下一报送周期完成。";
          } else status = "inProgress";
        }
        const summary = (r.pick(reportSummaries) as string).replace("{n}", String(r.int(1, 30)));
        const occurredOn =
          task.dueIdx === null && r.chance(0.5) ? day(r.int(p.start, Math.min(p.end, todayIdx))) : null;

        // timeline
        type Submission = {
          dayIdx: number;
          review: { dayIdx: number; decision: "approve" | "return" } | null;
        };
        const subs: Submission[] = [];
        let createdIdx: number;
        if (!current) {
          createdIdx = Math.max(p.start, Math.min(p.end - r.int(0, 10), todayIdx - 1));
          if (!r.chance(0.02)) {
            const sub1 = Math.min(p.end + r.int(1, 10), todayIdx);
            const rev1 = sub1 + r.int(1, 7);
            if (rev1 > todayIdx || r.chance(0.04)) subs.push({ dayIdx: sub1, review: null });
            else if (r.chance(0.06)) {
              subs.push({ dayIdx: sub1, review: { dayIdx: rev1, decision: "return" } });
              const sub2 = rev1 + r.int(1, 5);
              if (sub2 <= todayIdx && r.chance(0.8)) {
                const rev2 = sub2 + r.int(1, 5);
                subs.push({
                  dayIdx: sub2,
                  review: rev2 <= todayIdx ? { dayIdx: rev2, decision: "approve" } : null,
                });
              }
            } else subs.push({ dayIdx: sub1, review: { dayIdx: rev1, decision: "approve" } });
          }
        } else {
          createdIdx = r.int(Math.max(p.start, todayIdx - 20), todayIdx);
          if (r.chance(0.5)) {
            const sub = r.int(createdIdx, todayIdx);
            const approve = sub < todayIdx && r.chance(0.15);
            subs.push({
              dayIdx: sub,
              review: approve ? { dayIdx: r.int(sub + 1, todayIdx), decision: "approve" } : null,
            });
          }
        }
        const last = subs.at(-1);
        const state = !last
          ? "draft"
          : !last.review
            ? "submitted"
            : last.review.decision === "approve"
              ? "approved"
              : "returned";
        const createdAt = at(createdIdx, r);

        // evidence (saved with the draft, before any submission)
        const evidenceItems: Record<string, Value>[] = [];
        const nLinks = status === "done" ? 1 + (r.chance(0.4) ? 1 : 0) : r.chance(0.5) ? 1 : 0;
        for (let k = 0; k < nLinks; k++) {
          const id = ++ids.evidence;
          const url = `https://www.gov${slug}.gov.cn/zwgk/${reportId}_${k + 1}.html`;
          const title = r.pick(evidenceTitles);
          emit("evidence", [id, reportId, "link", url, title, null, unitUser, createdAt, task.regionCode]);
          evidenceItems.push({
            id,
            kind: "link",
            url,
            title,
            fileId: null,
            fileName: null,
            mimeType: null,
            sizeBytes: null,
            sha256: null,
          });
        }
        if (status === "done" ? r.chance(0.25) : r.chance(0.05)) {
          const id = ++ids.evidence;
          const fileId = fileOfUnit[a.unitId] as number;
          const f = fileMeta[fileId] as { name: string; size: number; sha: string };
          emit("evidence", [id, reportId, "file", null, "", fileId, unitUser, createdAt, task.regionCode]);
          evidenceItems.push({
            id,
            kind: "file",
            url: null,
            title: "",
            fileId,
            fileName: f.name,
            mimeType: "application/pdf",
            sizeBytes: f.size,
            sha256: f.sha,
          });
        }

        let submittedAt: string | null = null;
        let reviewedAt: string | null = null;
        let reviewNote: string | null = null;
        let updatedAt = createdAt;
        let version = 1;
        let snapshot: string | null = null;
        subs.forEach((s, k) => {
          const revision = k + 1;
          submittedAt = at(s.dayIdx, r);
          updatedAt = submittedAt;
          version += k === 0 ? 1 : 2; // a resubmission is an edit and a submission
          snapshot ??= json({
            status,
            percent,
            summary,
            blockedReason,
            occurredOn,
            evidence: evidenceItems,
            contributions: [],
          });
          emit("report_revisions", [
            ++ids.revision,
            reportId,
            revision,
            snapshot,
            `${reportId.toString(36)}-${revision}`,
            submittedAt,
            unitUser,
            task.regionCode,
          ]);
          audit(
            submittedAt,
            unitUser,
            "report.submit",
            "report",
            reportId,
            `{"state":"${k === 0 ? "draft" : "returned"}","revision":${k}}`,
            `{"state":"submitted","revision":${revision}}`,
            task.regionCode,
          );
          if (s.review) {
            reviewedAt = at(s.review.dayIdx, r);
            updatedAt = reviewedAt;
            version += 1;
            const ret = s.review.decision === "return";
            reviewNote = ret ? r.pick(returnReasons) : null;
            emit("report_reviews", [
              ++ids.review,
              reportId,
              revision,
              s.review.decision,
              reviewNote,
              reviewer,
              reviewedAt,
              task.regionCode,
            ]);
            audit(
              reviewedAt,
              reviewer,
              `report.${s.review.decision}`,
              "report",
              reportId,
              '{"state":"submitted"}',
              `{"state":"${ret ? "returned" : "approved"}","reason":${reviewNote ? `"${reviewNote}"` : "null"},"revision":${revision}}`,
              task.regionCode,
            );
          }
        });
        emit("progress_reports", [
          reportId,
          task.id,
          a.unitId,
          a.role,
          p.key,
          p.startIso,
          p.endIso,
          status,
          percent,
          summary,
          blockedReason,
          occurredOn,
          state,
          subs.length,
          submittedAt,
          submittedAt ? unitUser : null,
          reviewedAt,
          reviewedAt ? reviewer : null,
          reviewNote,
          unitUser,
          task.regionCode,
          createdAt,
          updatedAt,
          version,
        ]);
      }
    }
  }

  sink.mark?.("reports of the last tasks");

  // ---------------------------------------------------------------- supervision notices
  const noticeRng = new Random(seedFor(seed, "notices"));
  const levels = ["remind", "supervise", "bulletin"] as const;
  for (const task of tasksOut) {
    for (const a of reportersOf(task.assignments)) {
      if (a.role === "cooperating" || !noticeRng.chance(scale.noticeRate)) continue;
      let parent: number | null = null;
      let issuedIdx = noticeRng.int(dayIndex(`${benchYear}-04-01`), todayIdx - 1);
      const startLevel = noticeRng.chance(0.8) ? 0 : 1;
      for (let l = startLevel; l < levels.length; l++) {
        const id = ++ids.notice;
        const issuedAt = at(issuedIdx, noticeRng);
        const replyDueIdx = issuedIdx + 7;
        const escalate = l < levels.length - 1 && replyDueIdx < todayIdx && noticeRng.chance(0.25);
        const replied = !escalate && replyDueIdx - 3 < todayIdx && noticeRng.chance(0.7);
        const closed = replied && noticeRng.chance(0.4);
        const state = escalate ? "escalated" : closed ? "closed" : replied ? "replied" : "open";
        const repliedAt = replied ? at(Math.min(todayIdx, issuedIdx + noticeRng.int(1, 6)), noticeRng) : null;
        emit("supervision_notices", [
          id,
          task.id,
          a.unitId,
          levels[l] as string,
          noticeRng.pick(noticeContents),
          day(replyDueIdx),
          state,
          task.gov.officeUserId,
          issuedAt,
          replied ? "已按要求整改,相关进展已在本期报告中报送。" : null,
          repliedAt,
          replied ? (userOfUnit[a.unitId] ?? null) : null,
          parent,
          task.regionCode,
          issuedAt,
          repliedAt ?? issuedAt,
        ]);
        audit(
          issuedAt,
          task.gov.officeUserId,
          "notice.issue",
          "notice",
          id,
          null,
          json({ taskId: task.id, unitId: a.unitId, level: levels[l] }),
          task.regionCode,
        );
        if (!escalate) break;
        parent = id;
        issuedIdx = replyDueIdx + 1;
      }
    }
  }

  // ---------------------------------------------------------------- assessment and evaluation
  const scoredRng = new Random(seedFor(seed, "scoring"));
  /** Departments of counties, then of cities and towns, then governments: the units scored. */
  const candidates = [
    ...governments.filter((g) => g.level === "county").flatMap((g) => g.depts),
    ...governments.filter((g) => g.level === "city").flatMap((g) => g.depts),
    ...governments.filter((g) => g.level === "town").map((g) => g.unitId),
    ...governments.filter((g) => g.level === "town").flatMap((g) => g.depts),
  ];
  const assessed = candidates.slice(0, scale.assessmentUnits);
  const assessmentGroupId = addGroup(root.unitId, "参加年度考核单位", ["考核单位"], assessed);
  const schemeId = 1;
  const assessmentSystem = { ...indicatorSystem(`${benchYear}年度政务公开工作考核`, true), share: 5 };
  const reviewIdx = dayIndex(`${benchYear}-12-05`);
  emit("assessment_schemes", [
    schemeId,
    benchYear,
    `${benchYear}年度政务公开工作考核`,
    root.unitId,
    assessmentGroupId,
    100,
    json(assessmentSystem),
    day(dayIndex(`${benchYear}-11-30`)),
    "review",
    root.officeUserId,
    created,
    at(reviewIdx, scoredRng),
  ]);
  for (const u of assessed) {
    const submitted = at(
      scoredRng.int(dayIndex(`${benchYear}-11-15`), dayIndex(`${benchYear}-11-30`)),
      scoredRng,
    );
    emit("assessment_participants", [schemeId, u, submitted, userOfUnit[u] ?? null]);
    for (let i = 1; i <= 10; i++)
      for (let j = 1; j <= 3; j++)
        for (let k = 1; k <= 5; k++) {
          const v = leafValue(k, scoredRng.next());
          const final = scoredRng.chance(0.9) ? v : leafValue(k, scoredRng.next());
          emit("assessment_scores", [schemeId, u, `${i}.${j}.${k}`, v, final, root.officeUserId, submitted]);
        }
    const veto = scoredRng.chance(0.01) ? 1 : 0;
    emit("assessment_scores", [schemeId, u, "V", veto, veto, root.officeUserId, submitted]);
    const bonus = scoredRng.int(0, 5);
    emit("assessment_scores", [schemeId, u, "X", bonus, bonus, root.officeUserId, submitted]);
  }

  const projectId = 1;
  const evaluated = candidates.slice(0, scale.evaluationUnits);
  const evalSystem = indicatorSystem(`${benchYear}年度政务公开第三方评估指标体系`, false);
  const leadEvaluator = evaluatorIds[0] ?? null;
  emit("evaluation_projects", [
    projectId,
    benchYear,
    `${benchYear}年度${root.shortName}政务公开第三方评估`,
    "江南大学政府信息公开研究中心",
    root.unitId,
    leadEvaluator,
    json(evalSystem),
    1,
    "reconciling",
    root.officeUserId,
    created,
    at(reviewIdx, scoredRng),
  ]);
  const tierOf = (u: number) => {
    const kind = unitKindOf[u];
    if (kind === "town") return "乡镇(街道)";
    const gov = govByUnit.get(Number(unitPath[u]?.split("/").at(-3)));
    return gov?.level === "city" ? "市直部门" : gov?.level === "town" ? "乡镇机关科室" : "区县部门";
  };
  for (const u of evaluated) emit("evaluation_units", [projectId, u, tierOf(u)]);
  for (const [n, u] of evaluated.entries()) {
    const pair = [
      evaluatorIds[n % evaluatorIds.length] as number,
      evaluatorIds[(n + 1) % evaluatorIds.length] as number,
    ];
    const submittedAt = at(
      scoredRng.int(dayIndex(`${benchYear}-11-01`), dayIndex(`${benchYear}-11-30`)),
      scoredRng,
    );
    for (const e of pair) emit("evaluation_assignments", [projectId, u, e, submittedAt]);
    for (let i = 1; i <= 10; i++)
      for (let j = 1; j <= 3; j++)
        for (let k = 1; k <= 5; k++) {
          const code = `${i}.${j}.${k}`;
          const a = leafValue(k, scoredRng.next());
          const x = scoredRng.next();
          // The second evaluator mostly agrees; sometimes a little apart, rarely far apart.
          let b = a;
          if (x >= 0.88 && x < 0.98) {
            if (k === 1) b = Math.min(2, Math.max(0, a + (a >= 2 ? -0.5 : 0.5)));
            else if (k === 2) b = a === 0 ? 1 : a - 1;
            else if (k === 5)
              b = Math.round(Math.min(1, Math.max(0, a + (a > 0.9 ? -0.1 : 0.1))) * 100) / 100;
          } else if (x >= 0.98) b = leafValue(k, 1 - scoredRng.next());
          const observedAt = at(
            scoredRng.int(dayIndex(`${benchYear}-10-15`), dayIndex(`${benchYear}-11-15`)),
            scoredRng,
          );
          const url = `https://www.gov${unitRegion[u]}.gov.cn/zwgk/index.html`;
          emit("evaluation_scores", [
            ++ids.evalScore,
            projectId,
            u,
            code,
            pair[0] as number,
            a,
            url,
            observedAt,
            root.regionCode,
            submittedAt,
          ]);
          emit("evaluation_scores", [
            ++ids.evalScore,
            projectId,
            u,
            code,
            pair[1] as number,
            b,
            url,
            observedAt,
            root.regionCode,
            submittedAt,
          ]);
          const pa = leafPoints(k, a);
          const pb = leafPoints(k, b);
          if (Math.abs(pa - pb) > 1 + 1e-9) {
            emit("evaluation_final_scores", [
              projectId,
              u,
              code,
              Math.round(((pa + pb) / 2) * 100) / 100,
              "两名评估人员复核后取均值",
              leadEvaluator,
              at(reviewIdx, scoredRng),
            ]);
          }
        }
  }

  sink.mark?.("notices, assessment and evaluation");
  return {
    rows,
    rootUnitId: root.unitId,
    adminUserId,
    assessmentSchemeId: schemeId,
    evaluationProjectId: projectId,
    unitsByLevel: byLevel,
  };
}
