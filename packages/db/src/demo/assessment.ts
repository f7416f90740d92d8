import type { AssessmentScheme, GradeBand } from "@gongkai/core";
import type { Db } from "../client.ts";
import { type Actor, systemActor } from "../queries/actor.ts";
import {
  createAssessmentScheme,
  type FinalScoreInput,
  openSelfAssessment,
  publishAssessmentResults,
  type SelfEntryInput,
  saveMyAssessment,
  setAssessmentScores,
  startAssessmentReview,
  submitMyAssessment,
} from "../queries/assessment/index.ts";
import { chinaDate } from "../queries/assessment-metrics.ts";
import type { DemoContext } from "./context.ts";

const grades: GradeBand[] = [
  { name: "优秀", min: 90, quotaPercent: 20 },
  { name: "良好", min: 80 },
  { name: "合格", min: 60 },
  { name: "不合格", min: 0 },
];

/** Last year's scheme, scored by hand only (there was no task data in the platform yet). */
const scheme2022: AssessmentScheme = {
  name: "徐泾镇2022年度机关各科室政务公开工作考核",
  share: 5,
  bonus: { threshold: 80, cap: 5 },
  grades,
  indicators: [
    {
      code: "1",
      name: "组织保障",
      points: 10,
      children: [
        { code: "1.1", name: "领导重视", points: 5, rule: { type: "manual" } },
        { code: "1.2", name: "工作机制", points: 5, rule: { type: "yesno" } },
      ],
    },
    {
      code: "2",
      name: "主动公开",
      points: 35,
      children: [
        { code: "2.1", name: "信息发布", points: 20, rule: { type: "manual" } },
        { code: "2.2", name: "公开目录更新", points: 15, rule: { type: "levels", levels: [0, 0.5, 1] } },
      ],
    },
    {
      code: "3",
      name: "政策解读",
      points: 20,
      children: [{ code: "3.1", name: "解读同步", points: 20, rule: { type: "manual" } }],
    },
    {
      code: "4",
      name: "依申请公开",
      points: 15,
      children: [
        {
          code: "4.1",
          name: "答复规范",
          points: 15,
          rule: { type: "deduction", per: 3 },
          criteria: "每发现一件答复不规范扣3分,扣完为止。",
        },
      ],
    },
    {
      code: "5",
      name: "平台建设",
      points: 20,
      children: [{ code: "5.1", name: "栏目维护", points: 20, rule: { type: "manual" } }],
    },
    {
      code: "6",
      name: "单项否决",
      children: [{ code: "6.1", name: "发生失泄密或重大负面舆情", rule: { type: "veto" } }],
    },
    {
      code: "7",
      name: "加分项",
      points: 5,
      children: [{ code: "7.1", name: "经验做法被上级推广", points: 5, rule: { type: "bonus" } }],
    },
  ],
};

