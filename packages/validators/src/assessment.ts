import { type AssessmentScheme, parseAssessmentScheme, quotaTiesRules } from "@gongkai/core";
import { z } from "zod";
import { fileUpload, id, isoDate, optionalText, requiredText, year } from "./common.ts";

/**
 * A scheme's indicator tree, share, bonus rule and grades, checked by the core rules (share ≥ 4%,
 * weights sum to 1, a rule on every leaf…); the message names the indicator and what to change.
 */
export const assessmentDefinition = z.custom<AssessmentScheme>().transform((value, ctx) => {
  try {
    return parseAssessmentScheme(value);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message : "考核方案有误,请检查后再保存" });
    return z.NEVER;
  }
});

const performanceTotal = z
  .number({ error: "请填写绩效考核总分,如 100 或 1000" })
  .positive("绩效考核总分必须大于 0")
  .max(100_000, "绩效考核总分不能超过 100000");

export const assessmentSchemeInput = z.object({
  year,
  unitGroupId: id,
  performanceTotal: performanceTotal.default(100),
  selfAssessmentDue: isoDate.nullish(),
  definition: assessmentDefinition,
});
export const updateAssessmentSchemeInput = assessmentSchemeInput.extend({
  id,
  version: z.number({ error: "缺少版本号,请刷新页面后再保存" }).int().positive(),
});
export const listAssessmentInput = z.object({ year: year.optional() }).default({});

/** Opening (or reopening) the self-assessment (自评) until a due date, inclusive. */
export const openSelfAssessmentInput = z.object({ id, selfAssessmentDue: isoDate });

const indicatorCode = z.string({ error: "请提供指标编码" }).trim().min(1, "指标编码不能为空").max(50);
const value = z
  .number({ error: "得分必须是数字" })
  .refine(Number.isFinite, "得分必须是有限的数字")
  .nullable();

/** The office's final scores (最终得分); null clears one. */
export const setAssessmentScoresInput = z.object({
  id,
  finalScores: z
    .array(z.object({ unitId: id, indicatorCode, finalValue: value, reviewNote: optionalText(1000) }), {
      error: "请提供要保存的得分",
    })
    .min(1, "没有要保存的得分")
    .max(10_000, "一次最多保存 10000 个得分,请分批保存"),
});

/** A scheme, and optionally one of its units: the review drawer reads one unit's scores at a time. */
export const assessmentUnitInput = z.object({ id, unitId: id.optional() });

export const returnSelfAssessmentInput = z.object({ id, unitId: id, returnReason: requiredText(500) });

export const publishAssessmentInput = z.object({
  id,
  /** Required for a correction (a second or later version). */
  correctionReason: optionalText(1000),
  /** Publish although some units are not fully scored (they are shown as 未完成, unranked). */
  allowIncomplete: z.boolean().default(false),
});
export const assessmentVersionInput = z.object({ id, version: z.number().int().positive() });
export const exportAssessmentResultsInput = z.object({ id, version: z.number().int().positive().optional() });
export const importAssessmentXlsxInput = fileUpload.extend({
  /** Used when the file has no 方案 sheet stating the share. */
  share: z.number().min(0).max(100).optional(),
});

/** One piece of self-assessment evidence: a published page (http/https) or an uploaded file. */
export const selfEvidenceItem = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "佐证链接必须是以 http:// 或 https:// 开头的网址" })
      .max(2000, "佐证链接不能超过 2000 个字符")
      .optional(),
    fileId: id.optional(),
    title: z.string().trim().max(200, "佐证材料名称不能超过 200 个字").optional(),
  })
  .refine((e) => e.url !== undefined || e.fileId !== undefined, "每条佐证材料需要一个链接或一个已上传的文件");

export const saveSelfAssessmentInput = z.object({
  id,
  selfEntries: z
    .array(
      z.object({
        indicatorCode,
        selfValue: value,
        selfNote: optionalText(2000),
        selfEvidence: z.array(selfEvidenceItem).max(20, "每项指标最多 20 条佐证材料").default([]),
      }),
      { error: "请提供自评内容" },
    )
    .min(1, "没有要保存的自评内容")
    .max(1000),
});

// ---------------------------------------------------------------- read models the charts use

const resultUnit = z.object({
  unitId: z.number(),
  unit: z.string(),
  rank: z.number().nullable(),
  grade: z.string().nullable(),
  vetoed: z.boolean(),
  vetoedBy: z.array(z.string()),
  complete: z.boolean(),
  missing: z.array(z.string()),
  total: z.number().nullable(),
  partialTotal: z.number(),
  base: z.number(),
  bonus: z.number(),
  bonusEarned: z.number(),
  /** Every indicator's score (3,000 units × 190 codes in a province): typed, not re-checked entry by entry. */
  indicators: z.custom<Record<string, number>>((v) => typeof v === "object" && v !== null),
  contribution: z.number().nullable(),
});

/**
 * Results of a scheme, live or as a published version froze them: units in ranking order (未完成
 * units last, unranked), first-level indicators for the radar, the score distribution and the
 * change from last year's published results of the same group.
 */
export const assessmentResultsOutput = z.object({
  version: z.number().int().nullable(),
  publishedAt: z.date().nullable(),
  reason: z.string().nullable(),
  /** A published version's sha256; null for the live results, which nothing has frozen yet. */
  contentHash: z.string().nullable(),
  hashValid: z.boolean(),
  schemeId: z.number(),
  year: z.number(),
  name: z.string(),
  unitGroupId: z.number().nullable(),
  share: z.number(),
  performanceTotal: z.number(),
  max: z.number(),
  bonusCap: z.number(),
  grades: z
    .array(
      z.object({
        name: z.string(),
        min: z.number().optional(),
        quotaPercent: z.number().optional(),
        quotaTies: z.enum(quotaTiesRules).optional(),
      }),
    )
    .nullable(),
  firstLevel: z.array(z.object({ code: z.string(), name: z.string(), max: z.number() })),
  definition: z.custom<AssessmentScheme>(),
  units: z.array(resultUnit),
  distribution: z.object({
    bands: z.array(z.object({ band: z.string(), count: z.number() })),
    incomplete: z.number(),
  }),
  previous: z
    .object({
      schemeId: z.number(),
      name: z.string(),
      year: z.number(),
      version: z.number(),
      max: z.number(),
    })
    .nullable(),
  changes: z.array(
    z.object({
      unitId: z.number(),
      unit: z.string(),
      total: z.number().nullable(),
      rank: z.number().nullable(),
      previousTotal: z.number().nullable(),
      previousRank: z.number().nullable(),
      change: z.number().nullable(),
    }),
  ),
});
export type AssessmentResultsOutput = z.infer<typeof assessmentResultsOutput>;
