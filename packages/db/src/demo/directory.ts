import type { UnitKind } from "@gongkai/core";

/**
 * The demo directory: 上海市青浦区徐泾镇 — the town government, its offices (科室), its villages
 * (村) and residents' committees (居委会), and the groups its documents use.
 */
export const xujingRegionCode = "310118102";

export type DemoUnit = { name: string; shortName?: string; kind: UnitKind; aliases?: string[] };

export const xujingGovernment: DemoUnit = {
  name: "徐泾镇人民政府",
  shortName: "镇政府",
  kind: "town",
  aliases: ["上海市青浦区徐泾镇人民政府", "镇人民政府", "徐泾镇政府"],
};

export const xujingOffices: DemoUnit[] = [
  { name: "党政办公室", shortName: "党政办", kind: "department", aliases: ["镇政府办公室", "政府办公室"] },
  { name: "经济发展办公室", shortName: "经发办", kind: "department" },
  { name: "营商环境办公室", shortName: "营商办", kind: "department" },
  { name: "社会事业管理办公室", shortName: "社事办", kind: "department" },
  { name: "社区管理办公室", shortName: "社区办", kind: "department" },
  { name: "规划建设和生态环境办公室", shortName: "规建办", kind: "department" },
  { name: "平安建设办公室", shortName: "平安办", kind: "department" },
  { name: "财政管理所", shortName: "财政所", kind: "department" },
  { name: "农业农村服务中心", shortName: "农服中心", kind: "department" },
  { name: "安居工作办公室", shortName: "安居办", kind: "department" },
  { name: "社区事务受理服务中心", shortName: "受理中心", kind: "department" },
  { name: "城市运行管理中心", shortName: "城运中心", kind: "department" },
];

export const xujingEnterprises: DemoUnit[] = [
  { name: "徐泾镇社区卫生服务中心", kind: "enterprise" },
  { name: "徐泾镇社区文化活动中心", shortName: "文体中心", kind: "enterprise" },
  { name: "徐泾镇集体资产管理有限公司", shortName: "资产公司", kind: "enterprise" },
];

export const xujingVillages: DemoUnit[] = [
  "前明村",
  "民主村",
  "金云村",
  "光联村",
  "二联村",
  "陆象村",
  "卫家角村",
  "徐南村",
].map((name) => ({ name: `${name}村民委员会`, shortName: name, kind: "village" as const, aliases: [name] }));

export const xujingCommunities: DemoUnit[] = ["徐泾", "高泾", "蟠龙", "西郊半岛", "尚鸿", "明珠"].map(
  (name) => ({
    name: `${name}居民委员会`,
    shortName: `${name}居委会`,
    kind: "community" as const,
    aliases: [`${name}居委会`, `${name}社区`],
  }),
);

/** Groups, with the kinds of unit that belong to each. */
export const xujingGroups: { name: string; aliases: string[]; kinds: UnitKind[] }[] = [
  {
    name: "各村(居)",
    aliases: ["各村(社区)", "各村居", "村(居)", "各村、居委会"],
    kinds: ["village", "community"],
  },
  { name: "各村", aliases: ["各村委会"], kinds: ["village"] },
  { name: "各居委会", aliases: ["各居委", "各社区"], kinds: ["community"] },
  { name: "机关各科室", aliases: ["各科室", "各业务科室", "镇机关各科室"], kinds: ["department"] },
  { name: "企事业单位", aliases: ["各企事业单位"], kinds: ["enterprise"] },
  { name: "镇直各单位", aliases: ["镇属各单位"], kinds: ["department", "enterprise"] },
];
