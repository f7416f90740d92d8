import type { ReportStatus } from "@gongkai/core";
import { dueDateOf } from "@gongkai/core";
import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import type { Actor } from "../queries/actor.ts";
import { loadCalendar } from "../queries/calendar.ts";
import { recordEventDate, reviewReport, saveReport, submitReport } from "../queries/reports.ts";
import { issueNotice, replyNotice } from "../queries/supervision.ts";
import { createUser } from "../queries/users.ts";
import { tasks } from "../schema/index.ts";
import type { DemoContext } from "./context.ts";

/** Accounts of the other lead units, so their reports have an author (password Unit@2026). */
export const demoReportingAccounts = [
  { username: "yingshang", displayName: "营商办联络员", unit: "营商办" },
  { username: "chengyun", displayName: "城运中心联络员", unit: "城运中心" },
  { username: "shouli", displayName: "受理中心联络员", unit: "受理中心" },
  { username: "shequ", displayName: "社区办联络员", unit: "社区办" },
] as const;

type Filing = {
  code: string;
  by: string;
  period: string;
  status: ReportStatus;
  percent: number;
  summary: string;
  at: string;
  link?: string;
  occurredOn?: string;
  blockedReason?: string;
  review?: { decision: "approve" | "return"; at: string; reason?: string };
};

const site = "https://www.shqp.gov.cn/xujing/zwgk";

