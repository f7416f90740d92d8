import type { OpenAPIObject } from "@gongkai/api";

type Json = Record<string, unknown>;

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A schema in one line: `integer`, `string | null`, `Task[]`, `"a" | "b"`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "—";
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop() ?? "";
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => esc(JSON.stringify(v))).join(" | ");
  if ("const" in schema) return esc(JSON.stringify(schema.const));
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) return union.map(typeOf).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items as Json)}[]`;
  if (schema.type === "object" && schema.properties) return "object";
  if (schema.type === "object" && schema.additionalProperties)
    return `{ [key]: ${typeOf(schema.additionalProperties as Json)} }`;
  return esc(Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any"));
}

/** An object's fields as rows; nested objects indented. */
function fields(schema: Json, depth = 0): string {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props)
    .map(([name, s]) => {
      const inner = s.type === "array" ? (s.items as Json) : s;
      const nested = inner?.type === "object" && inner.properties ? fields(inner, depth + 1) : "";
      return `<tr><td style="padding-left:${0.5 + depth * 1.5}em"><code>${esc(name)}</code>${
        required.has(name) ? "" : " <small>(可选)</small>"
      }</td><td>${typeOf(s)}</td><td>${esc(s.description ?? inner?.description ?? "")}</td></tr>${nested}`;
    })
    .join("");
}

const table = (rows: string) =>
  rows ? `<table><tr><th>字段</th><th>类型</th><th>说明</th></tr>${rows}</table>` : "";

/**
 * The document as a page a person reads: each operation with its parameters, body and answers,
 * then the schemas. Server-rendered, no scripts and nothing from elsewhere (government intranets
 * reach no CDN); the machine-readable form is /api/v1/openapi.json.
 */
export function referencePage(doc: OpenAPIObject): string {
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Json][]) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      const params = ((op.parameters ?? []) as Json[])
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? "" : ",可选"}</small></td><td>${typeOf(
              p.schema as Json,
            )}</td><td>${esc(p.description ?? (p.schema as Json)?.description ?? "")}</td></tr>`,
        )
        .join("");
      const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      const bodySchema = body?.["application/json"]?.schema as Json | undefined;
      const responses = Object.entries(op.responses as Record<string, Json>)
        .map(([status, r]) => {
          const schema = ((r.content as Record<string, Json> | undefined)?.["application/json"]?.schema ??
            undefined) as Json | undefined;
          return `<li><b>${esc(status)}</b> ${esc(r.description)}${schema ? `:${typeOf(schema)}` : ""}</li>`;
        })
        .join("");
      ops.push(`<section id="op-${esc(op.operationId)}">
<h3><span class="m">${esc(method.toUpperCase())}</span> <code>/api/v1${esc(path)}</code></h3>
<p>${esc(op.summary)} <small>operationId: <code>${esc(op.operationId)}</code></small></p>
${op.description ? `<p>${esc(op.description)}</p>` : ""}
${params ? `<h4>参数</h4><table><tr><th>名称</th><th>类型</th><th>说明</th></tr>${params}</table>` : ""}
${bodySchema ? `<h4>请求内容(JSON)</h4>${typeOf(bodySchema)}${bodySchema.properties ? table(fields(bodySchema)) : ""}` : ""}
<h4>返回</h4><ul>${responses}</ul></section>`);
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>)
    .map(
      ([name, s]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${s.description ? `<p>${esc(s.description)}</p>` : ""}${
          s.properties ? table(fields(s)) : `<p>${typeOf(s)}</p>`
        }</section>`,
    )
    .join("");
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:15px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1f1f1f}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}section{border-top:1px solid #eee;padding:.5em 0}.m{background:#1677ff;color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em}
code{background:#f6f6f6;padding:0 .2em}pre{background:#f6f6f6;padding:.75em;overflow:auto}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>机器可读的 OpenAPI 3.1 文档:<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>(可用于生成客户端)。</p>
<pre>curl -H "Authorization: Bearer gk_…" ${esc("/api/v1/plans")}</pre>
<h2>接口</h2>${ops.join("\n")}
<h2>数据结构</h2>${schemas}
</body></html>`;
}
