import { readFileSync } from "node:fs";
import { parsePlanDocument } from "/work/main/packages/core/src/index.ts";

const r = parsePlanDocument(readFileSync(process.argv[2]!, "utf8"));
for (const p of r.plans) {
  console.log(p.title, p.year, p.docNumber, p.tasks.length);
  for (const t of p.tasks.slice(0, Number(process.argv[3] ?? 50)))
    console.log(
      "  ",
      t.code,
      "|",
      t.title.slice(0, 40),
      "|",
      t.lead,
      t.cooperating,
      t.responsible,
      t.deadlines.map((d) => d.rule.kind + ":" + (d.due ?? "")).join(","),
    );
}
console.log(r.warnings);
