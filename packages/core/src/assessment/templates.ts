/**
 * Indicator systems to start from (issue 18, item 4): each written from a system published in a
 * public source, with the address it was read at, its year where the source states one, and what
 * the source leaves out. Point totals add up as the source prints them (checked by
 * test/assessment/templates.test.ts, which also scores a hand-computed unit with each). A template
 * is a starting point: an office changes names, points and rules in the editor.
 */
import type { IndicatorSystem } from "./scheme.ts";

export type SchemeTemplate = {
  id: string;
  /** What the picker shows. */
  label: string;
  source: { title: string; url: string; year: number | null; issuer: string };
  /** What the template takes from the source and what it could not. */
  notes: string;
  system: IndicatorSystem;
};

const manual = { type: "manual" } as const;
const veto = { type: "veto" } as const;

/** 国办秘函〔2019〕19号: 单项否决, 扣分指标 100 分, 加分指标 30 分 (门户网站), 60 分合格线. */
const websites2019: SchemeTemplate = {
  id: "gov-websites-2019",
  label: "政府网站与政务新媒体检查指标(国办秘函〔2019〕19号)",
  source: {
    title: "国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知",
    url: "https://51xunbu.cn/kss/c107449/202010/54336522e21e46d58c7fee8c3a412fb5.shtml",
    year: 2019,
    issuer: "国务院办公厅秘书局",
  },
  notes:
    "取自指标说明:单项否决指标出现任一种即判定为不合格、不再评其他指标;扣分指标 100 分,单项扣分之和不超过该项分值;" +
    "扣分指标低于 60 分为不合格;80 分以上进入加分指标评分(加分指标 30 分,适用于政府门户网站),最后得分为扣分与加分两部分之和。" +
    "单项否决的五项名称取自 2015 年全国政府网站普查评分表(https://www.kunmingchi.com/archives/06vrjeklp5eg0245my9w.html)。" +
    "所见转载未给出扣分指标的分项分值,模板把扣分指标作为一项 100 分的扣分(每扣 1 分记 1),分项请按本地细则拆分。" +
    "文件写“高于80分”进入加分,本系统加分门槛含 80 分本身。",
  system: {
    name: "政府网站与政务新媒体检查",
    bonus: { threshold: 80, cap: 30 },
    grades: [
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ],
    indicators: [
      {
        code: "1",
        name: "单项否决指标",
        children: [
          {
            code: "1.1",
            name: "站点无法访问",
            rule: veto,
            criteria: "监测 1 周,超过 15 秒仍打不开的次数累计超过 5%",
          },
          { code: "1.2", name: "网站不更新", rule: veto, criteria: "监测 2 周,首页栏目无信息更新" },
          {
            code: "1.3",
            name: "栏目不更新",
            rule: veto,
            criteria: "动态、要闻、通知公告、政策文件等栏目长期未更新或空白栏目过多",
          },
          {
            code: "1.4",
            name: "严重错误",
            rule: veto,
            criteria: "严重错别字、虚假或伪造内容、反动暴力色情等内容",
          },
          {
            code: "1.5",
            name: "互动回应差",
            rule: veto,
            criteria: "政务咨询类栏目存在超过三个月未回应的留言",
          },
        ],
      },
      {
        code: "2",
        name: "扣分指标",
        points: 100,
        rule: { type: "deduction", per: 1 },
        criteria: "按检查指标逐项扣分,填写扣分合计;单项扣分之和不超过该项分值,扣完为止",
      },
      {
        code: "3",
        name: "加分指标",
        points: 30,
        rule: { type: "bonus" },
        criteria: "适用于政府门户网站;扣分指标得分 80 分以上的进入加分评分",
      },
    ],
  },
};

