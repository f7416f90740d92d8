/**
 * Short forms of unit names as offices write them: 市政府办 ↔ 市政府办公室 ↔ 市人民政府办公室,
 * 市发改委 ↔ 市发展改革委 ↔ 市发展和改革委员会, 县住建局 ↔ 县住房和城乡建设局. Both the directory's
 * names and the names in documents are reduced to a short key; equal keys are the same unit.
 * Input is a name key (Simplified, half-width, no spaces — see parser/normalize.ts).
 */

/** Longest first within each group; applied in order. */
const REPLACEMENTS: [RegExp, string][] = [
  [/^中国共产党/, ""],
  [/^中共/, ""],
  [/机构编制委员会办公室/g, "编办"],
  [/网络安全和信息化委员会办公室/g, "网信办"],
  [/国有资产监督管理委员会/g, "国资委"],
  [/人民政府/g, "政府"],
  [/街道办事处/g, "街道"],
  [/发展和改革|发展改革/g, "发改"],
  [/住房和城乡建设|住房城乡建设/g, "住建"],
  [/人力资源和社会保障|人力资源社会保障/g, "人社"],
  [/卫生健康/g, "卫健"],
  [/卫生和计划生育|卫生计生/g, "卫计"],
  [/经济和信息化|经济信息化/g, "经信"],
  [/工业和信息化|工业信息化/g, "工信"],
  [/自然资源和规划/g, "资规"],
  [/市场监督管理/g, "市场监管"],
  [/交通运输/g, "交通"],
  [/农业和农村/g, "农业农村"],
  [/文化广播电视和旅游|文化广电和旅游|文化广电旅游/g, "文广旅"],
  [/文化和旅游|文化旅游/g, "文旅"],
  [/教育和体育|教育体育/g, "教体"],
  [/应急管理/g, "应急"],
  [/医疗保障/g, "医保"],
  [/退役军人事务/g, "退役军人"],
  [/科学技术/g, "科技"],
  [/政务服务管理/g, "政务服务"],
  [/行政审批服务/g, "行政审批"],
  [/委员会/g, "委"],
  [/办公室|办公厅/g, "办"],
];

export function shortKey(key: string): string {
  let s = key;
  for (const [re, to] of REPLACEMENTS) s = s.replace(re, to);
  return s;
}