/** This year's scheme: part scored by hand, part computed from the year's task data. */
const scheme2023: AssessmentScheme = {
  name: "徐泾镇2023年度机关各科室政务公开工作考核",
  share: 5,
  bonus: { threshold: 80, cap: 5 },
  grades,
  indicators: [
    {
      code: "1",
      name: "组织保障",
      points: 10,
      children: [
        {
          code: "1.1",
          name: "领导重视",
          points: 4,
          rule: { type: "manual" },
          criteria: "主要负责同志年内专题研究政务公开工作,得4分;分管负责同志研究的得2分。",
        },
        {
          code: "1.2",
          name: "工作机制",
          points: 3,
          rule: { type: "yesno" },
          criteria: "明确分管领导和具体工作人员,建立信息发布审核制度。",
        },
        {
          code: "1.3",
          name: "业务培训",
          points: 3,
          rule: { type: "levels", levels: [0, 0.5, 1] },
          criteria: "参加全部培训得满分,参加部分得一半,未参加不得分。",
        },
      ],
    },
    {
      code: "2",
      name: "主动公开",
      points: 35,
      children: [
        {
          code: "2.1",
          name: "任务按时完成",
          points: 15,
          rule: { type: "proportion", source: "onTimeRate" },
          criteria: "按工作要点任务按时完成率计分。",
        },
        {
          code: "2.2",
          name: "信息发布质量",
          points: 10,
          rule: { type: "manual" },
          criteria: "法定主动公开内容全面、准确、及时。",
        },
        {
          code: "2.3",
          name: "佐证材料",
          points: 10,
          rule: { type: "proportion", source: "evidenceCoverage" },
          criteria: "按审核通过的进展报告附佐证材料的比例计分。",
        },
      ],
    },
    {
      code: "3",
      name: "政策解读",
      points: 20,
      children: [
        {
          code: "3.1",
          name: "解读同步率",
          points: 10,
          rule: { type: "manual" },
          criteria: "政策文件与解读材料同步组织、同步审签、同步发布。",
        },
        {
          code: "3.2",
          name: "解读形式",
          points: 10,
          rule: { type: "levels", levels: [0, 0.6, 1] },
          criteria: "采用图表、视频等多元化解读得满分,仅文字解读得6分。",
        },
      ],
    },
    {
      code: "4",
      name: "依申请公开",
      points: 15,
      children: [
        {
          code: "4.1",
          name: "答复规范",
          points: 10,
          rule: { type: "deduction", per: 3 },
          criteria: "每发现一件答复不规范扣3分,扣完为止。",
        },
        {
          code: "4.2",
          name: "督办情况",
          points: 5,
          rule: { type: "deduction", per: 2, source: "supervisionNotices" },
          criteria: "每收到一份督办单扣2分,扣完为止。",
        },
      ],
    },
    {
      code: "5",
      name: "平台建设",
      points: 20,
      children: [
        {
          code: "5.1",
          name: "栏目维护",
          points: 10,
          rule: { type: "manual" },
          criteria: "政府信息公开专栏内容及时更新,无空白栏目。",
        },
        {
          code: "5.2",
          name: "报告质量",
          points: 5,
          rule: { type: "deduction", per: 1, source: "returnedReports" },
          criteria: "进展报告每被退回一次扣1分,扣完为止。",
        },
        {
          code: "5.3",
          name: "任务逾期",
          points: 5,
          rule: { type: "deduction", per: 2, source: "overdueTasks" },
          criteria: "每有一项任务逾期未完成扣2分,扣完为止。",
        },
      ],
    },
    {
      code: "6",
      name: "单项否决",
      children: [
        {
          code: "6.1",
          name: "发生失泄密或重大负面舆情",
          rule: { type: "veto" },
          criteria: "因政务公开工作发生失泄密事件或造成重大负面舆情的,考核等次定为不合格。",
        },
      ],
    },
    {
      code: "7",
      name: "加分项",
      points: 5,
      children: [
        {
          code: "7.1",
          name: "经验做法被上级推广",
          points: 3,
          rule: { type: "bonus" },
          criteria: "经验做法被区级以上政务公开部门推广的,加3分。",
        },
        {
          code: "7.2",
          name: "获评优秀案例",
          points: 2,
          rule: { type: "bonus" },
          criteria: "获评区级以上政务公开优秀案例的,加2分。",
        },
      ],
    },
  ],
};

/** Short name → how well the office did last year (0..1), so the demo's scores differ plausibly. */
const quality2022: Record<string, number> = {
  党政办: 0.95,
  经发办: 0.86,
  营商办: 0.9,
  社事办: 0.82,
  社区办: 0.78,
  规建办: 0.74,
  平安办: 0.8,
  财政所: 0.88,
  农服中心: 0.7,
  安居办: 0.76,
  受理中心: 0.92,
  城运中心: 0.84,
};

const half = (x: number) => Math.round(x * 2) / 2;

function values2022(q: number): Record<string, number> {
  return {
    "1.1": half(5 * q),
    "1.2": q >= 0.75 ? 1 : 0,
    "2.1": half(20 * q),
    "2.2": q >= 0.85 ? 1 : 0.5,
    "3.1": half(20 * q),
    "4.1": q >= 0.9 ? 0 : q >= 0.8 ? 1 : 2,
    "5.1": half(20 * q),
    "6.1": 0,
    "7.1": q >= 0.9 ? 3 : 0,
  };
}