/** A year of work on the 2023 plan: reports by the lead units, the office's reviews, notices. */
const filings: Filing[] = [
  {
    code: "10",
    by: "dangzheng",
    period: "2023-Q1",
    status: "done",
    percent: 100,
    summary: "编制2023年度重大行政决策事项目录(5项),3月28日在镇政府网站公开。",
    at: "2023-03-28T10:00:00+08:00",
    link: `${site}/zdjc/2023ml.html`,
    occurredOn: "2023-03-28",
    review: { decision: "approve", at: "2023-03-30T09:00:00+08:00" },
  },
  {
    code: "11",
    by: "dangzheng",
    period: "2023-Q2",
    status: "done",
    percent: 100,
    summary: "《徐泾镇老旧小区综合改造实施方案》5月10日出台,5月19日公开意见采纳情况。",
    at: "2023-05-19T16:00:00+08:00",
    link: `${site}/yjzj/20230519.html`,
    occurredOn: "2023-05-19",
    review: { decision: "approve", at: "2023-05-22T09:30:00+08:00" },
  },
  {
    code: "13",
    by: "dangzheng",
    period: "2023-Q3",
    status: "done",
    percent: 100,
    summary: "9月12日镇政府常务会议邀请2名公众代表列席。",
    at: "2023-09-15T11:00:00+08:00",
    link: `${site}/lxhy/20230912.html`,
    occurredOn: "2023-09-12",
    review: { decision: "approve", at: "2023-09-18T10:00:00+08:00" },
  },
  {
    code: "26",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "11月20日镇政府主要负责同志听取政务公开工作汇报并专题部署。",
    at: "2023-11-22T15:00:00+08:00",
    link: `${site}/gzbs/20231120.html`,
    occurredOn: "2023-11-20",
    review: { decision: "approve", at: "2023-11-24T09:00:00+08:00" },
  },
  {
    code: "1",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "完成全部现行有效政策文件标签分类,共 126 件。",
    at: "2023-12-12T10:00:00+08:00",
    link: `${site}/bqgl/2023.html`,
    review: { decision: "approve", at: "2023-12-15T09:00:00+08:00" },
  },
  {
    code: "2",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "行政规范性文件正式版本发布并标识有效期,动态更新目录。",
    at: "2023-12-12T11:00:00+08:00",
    link: `${site}/gfxwj/index.html`,
    review: { decision: "approve", at: "2023-12-15T09:10:00+08:00" },
  },
  {
    code: "3",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "主动公开公文全部归集入统一公文库。",
    at: "2023-12-13T09:30:00+08:00",
    link: `${site}/gwk/index.html`,
    review: { decision: "approve", at: "2023-12-15T09:20:00+08:00" },
  },
  {
    code: "4",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "全年发布政策解读 38 篇,图解 12 篇。",
    at: "2023-12-13T10:30:00+08:00",
    link: `${site}/zcjd/index.html`,
    review: { decision: "approve", at: "2023-12-15T09:30:00+08:00" },
  },
  {
    code: "5",
    by: "dangzheng",
    period: "2023-Q4",
    status: "inProgress",
    percent: 80,
    summary: "政策留言板已上线,常见问题清单整理中。",
    at: "2023-12-20T10:00:00+08:00",
    link: `${site}/lyb/index.html`,
  },
  {
    code: "6",
    by: "shouli",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "向12345热线和受理中心窗口推送常见问答 214 条。",
    at: "2023-12-14T14:00:00+08:00",
    link: `${site}/zszk/index.html`,
    review: { decision: "approve", at: "2023-12-18T09:00:00+08:00" },
  },
  {
    code: "7",
    by: "yingshang",
    period: "2023-Q3",
    status: "inProgress",
    percent: 50,
    summary: "与两家行业协会建立推送机制。",
    at: "2023-09-25T10:00:00+08:00",
    review: {
      decision: "return",
      at: "2023-09-27T09:00:00+08:00",
      reason: "请补充已推送政策的清单和协会、园区名单作为佐证材料。",
    },
  },
  {
    code: "7",
    by: "yingshang",
    period: "2023-Q4",
    status: "inProgress",
    percent: 70,
    summary: "与4家行业协会、2个产业园区建立“接力”推送,推送政策 19 件。",
    at: "2023-12-21T09:00:00+08:00",
    link: `${site}/zcts/2023.html`,
  },
  {
    code: "8",
    by: "yingshang",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "举办惠企政策辅导培训 6 场,覆盖企业 320 家。",
    at: "2023-12-08T16:00:00+08:00",
    link: `${site}/zcfd/2023.html`,
    review: { decision: "approve", at: "2023-12-11T09:00:00+08:00" },
  },
  {
    code: "9",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "3项涉企政策均听取企业和行业协会意见后上会。",
    at: "2023-12-13T11:00:00+08:00",
    link: `${site}/tqyj/2023.html`,
    review: { decision: "approve", at: "2023-12-15T09:40:00+08:00" },
  },
  {
    code: "12",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "决策事项以超链接集成公开草案、解读、意见采纳等信息。",
    at: "2023-12-13T14:00:00+08:00",
    link: `${site}/zdjc/jc.html`,
    review: { decision: "approve", at: "2023-12-15T10:00:00+08:00" },
  },
  {
    code: "14",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "统筹热线、信箱等渠道,全年办结率 100%。",
    at: "2023-12-14T10:00:00+08:00",
    link: `${site}/zmhd/2023.html`,
    review: { decision: "approve", at: "2023-12-18T09:10:00+08:00" },
  },
  {
    code: "15",
    by: "chengyun",
    period: "2023-Q4",
    status: "blocked",
    percent: 60,
    summary: "转办留言已全部办结,回访评价机制尚未建立。",
    blockedReason: "回访评价需区级平台支持,预计2024年3月完成。",
    at: "2023-12-20T15:00:00+08:00",
  },
  {
    code: "17",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "公开属性源头认定流程写入公文处理办法。",
    at: "2023-12-14T11:00:00+08:00",
    link: `${site}/gkdx/lc.html`,
    review: { decision: "approve", at: "2023-12-18T09:20:00+08:00" },
  },
  {
    code: "18",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "拟公开信息全部经保密审查,全年未发生泄密事件。",
    at: "2023-12-14T14:30:00+08:00",
    link: `${site}/bmsc/2023.html`,
    review: { decision: "approve", at: "2023-12-18T09:30:00+08:00" },
  },
  {
    code: "19",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "定点、定向公开事项 7 项。",
    at: "2023-12-15T10:00:00+08:00",
    link: `${site}/gkfs/2023.html`,
    review: { decision: "approve", at: "2023-12-18T09:40:00+08:00" },
  },
  {
    code: "20",
    by: "dangzheng",
    period: "2023-Q4",
    status: "inProgress",
    percent: 85,
    summary: "历史公文转主动公开审查完成 85%。",
    at: "2023-12-15T11:00:00+08:00",
    review: { decision: "approve", at: "2023-12-18T10:00:00+08:00" },
  },
  {
    code: "21",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "标准目录与网站主动公开目录完成融合。",
    at: "2023-12-15T14:00:00+08:00",
    link: `${site}/bzml/index.html`,
    review: { decision: "approve", at: "2023-12-18T10:10:00+08:00" },
  },
  {
    code: "22",
    by: "shequ",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "基层政务公开标准化试点领域信息全部更新。",
    at: "2023-12-11T10:00:00+08:00",
    link: `${site}/jczwgk/2023.html`,
    review: { decision: "approve", at: "2023-12-13T09:00:00+08:00" },
  },
  {
    code: "22",
    by: "qianming",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "前明村村务公开目录按季度更新,公开栏照片已上传。",
    at: "2023-12-12T09:00:00+08:00",
    link: `${site}/cwgk/qianming.html`,
    review: { decision: "approve", at: "2023-12-13T09:10:00+08:00" },
  },
  {
    code: "23",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "与区融媒体中心建立常态化联动,转载重要政策 42 篇。",
    at: "2023-12-15T15:00:00+08:00",
    link: `${site}/mtld/2023.html`,
    review: { decision: "approve", at: "2023-12-18T10:20:00+08:00" },
  },
  {
    code: "25",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "依申请件全部当面或电话沟通,无行政复议。",
    at: "2023-12-15T16:00:00+08:00",
    link: `${site}/ysq/2023.html`,
    review: { decision: "approve", at: "2023-12-18T10:30:00+08:00" },
  },
  {
    code: "27",
    by: "dangzheng",
    period: "2023-Q4",
    status: "done",
    percent: 100,
    summary: "配齐各科室政务公开联络员 12 名,落实工作经费。",
    at: "2023-12-18T10:00:00+08:00",
    link: `${site}/xtjz/2023.html`,
    review: { decision: "approve", at: "2023-12-20T09:00:00+08:00" },
  },
  {
    code: "28",
    by: "dangzheng",
    period: "2023-Q3",
    status: "done",
    percent: 100,
    summary: "任务分解表报区政府办公室政务公开科,并在平台栏目公开。",
    at: "2023-07-10T10:00:00+08:00",
    link: `${site}/gzyd/2023fj.html`,
    review: { decision: "approve", at: "2023-07-12T09:00:00+08:00" },
  },
];

