import type { IndicatorSystem } from "@gongkai/core";
import type { Db } from "../client.ts";
import type { Actor } from "../queries/actor.ts";
import { systemActor } from "../queries/actor.ts";
import {
  createEvaluationAppeal,
  createEvaluationProject,
  decideEvaluationAppeal,
  getEvaluationReconciliation,
  projectAccess,
  publishEvaluationResults,
  type ScoreCellInput,
  saveEvaluationScores,
  setEvaluationAssignments,
  setEvaluationFinalScore,
  setEvaluationIndicatorSystem,
  setEvaluationUnits,
  showEvaluationResults,
  startEvaluationScoring,
  submitEvaluationUnit,
} from "../queries/evaluation/index.ts";
import { createUser } from "../queries/users.ts";
import type { DemoContext } from "./context.ts";

/**
 * The indicator system of the demo's evaluations: four first-level indicators with unequal weights
 * (信息公开 40%, 政策解读 25%, 回应关切 20%, 平台建设 15%), unequal weights again below, leaves
 * worth 5 or 10 points with their scoring criteria and observation points.
 */
export const demoEvaluationSystem: IndicatorSystem = {
  name: "徐泾镇政务公开第三方评估指标体系",
  bonus: null,
  grades: [
    { name: "优秀", min: 90 },
    { name: "良好", min: 80 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    {
      code: "1",
      name: "信息公开",
      weight: 0.4,
      children: [
        {
          code: "1.1",
          name: "基础信息公开",
          weight: 0.5,
          points: 10,
          rule: { type: "manual" },
          criteria: "机构职能、领导信息、内设机构、办公地址电话齐全准确得满分,每缺一项或有误扣2分,扣完为止。",
          observationPoints: ["政府信息公开专栏 > 机构信息", "部门概况页面"],
        },
        {
          code: "1.2",
          name: "重点领域信息公开",
          weight: 0.3,
          points: 10,
          rule: { type: "manual" },
          criteria: "财政预决算、重大建设项目、公共资源配置等按要求公开得满分;缺项、延迟酌情扣分。",
          observationPoints: ["重点领域信息公开栏目", "财政预决算专栏"],
        },
        {
          code: "1.3",
          name: "政府信息公开工作年度报告",
          weight: 0.2,
          points: 5,
          rule: { type: "levels", levels: [0, 0.5, 1] },
          criteria: "3月31日前发布且内容完整得5分;发布但内容不完整或逾期得2.5分;未发布不得分。",
          observationPoints: ["政府信息公开年报栏目"],
        },
      ],
    },
    {
      code: "2",
      name: "政策解读",
      weight: 0.25,
      children: [
        {
          code: "2.1",
          name: "解读及时性",
          weight: 0.6,
          points: 10,
          rule: { type: "manual" },
          criteria: "政策文件与解读材料同步组织、同步审签、同步部署得满分;解读滞后3个工作日以上的每件扣1分。",
          observationPoints: ["政策解读栏目", "规范性文件栏目"],
        },
        {
          code: "2.2",
          name: "解读形式多样性",
          weight: 0.4,
          points: 10,
          rule: { type: "manual" },
          criteria: "采用图表图解、视频、问答等多种形式解读的得满分;仅文字解读的最多得6分。",
          observationPoints: ["政策解读栏目"],
        },
      ],
    },
    {
      code: "3",
      name: "回应关切",
      weight: 0.2,
      children: [
        {
          code: "3.1",
          name: "政民互动回复",
          weight: 0.7,
          points: 10,
          rule: { type: "manual" },
          criteria: "留言5个工作日内答复、答复内容针对性强得满分;超期或答非所问的每件扣1分。",
          observationPoints: ["政民互动 > 留言选登", "12345 转办件答复"],
        },
        {
          code: "3.2",
          name: "舆情回应",
          weight: 0.3,
          points: 10,
          rule: { type: "manual" },
          criteria: "涉及本单位的重要舆情及时回应、发布权威信息得满分。",
          observationPoints: ["新闻发布栏目", "“上海徐泾”微信公众号"],
        },
      ],
    },
    {
      code: "4",
      name: "平台建设",
      weight: 0.15,
      children: [
        {
          code: "4.1",
          name: "栏目规范",
          weight: 0.5,
          points: 10,
          rule: { type: "manual" },
          criteria: "按《政府网站与政务新媒体检查指标》设置栏目、栏目名称规范得满分。",
          observationPoints: ["政府信息公开专栏栏目设置"],
        },
        {
          code: "4.2",
          name: "信息更新及时",
          weight: 0.5,
          points: 10,
          rule: { type: "deduction", per: 1 },
          criteria: "每发现一个栏目超过3个月未更新扣1分,扣完为止。",
          observationPoints: ["全部公开栏目的最近更新时间"],
        },
      ],
    },
  ],
};

const organisation = "某大学公共管理学院";

/** The 机关各科室 in two tiers: the functional offices apart from the service centres. */
const tiers: [string, string[]][] = [
  ["职能办公室", ["党政办", "经发办", "营商办", "社事办", "社区办", "规建办", "平安办", "财政所", "安居办"]],
  ["服务中心", ["农服中心", "受理中心", "城运中心"]],
];
/** How well each office does, 0..1, so the scores look like a town's (and differ between years). */
const quality: Record<string, number> = {
  党政办: 0.93,
  经发办: 0.82,
  营商办: 0.88,
  社事办: 0.76,
  社区办: 0.8,
  规建办: 0.71,
  平安办: 0.78,
  财政所: 0.9,
  安居办: 0.68,
  农服中心: 0.74,
  受理中心: 0.86,
  城运中心: 0.8,
};

/** A value an evaluator gives a leaf for a unit of the given quality (deterministic). */
function valueFor(ruleType: string, max: number, q: number, salt: number): number {
  const wobble = (((salt * 7919) % 13) - 6) / 40; // −0.15 … +0.15
  const share = Math.min(1, Math.max(0, q + wobble));
  if (ruleType === "levels") return share > 0.85 ? 1 : share > 0.5 ? 0.5 : 0;
  if (ruleType === "deduction") return Math.round((1 - share) * 6);
  return Math.round(share * max * 2) / 2;
}

const evaluatorActor = (userId: number): Actor => ({
  userId,
  role: "evaluator",
  unitId: null,
  scopePath: "/__none__/",
});

type Setup = {
  year: number;
  lead: number;
  second: number;
  /** Units scored by both evaluators (the rest alternate between them). */
  doubled: string[];
  at: (day: string) => Date;
};

async function setUpProject(db: Db, ctx: DemoContext, s: Setup) {
  const unitId = (short: string) => {
    const id = ctx.unitIds.get(short);
    if (id === undefined) throw new Error(`demo unit ${short} missing`);
    return id;
  };
  const office: Actor = { ...systemActor, unitId: ctx.govId };
  const project = await createEvaluationProject(db, office, {
    year: s.year,
    name: `${s.year}年度徐泾镇政务公开第三方评估`,
    organisation,
    leadUserId: s.lead,
    disagreementThreshold: 1,
    appealDays: 7,
    ownerUnitId: ctx.govId,
  });
  const p = () => projectAccess(db, office, project.id);
  await setEvaluationIndicatorSystem(db, office, await p(), demoEvaluationSystem);
  await setEvaluationUnits(
    db,
    office,
    await p(),
    tiers.flatMap(([tier, names]) => names.map((n) => ({ unitId: unitId(n), tier }))),
  );
  const all = tiers.flatMap(([, names]) => names);
  const evaluatorsOf = (n: string, i: number) =>
    s.doubled.includes(n) ? [s.lead, s.second] : [i % 2 === 0 ? s.lead : s.second];
  await setEvaluationAssignments(
    db,
    office,
    await p(),
    all.map((n, i) => ({ unitId: unitId(n), evaluatorIds: evaluatorsOf(n, i) })),
  );
  await startEvaluationScoring(db, office, await p());
  return { project, all, unitId, evaluatorsOf, office, p };
}

/** Whether a value falls short of full marks (a deduction counts problems found). */
const shortOf = (ruleType: string, value: number, max: number) =>
  ruleType === "deduction" ? value > 0 : ruleType === "levels" ? value < 1 : value < max;

/** Cells of one evaluator for one unit: every leaf, with a checked page and when it was seen. */
function cellsFor(
  unitId: number,
  q: number,
  evaluator: "first" | "second",
  observed: Date,
  only?: number,
): ScoreCellInput[] {
  const leaves = demoEvaluationSystem.indicators.flatMap((t) => t.children ?? []);
  return leaves.slice(0, only ?? leaves.length).map((leaf, j) => {
    const ruleType = leaf.rule?.type ?? "manual";
    let value = valueFor(ruleType, leaf.points ?? 10, q, unitId * 31 + j);
    // The second evaluator is a little stricter on the manual indicators.
    if (evaluator === "second" && ruleType === "manual" && value >= 0.5 && j % 3 === 1) value -= 0.5;
    return {
      unitId,
      indicatorCode: leaf.code,
      value,
      evidenceUrl: `https://www.shqp.gov.cn/xujing/zwgk/bm${unitId}/${leaf.code.replace(".", "-")}.html`,
      observedAt: observed.toISOString(),
      note: shortOf(ruleType, value, leaf.points ?? 10) ? `${leaf.name}:未完全达到评分细则要求` : null,
    };
  });
}

/**
 * Demo data for evaluation: a second evaluator account; the 2022 evaluation, scored by two
 * evaluators, reconciled, shown to units with an appeal accepted, published, and corrected once
 * (versions 1 and 2 on the public page); the 2023 evaluation in progress — some units submitted by
 * both evaluators with one disagreement waiting for the lead, others in draft.
 */
export async function seedDemoEvaluation(db: Db, ctx: DemoContext): Promise<void> {
  const lead = ctx.userIds.get("evaluator");
  if (lead === undefined) throw new Error("demo evaluator missing");
  const second = (
    await createUser(db, systemActor, {
      username: "evaluator2",
      password: "Eval@2026",
      role: "evaluator",
      displayName: "第三方评估员(二)",
      unitId: null,
    })
  ).id;
  ctx.userIds.set("evaluator2", second);

  const { clock } = ctx;
  // ── 2022 (the year before the demo's): complete and published ──
  {
    const at = (day: string) => clock.at(`${day}T10:00:00+08:00`);
    const s = await setUpProject(db, ctx, {
      year: clock.year - 1,
      lead,
      second,
      doubled: ["党政办", "营商办", "受理中心"],
      at,
    });
    for (const [i, short] of s.all.entries()) {
      const id = s.unitId(short);
      for (const evaluator of s.evaluatorsOf(short, i)) {
        const who = evaluator === lead ? "first" : "second";
        const q = (quality[short] ?? 0.8) - 0.04;
        const cells = cellsFor(id, q, who, at("2022-11-15"));
        // Recorded as 3 stale columns; corrected to 1 after publishing (version 2).
        if (short === "受理中心") {
          const c = cells.find((x) => x.indicatorCode === "4.2");
          if (c) {
            c.value = 3;
            c.note = "3个栏目超过3个月未更新";
          }
        }
        // One real disagreement: 营商办's 政策解读形式, seen before and after a page was fixed.
        if (short === "营商办" && who === "second") {
          const c = cells.find((x) => x.indicatorCode === "2.2");
          if (c) {
            c.value = 5;
            c.note = "仅有文字解读,未见图解和视频";
          }
        }
        await saveEvaluationScores(db, evaluatorActor(evaluator), await s.p(), cells, at("2022-11-15"));
        await submitEvaluationUnit(db, evaluatorActor(evaluator), await s.p(), id, at("2022-11-18"));
      }
    }
    const rec = await getEvaluationReconciliation(db, await s.p());
    const leadActor = evaluatorActor(lead);
    for (const cell of rec.cells.filter((c) => c.flagged && !c.final)) {
      await setEvaluationFinalScore(
        db,
        leadActor,
        await projectAccess(db, leadActor, s.project.id),
        {
          unitId: cell.unitId,
          indicatorCode: cell.code,
          value: Math.max(...cell.ratings.map((r) => r.points)),
          reason: "复核时重新核查页面:图解和视频解读已于评估期内上线,采用较高分。",
        },
        at("2022-11-25"),
      );
    }
    await showEvaluationResults(
      db,
      leadActor,
      await projectAccess(db, leadActor, s.project.id),
      at("2022-12-01"),
    );
    const dangzheng = s.unitId("党政办");
    const unitActor: Actor = {
      userId: ctx.userIds.get("dangzheng") ?? 0,
      role: "unit",
      unitId: dangzheng,
      scopePath: null,
    };
    const appeal = await createEvaluationAppeal(
      db,
      unitActor,
      dangzheng,
      s.project.id,
      {
        indicatorCode: "3.1",
        reason:
          "评估期间有2条留言已在5个工作日内答复,只是答复页面显示的日期为归档日期,附答复记录截图,请复核。",
      },
      at("2022-12-05"),
    );
    await decideEvaluationAppeal(
      db,
      leadActor,
      await projectAccess(db, leadActor, s.project.id),
      {
        appealId: appeal.id,
        accept: true,
        response: "经核对答复记录,2条留言均按时答复,恢复该项满分。",
        newValue: 10,
      },
      at("2022-12-09"),
    );
    await publishEvaluationResults(
      db,
      leadActor,
      await projectAccess(db, leadActor, s.project.id),
      null,
      at("2022-12-20"),
    );
    // A correction: a typing error found after publishing.
    await setEvaluationFinalScore(
      db,
      leadActor,
      await projectAccess(db, leadActor, s.project.id),
      {
        unitId: s.unitId("受理中心"),
        indicatorCode: "4.2",
        value: 9,
        reason: "录入错误:原始记录为1个栏目超期未更新(扣1分),误录为3个。",
      },
      at("2023-01-04"),
    );
    await publishEvaluationResults(
      db,
      leadActor,
      await projectAccess(db, leadActor, s.project.id),
      "更正社区事务受理服务中心“信息更新及时”指标的录入错误(应扣1分,误扣3分)。",
      at("2023-01-05"),
    );
  }

  // ── 2023 (the demo's year): in progress, scored so far ──
  {
    const at = (day: string) => clock.soFar(`${day}T10:00:00+08:00`);
    const s = await setUpProject(db, ctx, {
      year: clock.year,
      lead,
      second,
      doubled: ["党政办", "经发办", "营商办", "农服中心"],
      at,
    });
    const submitted = new Set(["党政办", "经发办", "社事办", "社区办", "财政所"]);
    for (const [i, short] of s.all.entries()) {
      const id = s.unitId(short);
      for (const evaluator of s.evaluatorsOf(short, i)) {
        const who = evaluator === lead ? "first" : "second";
        const done = submitted.has(short);
        // Drafts: half the leaves scored.
        const cells = cellsFor(
          id,
          quality[short] ?? 0.8,
          who,
          at("2023-11-20"),
          done ? undefined : 4 + (i % 3),
        );
        if (short === "经发办" && who === "second") {
          const c = cells.find((x) => x.indicatorCode === "3.1");
          if (c) {
            c.value = Math.max(0, (c.value ?? 0) - 3);
            c.note = "抽查3条留言,2条超过5个工作日答复";
          }
        }
        await saveEvaluationScores(db, evaluatorActor(evaluator), await s.p(), cells, at("2023-11-20"));
        if (done)
          await submitEvaluationUnit(db, evaluatorActor(evaluator), await s.p(), id, at("2023-11-24"));
      }
    }
  }
}