/** A unit's self-assessment (自评) of this year's hand-scored leaves. */
function self2023(q: number, site: string): SelfEntryInput[] {
  const e = (indicatorCode: string, selfValue: number, selfNote: string, url?: string): SelfEntryInput => ({
    indicatorCode,
    selfValue,
    selfNote,
    selfEvidence: url ? [{ url, title: "公开页面" }] : [],
  });
  return [
    e("1.1", q >= 0.85 ? 4 : 2, "3月召开科室会议专题研究政务公开工作。"),
    e("1.2", 1, "已明确分管领导和信息员,制定信息发布审核流程。"),
    e("1.3", q >= 0.85 ? 1 : 0.5, q >= 0.85 ? "参加了全部4次业务培训。" : "参加了2次业务培训。"),
    e("2.2", half(10 * q), "法定主动公开内容均已按时发布。", `http://www.shqp.gov.cn/xujing/zwgk/${site}/`),
    e("3.1", half(10 * q), "政策文件与解读同步发布。", `http://www.shqp.gov.cn/xujing/zcjd/${site}/`),
    e("3.2", q >= 0.88 ? 1 : 0.6, q >= 0.88 ? "制作了图解和短视频解读。" : "以文字解读为主。"),
    e("4.1", 0, "全年依申请公开答复均在法定期限内,格式规范。"),
    e("5.1", half(10 * q), "专栏内容按月更新。"),
  ];
}

/**
 * Demo data for assessment: 机关各科室 were scored for 2022 and the results published (so this
 * year's charts have a last year to compare with); the 2023 scheme is open for self-assessment,
 * four offices have submitted theirs and 党政办 has started. The self-assessment stays open for a
 * month from the day the demo is loaded (at least until the end of the next January), so the demo
 * accounts can try it. Years are the demo's (./clock.ts): 2022 is the year before it.
 */
export async function seedDemoAssessment(db: Db, ctx: DemoContext): Promise<void> {
  const groupId = ctx.groupIds.get("机关各科室");
  if (groupId === undefined) throw new Error("demo group 机关各科室 missing");
  const actor = systemActor;
  const unitId = (name: string) => {
    const id = ctx.unitIds.get(name);
    if (id === undefined) throw new Error(`demo unit ${name} missing`);
    return id;
  };

  const { clock } = ctx;
  const last = await createAssessmentScheme(db, actor, {
    year: clock.year - 1,
    unitGroupId: groupId,
    performanceTotal: 100,
    definition: { ...scheme2022, name: clock.text(scheme2022.name) },
  });
  await startAssessmentReview(db, actor, last.id, clock.at("2023-01-09T10:00:00+08:00"));
  const finals: FinalScoreInput[] = Object.entries(quality2022).flatMap(([name, q]) =>
    Object.entries(values2022(q)).map(([indicatorCode, finalValue]) => ({
      unitId: unitId(name),
      indicatorCode,
      finalValue,
    })),
  );
  await setAssessmentScores(db, actor, last.id, finals);
  await publishAssessmentResults(db, actor, last.id, {});

  const now = clock.asOf ?? new Date();
  const inAMonth = chinaDate(new Date(now.getTime() + 30 * 24 * 3600 * 1000));
  const endOfJanuary = clock.date("2024-01-31");
  const due = inAMonth > endOfJanuary ? inAMonth : endOfJanuary;
  const current = await createAssessmentScheme(db, actor, {
    year: clock.year,
    unitGroupId: groupId,
    performanceTotal: 100,
    selfAssessmentDue: due,
    definition: { ...scheme2023, name: clock.text(scheme2023.name) },
  });
  await openSelfAssessment(db, actor, current.id, due, now);
  const sites: Record<string, string> = { 经发办: "jfb", 营商办: "ysb", 社事办: "ssb", 财政所: "czs" };
  for (const [name, site] of Object.entries(sites)) {
    const id = unitId(name);
    const unitActor: Actor = { userId: 0, role: "unit", unitId: id, scopePath: null };
    await saveMyAssessment(db, unitActor, id, current.id, self2023(quality2022[name] ?? 0.8, site), now);
    await submitMyAssessment(db, unitActor, id, current.id, now);
  }
  // 党政办 has filled in part of its self-assessment and not submitted it yet.
  const dangzheng = unitId("党政办");
  const dangzhengActor: Actor = {
    userId: ctx.userIds.get("dangzheng") ?? 0,
    role: "unit",
    unitId: dangzheng,
    scopePath: null,
  };
  await saveMyAssessment(db, dangzhengActor, dangzheng, current.id, self2023(0.95, "dzb").slice(0, 4), now);
}
