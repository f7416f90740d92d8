/**
 * The glossary as code: the names every layer uses (see docs/domain.md).
 * Labels are what people read in the dashboard and in exported files.
 */

export const roles = ["admin", "office", "unit", "evaluator"] as const;
export type Role = (typeof roles)[number];
export const roleLabels: Record<Role, string> = {
  admin: "系统管理员",
  office: "政务公开办",
  unit: "单位用户",
  evaluator: "评估人员",
};

export const unitKinds = [
  "government",
  "department",
  "town",
  "village",
  "community",
  "enterprise",
  "other",
] as const;
export type UnitKind = (typeof unitKinds)[number];
export const unitKindLabels: Record<UnitKind, string> = {
  government: "人民政府",
  department: "部门/科室",
  town: "乡镇/街道",
  village: "村",
  community: "社区/居委",
  enterprise: "企事业单位",
  other: "其他",
};

export const assignmentRoles = ["lead", "cooperating", "responsible"] as const;
export type AssignmentRole = (typeof assignmentRoles)[number];
export const assignmentRoleLabels: Record<AssignmentRole, string> = {
  lead: "牵头单位",
  cooperating: "配合单位",
  responsible: "责任单位",
};

export const planStatuses = ["draft", "published", "archived"] as const;
export type PlanStatus = (typeof planStatuses)[number];
export const planStatusLabels: Record<PlanStatus, string> = {
  draft: "草稿",
  published: "已发布",
  archived: "已归档",
};

export const categories = [
  "decision",
  "execution",
  "management",
  "service",
  "result",
  "keyAreas",
  "interpretation",
  "response",
  "platform",
  "participation",
  "onRequest",
  "safeguards",
] as const;
export type Category = (typeof categories)[number];
export const categoryLabels: Record<Category, string> = {
  decision: "决策公开",
  execution: "执行公开",
  management: "管理公开",
  service: "服务公开",
  result: "结果公开",
  keyAreas: "重点领域信息公开",
  interpretation: "政策解读",
  response: "回应关切",
  platform: "平台建设",
  participation: "公众参与",
  onRequest: "依申请公开",
  safeguards: "组织保障",
};

export const deadlineKinds = ["by", "after", "recurring", "duration", "ongoing"] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];
export const deadlineKindLabels: Record<DeadlineKind, string> = {
  by: "限期完成",
  after: "事后限时",
  recurring: "定期开展",
  duration: "最短期限",
  ongoing: "持续推进",
};

/** 未启动 / 推进中 / 已完成 / 无法按期完成 */
export const reportStatuses = ["notStarted", "inProgress", "done", "blocked"] as const;
export type ReportStatus = (typeof reportStatuses)[number];
export const reportStatusLabels: Record<ReportStatus, string> = {
  notStarted: "未启动",
  inProgress: "推进中",
  done: "已完成",
  blocked: "无法按期完成",
};

export const reportStates = ["draft", "submitted", "approved", "returned"] as const;
export type ReportState = (typeof reportStates)[number];
export const reportStateLabels: Record<ReportState, string> = {
  draft: "草稿",
  submitted: "待审核",
  approved: "已通过",
  returned: "已退回",
};

/** 提醒 → 督办 → 通报 */
export const noticeLevels = ["remind", "supervise", "bulletin"] as const;
export type NoticeLevel = (typeof noticeLevels)[number];
export const noticeLevelLabels: Record<NoticeLevel, string> = {
  remind: "提醒",
  supervise: "督办",
  bulletin: "通报",
};
export const noticeLevelColors: Record<NoticeLevel, string> = {
  remind: "gold",
  supervise: "orange",
  bulletin: "red",
};

export const noticeStates = ["open", "replied", "escalated", "closed"] as const;
export type NoticeState = (typeof noticeStates)[number];
export const noticeStateLabels: Record<NoticeState, string> = {
  open: "待回复",
  replied: "已回复",
  escalated: "已升级",
  closed: "已办结",
};
