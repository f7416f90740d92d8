import { Duplex } from "node:stream";
import { constants, createBrotliCompress, createGzip } from "node:zlib";
import type { MiddlewareHandler } from "hono";

/** Types worth compressing: text, JSON, JavaScript, XML, SVG. Not images, PDF or .docx/.xlsx (zips). */
const compressibleType =
  /^\s*(?:text\/(?!event-stream)[^;\s]+|application\/(?:json|javascript|ecmascript|xml|manifest\+json|x-javascript)|image\/svg\+xml|[^;\s]+\+(?:json|xml))(?:[;\s]|$)/i;
const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

export type Encoding = "br" | "gzip";

/**
 * The encoding to answer with, from the request's Accept-Encoding: the one with the highest q,
 * brotli on a tie; `q=0` refuses one; `*` stands for those not named. None: undefined.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const of = (e: Encoding) => q.get(e) ?? q.get("*") ?? 0;
  const br = of("br");
  const gzip = of("gzip");
  if (br <= 0 && gzip <= 0) return undefined;
  return br >= gzip ? "br" : "gzip";
}

function compressor(encoding: Encoding, sizeHint: number | null) {
  const stream =
    encoding === "br"
      ? createBrotliCompress({
          params: {
            // Quality 5: most of brotli's gain over gzip at gzip's speed; 11 is for the build.
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            ...(sizeHint ? { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint } : {}),
          },
        })
      : createGzip({ level: 6 });
  return Duplex.toWeb(stream) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
}

/**
 * Compresses what the server writes as it answers (tRPC's JSON, the dashboard's index.html, the
 * public CSV and JSON downloads) with brotli or gzip, as the client accepts. Left as they are:
 * bodies under `threshold` bytes (a body of unknown length is read that far before deciding),
 * responses already encoded (the build's precompressed files), types that are compressed already
 * (images, PDF, .docx/.xlsx), `Cache-Control: no-transform`, HEAD, 206, and every path under one of
 * `skip` (evidence files at /api/files are sent as stored, with ranges).
 * Hono's compress() cannot do this on Node 20: its CompressionStream has no brotli.
 */
export function compression(opts: { threshold?: number; skip?: string[] } = {}): MiddlewareHandler {
  const threshold = opts.threshold ?? 1024;
  const skip = opts.skip ?? [];
  return async (c, next) => {
    await next();
    const res = c.res;
    if (
      c.req.method === "HEAD" ||
      !res.body ||
      res.status === 204 ||
      res.status === 206 ||
      res.status === 304 ||
      res.headers.has("Content-Encoding") ||
      !compressibleType.test(res.headers.get("Content-Type") ?? "") ||
      noTransform.test(res.headers.get("Cache-Control") ?? "") ||
      skip.some((prefix) => c.req.path === prefix || c.req.path.startsWith(`${prefix}/`))
    )
      return;
    // A cache must keep the encoded and the plain answer apart, whichever this client gets.
    const vary = res.headers.get("Vary");
    if (vary !== "*" && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ""))
      res.headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    const encoding = chooseEncoding(c.req.header("Accept-Encoding"));
    if (!encoding) return;
    const declared = res.headers.get("Content-Length");
    let body: ReadableStream<Uint8Array> = res.body;
    let size = declared === null ? null : Number(declared);
    if (size !== null && size < threshold) return;
    if (size === null) {
      // Unknown length (tRPC, c.html): read up to the threshold, then decide.
      const reader = res.body.getReader();
      const head: Uint8Array[] = [];
      let read = 0;
      let ended = false;
      while (read < threshold) {
        const chunk = await reader.read();
        if (chunk.done) {
          ended = true;
          break;
        }
        head.push(chunk.value);
        read += chunk.value.byteLength;
      }
      body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of head) controller.enqueue(chunk);
          if (ended) controller.close();
        },
        async pull(controller) {
          const chunk = await reader.read();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      if (ended) {
        size = read;
        if (read < threshold) {
          c.res = new Response(body, res);
          return;
        }
      }
    }
    // Headers after the assignment: Hono copies the previous response's headers onto the new one.
    c.res = new Response(body.pipeThrough(compressor(encoding, size)), res);
    c.res.headers.delete("Content-Length");
    c.res.headers.set("Content-Encoding", encoding);
    // The encoded bytes differ from the plain ones: a strong validator becomes a weak one.
    const etag = c.res.headers.get("ETag");
    if (etag && !etag.startsWith("W/")) c.res.headers.set("ETag", `W/${etag}`);
  };
}
