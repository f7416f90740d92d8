import { describe, expect, it } from "vitest";
import { parsePlanDocument } from "./index.ts";

const cites = (text: string) =>
  parsePlanDocument(text, {}).plans[0]?.cites.map((c) => [c.title, c.docNumber]) ?? [];

describe("the documents a plan says it implements", () => {
  it("reads the upper plans a town's 工作目标 names (练塘镇 2023, as published)", () => {
    const text = [
      "关于印发《青浦区练塘镇2023年政务公开工作要点》的通知",
      "练府〔2023〕15号",
      "为进一步深化本镇政务公开工作,制定本工作要点。",
      "一、总体要求",
      "(一)指导思想",
      "认真落实国务院办公厅、上海市政府办公厅、青浦区政府办公室关于深化新时代政务公开的工作要求。",
      "(二)工作目标",
      "根据青浦区总体部署和《2023年青浦区政务公开工作要点》有关要求,逐步推动政务公开从管理驱动向需求驱动转变。",
      "二、围绕镇政府2023年重点工作强化信息公开",
      "(三)经济社会发展信息公开",
      "围绕经济社会发展主要工作目标做好信息公开。",
    ].join("\n");
    expect(cites(text)).toEqual([["2023年青浦区政务公开工作要点", null]]);
  });

  it("reads several, with their 文号, and leaves out laws, rules and the plan's own title", () => {
    const text = [
      "定陶区人民政府办公室关于印发《定陶区2017年政务公开工作要点》的通知",
      "为贯彻落实《中华人民共和国政府信息公开条例》(以下简称《条例》)和《山东省政府信息公开办法》,围绕《山东省2017年政务公开工作要点》(鲁政办发〔2017〕39号)和《菏泽市2017年政务公开工作要点》要求,执行《菏泽市重大行政决策程序规定(试行)》,结合《人民日报》评论,制定本要点。",
      "一、推进决策公开",
      "1.做好重大决策预公开。(区政府办公室牵头)",
    ].join("\n");
    expect(cites(text)).toEqual([
      ["山东省2017年政务公开工作要点", "鲁政办发〔2017〕39号"],
      ["菏泽市2017年政务公开工作要点", null],
    ]);
  });

  it("does not read a 《》 inside the tasks as something the plan implements", () => {
    const text = [
      "2024年某区政务公开工作要点",
      "一、深化政策公开",
      "1.做好《某区优化营商环境行动方案》的解读。",
    ].join("\n");
    expect(cites(text)).toEqual([]);
  });
});
