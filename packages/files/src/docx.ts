/**
 * .docx → text with mammoth. The document goes through mammoth's HTML (not its raw text) so that
 * tables keep their shape: each table row becomes one line of tab-separated cells, which the
 * parser reads as a task table; an empty cell stays an empty cell (./html.ts, as for web pages).
 */
import mammoth from "mammoth";
import { htmlToText } from "./html.ts";

export async function docxToText(bytes: Uint8Array): Promise<string> {
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
  );
  return htmlToText(result.value);
}