export async function seedDemoReports(db: Db, ctx: DemoContext): Promise<void> {
  const actors = new Map<string, Actor>();
  const unitOf = (name: string) => {
    const id = ctx.unitIds.get(name);
    if (id === undefined) throw new Error(`demo unit ${name} missing`);
    return id;
  };
  actors.set("dangzheng", {
    userId: ctx.userIds.get("dangzheng") ?? 0,
    role: "unit",
    unitId: unitOf("党政办"),
    scopePath: null,
  });
  actors.set("qianming", {
    userId: ctx.userIds.get("qianming") ?? 0,
    role: "unit",
    unitId: unitOf("前明村"),
    scopePath: null,
  });
  for (const a of demoReportingAccounts) {
    const user = await createUser(
      db,
      { userId: 0, role: "admin", unitId: null, scopePath: null },
      {
        username: a.username,
        password: "Unit@2026",
        displayName: a.displayName,
        role: "unit",
        unitId: unitOf(a.unit),
      },
    );
    actors.set(a.username, { userId: user.id, role: "unit", unitId: unitOf(a.unit), scopePath: null });
  }
  const office: Actor = {
    userId: ctx.userIds.get("office") ?? 0,
    role: "office",
    unitId: ctx.govId,
    scopePath: null,
  };
  const taskRows = await db
    .select({ id: tasks.id, code: tasks.code })
    .from(tasks)
    .where(eq(tasks.planId, ctx.planId));
  const taskId = (code: string) => {
    const t = taskRows.find((x) => x.code === code);
    if (!t) throw new Error(`demo task ${code} missing`);
    return t.id;
  };

  // 决策出台 for task 11 on 2023-05-10: its 10-working-day deadline gets a date.
  const calendar = await loadCalendar(db);
  const t11 = await db.query.deadlines.findFirst({ where: (d, { eq }) => eq(d.taskId, taskId("11")) });
  const { clock } = ctx;
  if (t11 && clock.happened("2023-05-10T18:00:00+08:00")) {
    await recordEventDate(
      db,
      office,
      { deadlineId: t11.id, eventDate: clock.date("2023-05-10") },
      (rule, eventDate) => dueDateOf(rule, { eventDate, calendar }),
    );
  }

  let n = 0;
  // What has not happened by the demo's day is left out; a review not yet made leaves the report
  // waiting in the queue.
  for (const f of filings.filter((x) => clock.happened(x.at))) {
    const actor = actors.get(f.by);
    if (!actor?.unitId) throw new Error(`demo reporter ${f.by} missing`);
    const at = clock.at(f.at);
    const saved = await saveReport(
      db,
      actor,
      actor.unitId,
      {
        taskId: taskId(f.code),
        period: clock.date(f.period),
        status: f.status,
        percent: f.percent,
        summary: clock.text(f.summary),
        blockedReason: f.blockedReason ? clock.text(f.blockedReason) : null,
        occurredOn: f.occurredOn ? clock.date(f.occurredOn) : null,
        evidence: { links: f.link ? [{ url: f.link, title: "公开页面" }] : [], fileIds: [] },
      },
      at,
    );
    const submitted = await submitReport(
      db,
      actor,
      actor.unitId,
      { reportId: saved.id, version: saved.version, submissionKey: `demo-${++n}` },
      at,
    );
    if (f.review && clock.happened(f.review.at)) {
      await reviewReport(
        db,
        office,
        {
          reportId: submitted.id,
          revision: submitted.revision,
          decision: f.review.decision,
          reason: f.review.reason ?? null,
        },
        clock.at(f.review.at),
      );
    }
  }

  // Supervision: a 督办 answered and closed, and a 提醒 left open. Both chase work still open on
  // any day of the year, so a demo loaded earlier has them issued on its day, not answered yet.
  const chengyun = actors.get("chengyun");
  {
    const notice = await issueNotice(
      db,
      office,
      {
        taskId: taskId("15"),
        unitId: unitOf("城运中心"),
        level: "supervise",
        content: "中国政府网转办留言回访评价机制尚未建立,请说明原因并报送整改计划。",
        replyDueDate: clock.date("2023-12-29"),
      },
      clock.soFar("2023-12-22T09:00:00+08:00"),
    );
    if (chengyun?.unitId && clock.happened("2023-12-26T15:00:00+08:00")) {
      await replyNotice(
        db,
        chengyun,
        chengyun.unitId,
        { id: notice.id, reply: clock.text("已与区城运中心对接,回访评价模块计划于2024年3月上线,届时报送。") },
        clock.at("2023-12-26T15:00:00+08:00"),
      );
    }
  }
  await issueNotice(
    db,
    office,
    {
      taskId: taskId("16"),
      unitId: unitOf("党政办"),
      level: "remind",
      content: "“政府开放月”活动尚未报送开展情况,请于年底前组织并报送。",
      replyDueDate: clock.date("2023-12-29"),
    },
    clock.soFar("2023-12-22T09:30:00+08:00"),
  );
}
