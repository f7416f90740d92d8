import type { AssignmentRole, Category, DeadlineRule } from "@gongkai/core";

/**
 * 关于徐泾镇2023年政务公开工作要点 (徐府〔2023〕32号, seeds/001_6b261e1ba6fd1902.txt): its 28 tasks
 * with units and deadlines entered by hand, as an office would after reading the text. The
 * document names no units; these assignments are the office's task breakdown (任务分解), which
 * task 28 asks for. Code → [category, units by role, deadlines].
 * Units are named by their short name or group name in ./directory.ts.
 */
export type DemoTask = {
  category: Category;
  units: Partial<Record<AssignmentRole, string[]>>;
  deadlines?: { phrase: string; rule: DeadlineRule }[];
};

const yearly: DeadlineRule = { kind: "recurring", period: "year", times: 1 };
/**
 * The office's own requirement on the tasks it follows most closely (not in the document): a
 * progress report each quarter, so that these tasks fall behind visibly on any day of the year.
 */
const quarterly = {
  phrase: "每季度报送工作进展",
  rule: { kind: "recurring", period: "quarter", times: 1 } as const,
};

export const xujing2023Tasks: Record<string, DemoTask> = {
  "1": { category: "management", units: { lead: ["党政办"], cooperating: ["机关各科室"] } },
  "2": { category: "result", units: { lead: ["党政办"], cooperating: ["机关各科室"] } },
  "3": { category: "management", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "4": { category: "interpretation", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "5": { category: "platform", units: { lead: ["党政办"], cooperating: ["营商办"] } },
  "6": { category: "service", units: { lead: ["受理中心"], cooperating: ["党政办", "城运中心"] } },
  "7": { category: "service", units: { lead: ["营商办"], cooperating: ["经发办"] }, deadlines: [quarterly] },
  "8": { category: "service", units: { lead: ["营商办"], cooperating: ["经发办", "社事办"] } },
  "9": { category: "participation", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "10": {
    category: "decision",
    units: { lead: ["党政办"] },
    deadlines: [{ phrase: "3月31日前", rule: { kind: "by", date: "2023-03-31", precision: "day" } }],
  },
  "11": {
    category: "participation",
    units: { lead: ["党政办"], cooperating: ["机关各科室"] },
    deadlines: [
      {
        phrase: "决策出台后的10个工作日内",
        rule: { kind: "after", event: "决策出台", amount: 10, unit: "workingDays" },
      },
    ],
  },
  "12": { category: "decision", units: { lead: ["党政办"] } },
  "13": {
    category: "participation",
    units: { lead: ["党政办"] },
    deadlines: [{ phrase: "年内邀请公众代表列席本单位决策会议不少于1次", rule: yearly }],
  },
  "14": { category: "response", units: { lead: ["党政办"], cooperating: ["城运中心"] } },
  "15": {
    category: "response",
    units: { lead: ["城运中心"], cooperating: ["党政办"] },
    deadlines: [quarterly],
  },
  "16": {
    category: "participation",
    units: { lead: ["党政办"], cooperating: ["社事办", "文体中心"] },
    deadlines: [{ phrase: "每年集中组织开展", rule: yearly }],
  },
  "17": { category: "management", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "18": { category: "safeguards", units: { lead: ["党政办"], cooperating: ["平安办"] } },
  "19": { category: "management", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "20": { category: "keyAreas", units: { lead: ["党政办"] }, deadlines: [quarterly] },
  "21": { category: "platform", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "22": { category: "keyAreas", units: { lead: ["社区办"], responsible: ["各村(居)"] } },
  "23": { category: "response", units: { lead: ["党政办"], cooperating: ["文体中心"] } },
  "24": { category: "onRequest", units: { lead: ["党政办"] } },
  "25": { category: "onRequest", units: { lead: ["党政办"], cooperating: ["平安办"] } },
  "26": {
    category: "safeguards",
    units: { lead: ["党政办"] },
    deadlines: [{ phrase: "每年至少听取1次", rule: yearly }],
  },
  "27": { category: "safeguards", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
  "28": { category: "safeguards", units: { lead: ["党政办"], responsible: ["机关各科室"] } },
};