/** A county's 政务公开 考核表 for its departments: 组织保障 6 + 主要载体建设 15 + 政府信息公开 79. */
const countyDepartments: SchemeTemplate = {
  id: "county-departments-disclosure",
  label: "县直部门政务公开工作考核表(组织保障、载体建设、政府信息公开,100 分)",
  source: {
    title: "政务公开工作考核评分表(县直部门)",
    url: "https://dyrmt.com/article-17847-2.html",
    year: null,
    issuer: "县政府(转载页未注明县名与年度)",
  },
  notes:
    "三类 16 项及分值照录:组织保障 6 分、主要载体建设 15 分、政府信息公开 79 分,合计 100 分。" +
    "表后“政务公开其他形式(倒扣分值)”一栏在转载页中断,未收入;如需要,请添加扣分指标。",
  system: {
    name: "政务公开工作考核",
    bonus: null,
    grades: null,
    indicators: [
      {
        code: "1",
        name: "组织保障",
        points: 6,
        children: [
          {
            code: "1.1",
            name: "有具体负责人和承办科室",
            points: 2,
            rule: { type: "yesno" },
            criteria: "会议记录或文件",
          },
          {
            code: "1.2",
            name: "有具体经办人员",
            points: 2,
            rule: { type: "yesno" },
            criteria: "会议记录或文件",
          },
          {
            code: "1.3",
            name: "健全的政务公开制度和工作衔接机制",
            points: 2,
            rule: manual,
            criteria: "文件、资料",
          },
        ],
      },
      {
        code: "2",
        name: "主要载体建设",
        points: 15,
        children: [
          { code: "2.1", name: "门户网建设", points: 6, rule: manual, criteria: "以县外网办评价为准" },
          {
            code: "2.2",
            name: "新闻发布会",
            points: 3,
            rule: manual,
            criteria: "重大活动、重要事件是否举行发布会,是否报告县政府,发布是否及时",
          },
          {
            code: "2.3",
            name: "政务微博、政务微信、公开栏、电子显示屏、便民手册等",
            points: 6,
            rule: manual,
            criteria: "以实地考评及图像证据为准,一项可得 2 分,最高不超过 6 分",
          },
        ],
      },
      {
        code: "3",
        name: "政府信息公开",
        points: 79,
        children: [
          { code: "3.1", name: "完成政府信息目标任务情况", points: 25, rule: manual },
          {
            code: "3.2",
            name: "概况信息",
            points: 2,
            rule: manual,
            criteria: "机构职能、领导信息等是否完善和规范",
          },
          {
            code: "3.3",
            name: "政府文件",
            points: 5,
            rule: manual,
            criteria: "报告、公告、通知、通报、批复等是否公开全面和规范",
          },
          { code: "3.4", name: "动态信息", points: 5, rule: manual },
          { code: "3.5", name: "突发公共事件", points: 2, rule: manual },
          { code: "3.6", name: "重点信息公开情况", points: 25, rule: manual },
          { code: "3.7", name: "政策解读情况", points: 2, rule: manual },
          {
            code: "3.8",
            name: "信息公开目录和政府信息年度报告",
            points: 5,
            rule: manual,
            criteria: "信息公开目录未更新的扣 1 分;没有年度报告的扣 2 分",
          },
          { code: "3.9", name: "依申请公开政府信息办理情况", points: 6, rule: manual },
          { code: "3.10", name: "政府信息公开保密审查情况", points: 2, rule: manual },
        ],
      },
    ],
  },
};

/** A Sichuan city's 市级各部门政府信息公开 考核 (总分100): 组织领导 15, 公开内容 65, 制度建设与监督检查 20. */
const sichuanCityDepartments: SchemeTemplate = {
  id: "sichuan-city-departments",
  label: "市级各部门政府信息公开考核(四川某市:组织领导、公开内容、制度建设与监督检查,100 分)",
  source: {
    title: "市级各部门政府信息公开的考核内容及评分标准(总分100分)",
    url: "http://www.fymate.net/html/text/lar/169787/16978755_1.html",
    year: null,
    issuer: "四川省某市(转载页未注明市名与年度;依据川办落实《政府信息公开条例》的实施意见)",
  },
  notes:
    "组织领导 15 分(10 + 5)与政府信息公开内容 65 分(5 + 10 + 10 + 15 + 25)照录;" +
    "“制度建设与监督检查(20分)”的分项在转载页中断,模板作为一项 20 分,请按本地细则拆分。",
  system: {
    name: "政府信息公开工作考核",
    bonus: null,
    grades: null,
    indicators: [
      {
        code: "1",
        name: "组织领导",
        points: 15,
        children: [
          {
            code: "1.1",
            name: "工作机构、分管负责人和承办人员、经费保障、按时上报自查报告",
            points: 10,
            rule: manual,
          },
          { code: "1.2", name: "制订政府信息公开目录并逐项分解落实", points: 5, rule: manual },
        ],
      },
      {
        code: "2",
        name: "政府信息公开内容",
        points: 65,
        children: [
          {
            code: "2.1",
            name: "概况信息",
            points: 5,
            rule: manual,
            criteria: "机构职能、领导信息或行业介绍",
          },
          { code: "2.2", name: "计划总结", points: 10, rule: manual },
          { code: "2.3", name: "规章公文", points: 10, rule: manual, criteria: "规范性文件、相关政策" },
          {
            code: "2.4",
            name: "工作动态",
            points: 15,
            rule: manual,
            criteria: "政务动态、突发事件、公告公示、统计数据",
          },
          {
            code: "2.5",
            name: "人事信息、财政信息、政府事项信息",
            points: 25,
            rule: manual,
            criteria: "公选公招、人事任免,政府采购,重大建设项目,专项款物,财政预决算,行政事业收费等",
          },
        ],
      },
      { code: "3", name: "制度建设与监督检查", points: 20, rule: manual },
    ],
  },
};

export const schemeTemplates: readonly SchemeTemplate[] = [
  websites2019,
  countyDepartments,
  sichuanCityDepartments,
];
