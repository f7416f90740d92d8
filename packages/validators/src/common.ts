import { z } from "zod";

// zod's own messages in Chinese; ours below say what to do.
z.config(z.locales.zhCN());

/** Names of fields as people know them, for error messages ("「标题」不能为空"). */
export const fieldLabels: Record<string, string> = {
  username: "用户名",
  password: "密码",
  displayName: "姓名",
  role: "角色",
  unitId: "所属单位",
  id: "编号",
  planId: "工作要点",
  taskId: "任务",
  sectionId: "所属章节",
  year: "年度",
  title: "标题",
  docNumber: "文号",
  issuerUnitId: "发文单位",
  publishDate: "发布日期",
  code: "编号",
  content: "具体内容",
  category: "类别",
  units: "责任分工",
  lead: "牵头单位",
  cooperating: "配合单位",
  responsible: "责任单位",
  unitIds: "单位",
  groupIds: "单位分组",
  deadlines: "完成时限",
  phrase: "时限表述",
  eventDate: "事件发生日期",
  name: "名称",
  shortName: "简称",
  kind: "类型",
  regionCode: "行政区划代码",
  aliases: "别名",
  parentId: "上级单位",
  ownerUnitId: "所属单位",
  memberIds: "成员单位",
  fileName: "文件名",
  contentBase64: "文件内容",
  version: "版本号",
  status: "状态",
  sortOrder: "排序",
  // progress reports, supervision, bulletins
  period: "报送周期",
  percent: "完成进度",
  summary: "进展情况",
  blockedReason: "无法按期完成的原因",
  occurredOn: "开展日期",
  links: "链接",
  url: "网址",
  fileIds: "文件",
  evidence: "佐证材料",
  contributionIds: "配合单位报告",
  reportId: "报告",
  revision: "版本",
  decision: "审核结果",
  submissionKey: "提交标识",
  requestKey: "提交标识",
  deadlineId: "时限",
  level: "级别",
  replyDueDate: "回复期限",
  reply: "回复内容",
  dueSoonWorkingDays: "临期预警天数",
  remindBeforeWorkingDays: "提前提醒天数",
  noticeReplyWorkingDays: "督办回复天数",
  asOf: "截止日期",
  format: "格式",
  reportingCycle: "报送周期",
  ids: "编号",
  plans: "工作要点",
  tasks: "任务",
  sections: "章节",
  sectionIndex: "所属章节",
  newUnits: "新单位",
  days: "日期",
  dates: "日期",
  date: "日期",
  text: "文字",
  q: "搜索内容",
  // evaluation (第三方评估)
  projectId: "评估项目",
  organisation: "评估机构",
  leadUserId: "评估组长",
  disagreementThreshold: "分歧阈值",
  appealDays: "申诉期限(天)",
  indicatorSystem: "指标体系",
  tier: "层级",
  assignments: "评估分工",
  evaluatorIds: "评估人员",
  scores: "得分",
  indicatorCode: "指标",
  value: "得分",
  evidenceUrl: "佐证网址",
  evidenceFileId: "佐证文件",
  observedAt: "观察时间",
  note: "备注",
  reason: "理由",
  appealId: "申诉",
  accept: "处理结果",
  response: "处理意见",
  newValue: "调整后得分",
  page: "页码",
  pageSize: "每页单位数",
  // assessment (年度考核)
  unitGroupId: "考核分组",
  performanceTotal: "绩效考核总分",
  selfAssessmentDue: "自评截止日期",
  definition: "考核方案",
  finalScores: "最终得分",
  finalValue: "最终得分",
  reviewNote: "审核说明",
  returnReason: "退回理由",
  correctionReason: "更正理由",
  selfEntries: "自评内容",
  selfValue: "自评分",
  selfNote: "自评说明",
  selfEvidence: "佐证材料",
  // notification channels (通知方式、群机器人、Webhook)
  email: "邮箱",
  emailKinds: "邮件通知的类型",
  phone: "手机号码",
  smsKinds: "短信通知的类型",
  digest: "每日汇总",
  provider: "机器人类型",
  secret: "密钥",
  kinds: "推送的通知类型",
  events: "事件",
  groupId: "单位分组",
};

/** A row id: a positive 32-bit integer (a larger one names no row and must not reach the database). */
export const id = z
  .number({ error: "请提供有效的编号" })
  .int("编号应为整数")
  .positive("编号应为正整数")
  .max(2_147_483_647, "编号无效,请刷新页面后重试");
export const year = z
  .number({ error: "请填写四位数的年度" })
  .int("年度必须是整数")
  .min(2000, "年度不能早于 2000 年")
  .max(2100, "年度不能晚于 2100 年");
export const isoDate = z.iso.date({ error: "日期格式应为 YYYY-MM-DD,例如 2023-03-31" });

/** A required line of text: trimmed, not empty, not too long. */
export const requiredText = (max: number) =>
  z.string({ error: "请填写此项" }).trim().min(1, "不能为空,请填写").max(max, `不能超过 ${max} 个字`);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `不能超过 ${max} 个字`)
    .nullish()
    .transform((v) => (v ? v : null));

/** Upper bound for files sent as base64 inside a request (10 MB of file). */
export const maxUploadBytes = 10 * 1024 * 1024;
export const fileUpload = z.object({
  fileName: requiredText(200),
  contentBase64: z
    .string()
    .min(1, "文件是空的,请选择有内容的文件")
    .max(Math.ceil(maxUploadBytes / 3) * 4 + 4, "文件超过 10 MB,请拆分后再上传"),
});

/**
 * The key a form sends with a creating request, chosen once per form: the same key twice (a double
 * click, a retry after a lost answer) creates once and answers the same.
 */
export const requestKey = z.string().trim().min(8, "提交标识无效,请刷新页面后重试").max(100).optional();
/** A creating request's input with its optional `requestKey`. */
export const keyed = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) => schema.extend({ requestKey });
