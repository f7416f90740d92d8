import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { plans, type tasks, units } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { readDocument } from "@gongkai/files";
import { Document, Packer, Paragraph } from "docx";
import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "../../../packages/api/test/harness.ts";
import { createApp } from "../src/app.ts";

const seed = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../seeds/${name}`, import.meta.url)), "utf8");

type Preview = {
  text: string;
  plans: {
    title: string;
    year: number | null;
    docNumber: string | null;
    sections: { code: string; title: string }[];
    tasks: {
      code: string;
      title: string;
      content: string;
      sectionCode: string | null;
      units: Record<
        "lead" | "cooperating" | "responsible",
        { name: string; match: { kind: string; id?: number; label?: string } }[]
      >;
      deadlines: { phrase: string; kind?: string; rule: { kind: string }; due: string | null }[];
      marks: { kind: string; start: number; end: number; text: string }[];
    }[];
  }[];
  error?: { message: string };
};

/** Importing a 工作要点 end to end on a real database: upload, preview with matching, confirm, export. */
describe.each(testDbKinds())("importing plans on %s", (kind) => {
  let f: Fixture;
  let app: ReturnType<typeof createApp>;
  const host = "gongkai.test";
  const cookies = new Map<string, string>();

  const signIn = async (username: string, password: string) => {
    const res = await app.request(`http://${host}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", host },
      body: JSON.stringify({ username, password }),
    });
    cookies.set(username, (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "");
  };
  const preview = async (
    as: string | null,
    body: { file?: [Uint8Array, string]; text?: string; year?: number },
  ) => {
    const form = new FormData();
    if (body.file) form.append("file", new File([body.file[0]], body.file[1]));
    if (body.text !== undefined) form.append("text", body.text);
    if (body.year) form.append("year", String(body.year));
    const res = await app.request(`http://${host}/api/imports/preview`, {
      method: "POST",
      body: form,
      headers: { cookie: as ? (cookies.get(as) ?? "") : "", host },
    });
    return { status: res.status, body: (await res.json()) as Preview };
  };
  const count = async (table: typeof plans | typeof tasks | typeof units) =>
    (await f.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;

  beforeAll(async () => {
    f = await createFixture(kind);
    app = createApp({ database: f.database, version: "t" });
    await signIn("office", "Office@2026");
    await signIn("dangzheng", "Unit@2026");
  });
  afterAll(() => f?.database.drop());

  it("previews pasted text, matching unit phrases to the directory (short forms and groups)", async () => {
    const text = [
      "关于徐泾镇2026年政务公开工作要点",
      "一、重点任务",
      "1、编制重大行政决策事项目录。于3月31日前向社会公开。(牵头单位:党政办;配合单位:各村(居)、镇直各单位)",
      "2、加强政策解读。文件印发后10个工作日内发布解读。(责任单位:营商办、不存在的办公室)",
    ].join("\n");
    const { status, body } = await preview("office", { text, year: 2026 });
    expect(status).toBe(200);
    const [plan] = body.plans;
    expect(plan?.tasks.map((t) => [t.code, t.title])).toEqual([
      ["1", "编制重大行政决策事项目录"],
      ["2", "加强政策解读"],
    ]);
    const t1 = plan?.tasks[0];
    expect(t1?.units.lead.map((u) => [u.name, u.match.kind, u.match.label])).toEqual([
      ["党政办", "unit", "党政办公室"],
    ]);
    expect(t1?.units.cooperating.map((u) => [u.name, u.match.kind, u.match.label])).toEqual([
      ["各村(居)", "group", "各村(居)"],
      ["镇直各单位", "group", "镇直各单位"],
    ]);
    expect(t1?.deadlines.map((d) => [d.phrase, d.due])).toEqual([["3月31日前", "2026-03-31"]]);
    const t2 = plan?.tasks[1];
    expect(t2?.units.responsible.map((u) => [u.name, u.match.kind])).toEqual([
      ["营商办", "unit"],
      ["不存在的办公室", "none"],
    ]);
    // Highlights point into the text as sent.
    for (const m of t1?.marks ?? []) expect(body.text.slice(m.start, m.end)).toBe(m.text);
  });

  it("reads seed 003 (Traditional Chinese) from a GBK-free UTF-8 file and seed 001 saved as GBK", async () => {
    const trad = await preview("office", {
      file: [new TextEncoder().encode(seed("003_33391eb50aacad12.txt")), "黑龙江.txt"],
    });
    expect(trad.status).toBe(200);
    expect(trad.body.plans[0]?.tasks.find((t) => t.title === "推進決策公開")).toBeDefined();
    const gbk = await preview("office", {
      file: [new Uint8Array(iconv.encode(seed("001_6b261e1ba6fd1902.txt"), "gbk")), "徐泾.txt"],
    });
    expect(gbk.status).toBe(200);
    expect(gbk.body.plans[0]?.tasks).toHaveLength(28);
    expect(gbk.body.plans[0]?.docNumber).toBe("徐府〔2023〕32号");
  });

  it("reads a .docx and an .xlsx task-division table with merged cells", async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            "关于2026年政务公开工作要点",
            "一、推进决策公开",
            "1、严格落实重大行政决策听取意见制度。(牵头单位:党政办公室)",
            "2、规范开展意见征集和反馈。决策出台后的10个工作日内公开采纳情况。(牵头单位:党政办公室;配合单位:机关各科室)",
          ].map((t) => new Paragraph(t)),
        },
      ],
    });
    const docx = await preview("office", {
      file: [new Uint8Array(await Packer.toBuffer(doc)), "要点.docx"],
      year: 2026,
    });
    expect(docx.status).toBe(200);
    expect(docx.body.plans[0]?.tasks.map((t) => t.title)).toEqual([
      "严格落实重大行政决策听取意见制度",
      "规范开展意见征集和反馈",
    ]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("任务分工");
    ws.addRow(["2026年政务公开工作任务分工表"]);
    ws.mergeCells("A1:F1");
    ws.addRow(["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限"]);
    ws.addRow(["1", "政策解读", "重要政策同步解读。", "党政办公室", "机关各科室", "持续推进"]);
    ws.addRow(["2", "政务公开培训", "每年开展培训。", "党政办公室", "机关各科室", "每年至少1次"]);
    ws.mergeCells("D3:D4"); // one lead cell for both tasks
    const xlsx = await preview("office", {
      file: [new Uint8Array(await wb.xlsx.writeBuffer()), "分工.xlsx"],
      year: 2026,
    });
    expect(xlsx.status).toBe(200);
    const rows = xlsx.body.plans[0]?.tasks ?? [];
    expect(rows.map((t) => [t.code, t.title, t.units.lead.map((u) => u.match.label)])).toEqual([
      ["1", "政策解读", ["党政办公室"]],
      ["2", "政务公开培训", ["党政办公室"]],
    ]);
    expect(rows[1]?.deadlines[0]?.rule.kind).toBe("recurring");
  });

  it("refuses corrupt, empty, binary and oversize files with a Chinese message, and units or strangers outright", async () => {
    const corrupt = await preview("office", {
      file: [new TextEncoder().encode("PK\u0003\u0004 broken"), "坏.docx"],
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error?.message).toMatch(/[\u4e00-\u9fff]/);
    const empty = await preview("office", { file: [new Uint8Array(), "空.txt"] });
    expect(empty.status).toBe(400);
    const binary = await preview("office", {
      file: [new Uint8Array(4096).map((_, i) => (i * 7) % 256), "x.txt"],
    });
    expect(binary.status).toBe(400);
    const big = await preview("office", {
      file: [new Uint8Array(10 * 1024 * 1024 + 10).fill(0x41), "大.txt"],
    });
    expect(big.status).toBe(413);
    const noTasks = await preview("office", { text: "这是一段没有任何编号条目的普通文字。" });
    expect(noTasks.status).toBe(400);
    expect(noTasks.body.error?.message).toContain("没有从文件中识别出任务");
    expect((await preview("dangzheng", { text: "1、x" })).status).toBe(403);
    expect((await preview(null, { text: "1、x" })).status).toBe(401);
  });

  it("refuses a zip bomb with 413 in Chinese, and answers others while a heavy upload is read", async () => {
    // A real .docx whose document.xml unpacks to 80 MB: refused before anything unpacks it.
    const JSZip = (await import("jszip")).default;
    const small = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph("一、公开。")] }] }),
    );
    const zip = await JSZip.loadAsync(small);
    zip.file(
      "word/document.xml",
      Buffer.alloc(80 * 1024 * 1024, "<w:p><w:r><w:t>一、公开。</w:t></w:r></w:p>"),
    );
    const bomb = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    const refused = await preview("office", { file: [bomb, "要点.docx"] });
    expect(refused.status).toBe(413);
    expect(refused.body.error?.message).toMatch(/解压后超过.*请另存为新文件或只粘贴正文/);

    // A large task table takes the reader seconds; the server answers meanwhile.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("任务");
    ws.addRow(["序号", "工作任务", "责任单位", "完成时限"]);
    for (let r = 1; r <= 40_000; r++) ws.addRow([r, `第${r}项任务`, "党政办公室", "6月底前"]);
    const heavy = new Uint8Array(await wb.xlsx.writeBuffer());
    let uploadDone = false;
    const upload = preview("office", { file: [heavy, "分工.xlsx"], year: 2023 }).then((r) => {
      uploadDone = true;
      return r;
    });
    const health = await app.request(`http://${host}/health`, { headers: { host } });
    expect(health.status).toBe(200);
    expect(uploadDone).toBe(false);
    const done = await upload;
    expect(done.status).toBe(200);
    expect(done.body.plans[0]?.tasks).toHaveLength(40_000);
  });

  it("creates both plans of seed 002 with new units in one transaction", async () => {
    const { body } = await preview("office", {
      file: [new TextEncoder().encode(seed("002_c8b85c001a642098.txt")), "泸州.txt"],
    });
    expect(body.plans.map((p) => p.title)).toEqual([
      "2011年全市政府信息公开工作要点",
      "2011年全市政务公开工作要点",
    ]);
    const office = await callerAs(f.db, "office");
    const unmatched = new Set<string>();
    const input = {
      requestKey: `seed002-${kind}-${Date.now()}`,
      plans: body.plans.map((p) => ({
        title: p.title,
        year: p.year ?? 2011,
        docNumber: p.docNumber,
        issuerUnitId: f.ids.gov,
        publishDate: null,
        sourceText: null,
        sections: p.sections.map((s) => ({ code: s.code, title: s.title })),
        tasks: p.tasks.map((t) => {
          const pick = (role: "lead" | "cooperating" | "responsible") => {
            const phrases = t.units[role];
            for (const u of phrases) if (u.match.kind === "none") unmatched.add(u.name);
            return {
              unitIds: phrases.filter((u) => u.match.kind === "unit").map((u) => u.match.id as number),
              groupIds: phrases.filter((u) => u.match.kind === "group").map((u) => u.match.id as number),
              newUnits: phrases.filter((u) => u.match.kind === "none").map((u) => u.name),
            };
          };
          return {
            sectionIndex: null,
            code: t.code,
            title: t.title,
            content: t.content,
            category: null,
            units: { lead: pick("lead"), cooperating: pick("cooperating"), responsible: pick("responsible") },
            deadlines: t.deadlines.map((d) => ({ phrase: d.phrase })),
          };
        }),
      })),
      newUnits: [] as { name: string; parentId: number; kind: "department" }[],
    };
    expect(unmatched.has("市财政局")).toBe(true);
    const plansBefore = await count(plans);
    // Without saying where the new units go, nothing is created.
    const refused = await outcome(office.imports.confirm(input));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("市财政局");
    // A new unit under another town's government (outside the scope) fails the whole import.
    const bad = await outcome(
      office.imports.confirm({
        ...input,
        newUnits: [...unmatched].map((name) => ({
          name,
          parentId: f.ids.otherGov,
          kind: "department" as const,
        })),
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(await count(plans)).toBe(plansBefore);
    const unitsBefore = await count(units);
    const done = await office.imports.confirm({
      ...input,
      newUnits: [...unmatched].map((name) => ({ name, parentId: f.ids.gov, kind: "department" as const })),
    });
    expect(done.planIds).toHaveLength(2);
    expect(done.unitsCreated).toBe(unmatched.size);
    // 确认导入 clicked again (or retried) with the same key: the same plans, nothing new.
    const plansAfter = await count(plans);
    const again = await office.imports.confirm({
      ...input,
      newUnits: [...unmatched].map((name) => ({ name, parentId: f.ids.gov, kind: "department" as const })),
    });
    expect(again.planIds).toEqual(done.planIds);
    expect(await count(plans)).toBe(plansAfter);
    expect(await count(units)).toBe(unitsBefore + unmatched.size);
    const first = await office.plans.get({ id: done.planIds[0] ?? 0 });
    expect(first.plan).toMatchObject({ status: "draft", year: 2011 });
    expect(first.tasks).toHaveLength(body.plans[0]?.tasks.length ?? -1);
    const t3 = first.tasks.find((t) => t.code === "三");
    expect(t3?.assignments.filter((a) => a.role === "lead").map((a) => a.unitName)).toEqual(["市财政局"]);
  });

  it("creates one plan when 确认导入 is sent twice at once with the same key", async () => {
    const office = await callerAs(f.db, "office");
    const none = { unitIds: [], groupIds: [], newUnits: [] };
    const input = {
      requestKey: `double-${kind}-${Date.now()}`,
      plans: [
        {
          title: "2026年重复点击测试要点",
          year: 2026,
          docNumber: null,
          issuerUnitId: null,
          publishDate: null,
          sourceText: null,
          sections: [],
          tasks: [
            {
              sectionIndex: null,
              code: "1",
              title: "公开决策事项目录",
              content: "公开决策事项目录。",
              category: null,
              units: { lead: none, cooperating: none, responsible: none },
              deadlines: [],
            },
          ],
        },
      ],
      newUnits: [],
    };
    const before = await count(plans);
    const [a, b] = await Promise.all([office.imports.confirm(input), office.imports.confirm(input)]);
    expect(a.planIds).toEqual(b.planIds);
    expect(await count(plans)).toBe(before + 1);
    // Another user cannot replay someone else's key.
    const other = await outcome((await callerAs(f.db, "admin")).imports.confirm(input));
    expect(other.code).toBe("CONFLICT");
    expect(other.message).toMatch(/标识已被使用,请刷新页面后重新操作/);
  });

  it("exports a plan as a task-division .xlsx that imports back to the same tasks", async () => {
    const office = await callerAs(f.db, "office");
    const file = await office.imports.exportXlsx({ id: f.ids.planId });
    expect(file.fileName).toContain(".xlsx");
    const bytes = new Uint8Array(Buffer.from(file.contentBase64, "base64"));
    const doc = await readDocument(bytes, file.fileName);
    expect(doc.kind).toBe("table");
    const { body } = await preview("office", { file: [bytes, file.fileName], year: 2023 });
    const original = await office.plans.get({ id: f.ids.planId });
    const back = body.plans[0]?.tasks ?? [];
    expect(back.map((t) => [t.code, t.title])).toEqual(original.tasks.map((t) => [t.code, t.title]));
    const leadsOf = (code: string) =>
      original.tasks
        .find((t) => t.code === code)
        ?.assignments.filter((a) => a.role === "lead")
        .map((a) => a.unitName);
    expect(back.find((t) => t.code === "10")?.units.lead.map((u) => u.match.label)).toEqual(leadsOf("10"));
    expect(back.find((t) => t.code === "22")?.units.responsible.map((u) => u.match.label)).toEqual([
      "各村(居)",
    ]);
    expect(back.find((t) => t.code === "10")?.deadlines.map((d) => d.phrase)).toEqual(["3月31日前"]);
  });

  it("lets the administrator add next year's holidays and 调休 days to the shared calendar; offices read it", async () => {
    const admin = await callerAs(f.db, "admin");
    const office = await callerAs(f.db, "office");
    await admin.calendar.upsert({
      days: [
        { date: "2027-02-08", kind: "holiday", name: "春节" },
        { date: "2027-02-20", kind: "workday", name: "春节调休" },
      ],
    });
    expect((await office.calendar.list({ year: 2027 })).map((d) => [d.date, d.kind, d.source])).toEqual([
      ["2027-02-08", "holiday", "office"],
      ["2027-02-20", "workday", "office"],
    ]);
    const parsed = await office.tasks.parseDeadline({ phrase: "2027年2月5日前", year: 2027 });
    expect(parsed.due).toBe("2027-02-05");
    // One office may not move every government's due dates.
    const byOffice = await outcome(office.calendar.delete({ dates: ["2027-02-20"] }));
    expect(byOffice.code).toBe("FORBIDDEN");
    expect(await admin.calendar.delete({ dates: ["2027-02-20"] })).toBe(1);
    const bad = await outcome(
      admin.calendar.upsert({ days: [{ date: "2027-02-30", kind: "holiday", name: "" }] }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    const unit = await callerAs(f.db, "dangzheng");
    expect(
      (await outcome(unit.calendar.upsert({ days: [{ date: "2027-01-01", kind: "holiday", name: "元旦" }] })))
        .code,
    ).toBe("FORBIDDEN");
    const [row] = await f.db.select().from(plans).where(eq(plans.id, f.ids.planId));
    expect(row?.title).toBe("关于徐泾镇2023年政务公开工作要点");
  });
});
