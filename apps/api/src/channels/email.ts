import nodemailer from "nodemailer";
import { DeliveryError, type Sender } from "./delivery.ts";
import { emailText } from "./render.ts";

export type SmtpConfig = {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string | undefined;
  pass?: string | undefined;
  /** The sender, e.g. `"徐泾镇政务公开办" <gongkai@xujing.gov.cn>`. */
  from: string;
};

/**
 * Email through the office's SMTP server (nodemailer; one pooled transport per process). An answer
 * the server gives (421 busy, 550 no such mailbox) is the message's error in the 发送记录; a 5xx
 * refusal of the address is final, anything else is tried again.
 */
export function emailSender(config: SmtpConfig, opts: { baseUrl: string }): Sender & { close(): void } {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: config.pass ?? "" } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const send = async (m: Parameters<Sender>[0]) => {
    if (!m.address) throw new DeliveryError("没有收件邮箱", true);
    const { subject, text } = emailText(m, opts.baseUrl);
    try {
      await transport.sendMail({ from: config.from, to: m.address, subject, text });
    } catch (e) {
      const err = e as { responseCode?: number; response?: string; code?: string; message: string };
      const detail = err.response ?? err.message;
      // 550/553: the mailbox does not exist or the address is refused — sending again cannot help.
      const final = err.responseCode !== undefined && [550, 553].includes(err.responseCode);
      throw new DeliveryError(`邮件服务器 ${config.host}:${err.code ? `${err.code} ` : ""}${detail}`, final);
    }
  };
  return Object.assign(send, { close: () => transport.close() });
}
