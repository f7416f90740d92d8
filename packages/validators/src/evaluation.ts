import { z } from "zod";
import { fileUpload, id, optionalText, requiredText, year } from "./common.ts";

/** Every project procedure names its project; the project middleware checks access to it. */
export const evaluationProjectRef = z.object({ projectId: id });

const threshold = z
  .number({ error: "请填写分歧阈值(分),如 1 表示两名评估人员相差超过 1 分时需要复核" })
  .min(0, "分歧阈值不能为负数")
  .max(1000, "分歧阈值不能超过 1000 分");
const appealDays = z
  .number({ error: "请填写申诉期限(天)" })
  .int("申诉期限应为整天数")
  .min(1, "申诉期限至少 1 天")
  .max(90, "申诉期限不能超过 90 天");

export const createEvaluationInput = z.object({
  year,
  name: requiredText(200),
  organisation: requiredText(200),
  /** The evaluator who leads the project; null: the office runs it alone. */
  leadUserId: id.nullable(),
  disagreementThreshold: threshold.default(1),
  appealDays: appealDays.default(7),
  /** The government owning the project; default: the office's own. */
  ownerUnitId: id.nullish(),
});

export const updateEvaluationInput = createEvaluationInput.omit({ ownerUnitId: true }).extend({
  projectId: id,
  version: z.number().int().positive().optional(),
});

/**
 * An indicator system built in the page. Its shape and tree rules (weights summing to 1, unique
 * codes, a rule on every leaf) are checked by the core's own schema when it is saved, with messages
 * naming the indicator.
 */
export const setIndicatorSystemInput = z.object({
  projectId: id,
  indicatorSystem: z.record(z.string(), z.unknown(), { error: "请提供指标体系" }),
});

export const importIndicatorSystemInput = fileUpload.extend({ projectId: id });

const noDuplicates =
  <T>(key: (t: T) => unknown) =>
  (list: T[]) =>
    new Set(list.map(key)).size === list.length;

export const setEvaluationUnitsInput = z.object({
  projectId: id,
  units: z
    .array(
      z.object({
        unitId: id,
        tier: z.string().trim().max(50, "层级名称不能超过 50 个字").default(""),
      }),
    )
    .max(2000, "一个项目最多评估 2000 个单位")
    .refine(
      noDuplicates((u: { unitId: number }) => u.unitId),
      "同一单位只能出现一次,请删去重复的单位",
    ),
});

export const setEvaluationAssignmentsInput = z.object({
  projectId: id,
  assignments: z
    .array(
      z.object({
        unitId: id,
        evaluatorIds: z
          .array(id)
          .max(2, "每个单位最多由两名评估人员独立评分")
          .refine(
            noDuplicates((x: number) => x),
            "同一评估人员不能重复分配到一个单位",
          ),
      }),
    )
    .max(2000, "一个项目最多评估 2000 个单位")
    .refine(
      noDuplicates((a: { unitId: number }) => a.unitId),
      "同一单位只能出现一次",
    ),
});

const indicatorCode = z.string({ error: "请指明指标" }).trim().min(1, "请指明指标").max(50, "指标编码过长");
const scoreValue = z.number({ error: "得分必须是数字" }).refine(Number.isFinite, "得分必须是有限的数字");

export const evidenceUrl = z
  .string()
  .trim()
  .max(2000, "网址不能超过 2000 个字符")
  .nullish()
  .transform((v) => (v ? v : null))
  .pipe(
    z
      .url({
        protocol: /^https?$/,
        error: "佐证网址应以 http:// 或 https:// 开头,如 https://www.shqp.gov.cn/xxgk/",
      })
      .nullable(),
  );

export const scoreCellInput = z.object({
  unitId: id,
  indicatorCode,
  /** null clears the cell (the score is deleted). */
  value: scoreValue.nullable(),
  evidenceUrl,
  /** A file uploaded through POST /api/files (a screenshot, a document). */
  evidenceFileId: id.nullish(),
  /** When the evaluator looked at the page: an ISO date-time. */
  observedAt: z.iso
    .datetime({ offset: true, error: "观察时间格式应为 ISO 日期时间,如 2023-11-20T10:30:00+08:00" })
    .nullish(),
  note: optionalText(1000),
});

export const saveEvaluationScoresInput = z.object({
  projectId: id,
  scores: z.array(scoreCellInput).min(1, "没有要保存的得分").max(2000, "一次最多保存 2000 个得分"),
});

/** A page of the evaluator's grid: units in the directory's order, `pageSize` at a time. */
export const evaluationGridInput = evaluationProjectRef.extend({
  page: z.number({ error: "页码应为数字" }).int("页码应为整数").min(1, "页码从 1 开始").optional(),
  pageSize: z
    .number({ error: "每页单位数应为数字" })
    .int("每页单位数应为整数")
    .min(1, "每页至少 1 个单位")
    .max(50, "每页最多 50 个单位,请分页查看")
    .optional(),
});

export const evaluationUnitRef = z.object({ projectId: id, unitId: id });
/** Reconciliation: flagged and decided cells of the project, or every double-rated cell of one unit. */
export const reconciliationInput = z.object({ projectId: id, unitId: id.optional() });

export const setFinalScoreInput = z.object({
  projectId: id,
  unitId: id,
  indicatorCode,
  value: scoreValue,
  reason: requiredText(1000),
});

export const createAppealInput = z.object({
  projectId: id,
  indicatorCode,
  reason: requiredText(2000),
});

export const decideAppealInput = z
  .object({
    projectId: id,
    appealId: id,
    accept: z.boolean({ error: "请选择采纳或驳回" }),
    response: requiredText(2000),
    newValue: scoreValue.nullish(),
  })
  .refine((d) => !d.accept || (d.newValue !== null && d.newValue !== undefined), {
    message: "采纳申诉时请填写调整后的得分",
    path: ["newValue"],
  });

export const publishEvaluationInput = z.object({
  projectId: id,
  /** Required from version 2 on: why the correction. */
  reason: optionalText(1000),
});

export const publicEvaluationInput = z.object({
  projectId: id,
  version: z.number({ error: "版本号必须是数字" }).int().positive().optional(),
});
