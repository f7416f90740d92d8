/**
 * Notification channels end to end, against local stand-ins and the real libraries: the daily job
 * writes a due task's reminder, the outbox worker sends it by email (nodemailer to an `smtp-server`
 * started here) and to the unit's 企业微信 and 钉钉 group robots (a `node:http` server standing in
 * for qyapi.weixin.qq.com and oapi.dingtalk.com); an approved report reaches an office's webhook.
 * Bodies and signatures are checked against values computed here from the providers' documented
 * schemes. A channel that refuses for a while (HTTP 500, SMTP 421) delays messages and loses none,
 * with two workers at once too; a crashed worker's messages are retaken when its lease has passed.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { localDate } from "@gongkai/core";
import {
  type Actor,
  assignmentLights,
  type Db,
  loadCalendar,
  notify,
  reviewReport,
  runDailyJobs,
  saveReport,
  seedDemo,
  submitReport,
} from "@gongkai/db";
import { saveNotificationPreferences, saveRobot, saveWebhook } from "@gongkai/db/channels";
import { claimOutbox, completeOutbox, enqueueWebhookEvent } from "@gongkai/db/outbox";
import { notifications, outbox, unitGroups, units, users } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { and, eq, inArray, like } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Sender } from "../src/channels/delivery.ts";
import { dingtalkSender } from "../src/channels/dingtalk.ts";
import { emailSender } from "../src/channels/email.ts";
import { smsSender, tencentSms } from "../src/channels/sms.ts";
import { webhookSender } from "../src/channels/webhook.ts";
import { wecomSender } from "../src/channels/wecom.ts";
import { createOutboxWorker } from "../src/channels/worker.ts";

const baseUrl = "https://gongkai.example.gov.cn";
const wecomKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const dingtalkToken = "b9b4e0c5d0e1";
const dingtalkSecret = "SEC3c7fbd8c1e8e7a0d4b4f0bdf4c0f9f5e1e0a2c9f1b3d5e7f9a1c3e5f7b9d1f3a5";
const webhookSecret = "whsec-0123456789abcdef";

// ───────────────────────────── the stand-ins ─────────────────────────────

type Mail = { from: string; to: string[]; user: string | undefined; subject: string; text: string };
type Hit = { url: URL; rawQuery: string; headers: IncomingHttpHeaders; body: string };

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`), joined as bytes before decoding (a character may span two). */
function decodeWords(value: string): string {
  const parts: Buffer[] = [];
  let rest = value.trim();
  const word = /^=\?utf-8\?([bq])\?([^?]*)\?=\s*/i;
  while (rest) {
    const m = word.exec(rest);
    if (!m) {
      parts.push(Buffer.from(rest));
      break;
    }
    parts.push(
      m[1]?.toLowerCase() === "b"
        ? Buffer.from(m[2] ?? "", "base64")
        : quotedPrintable((m[2] ?? "").replace(/_/g, " ")),
    );
    rest = rest.slice(m[0].length);
  }
  return Buffer.concat(parts).toString("utf8");
}
function quotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i] ?? ""));
  }
  return Buffer.from(bytes);
}
/** A single-part text/plain message as nodemailer writes it: subject and text decoded. */
function readMail(raw: string) {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, "mi").exec(head)?.[1] ?? "";
  const body = raw.slice(split + 4);
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? quotedPrintable(body).toString("utf8")
        : body;
  return { subject: decodeWords(header("Subject")), text: text.replace(/\r\n/g, "\n").trimEnd() };
}

async function startSmtp() {
  const mails: Mail[] = [];
  const state = { refusing: false, refused: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === "gongkai" && auth.password === "smtp-pass")
        callback(null, { user: auth.username });
      else callback(new Error("535 认证失败"));
    },
    onMailFrom(_address, _session, callback) {
      if (!state.refusing) return callback();
      state.refused++;
      callback(
        Object.assign(new Error("4.3.2 Service not available, closing channel"), { responseCode: 421 }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const { subject, text } = readMail(Buffer.concat(chunks).toString("utf8"));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          subject,
          text,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  return { mails, state, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** One HTTP server for the 企业微信 and 钉钉 robots and a webhook receiver; refuses with 500 while told to. */
async function startHttp() {
  const hits: Hit[] = [];
  const state = { refusing: false, refused: 0, delayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = () => {
        if (state.refusing) {
          state.refused++;
          res.writeHead(500).end("Internal Server Error");
          return;
        }
        const url = new URL(req.url ?? "/", "http://stand-in");
        hits.push({
          url,
          rawQuery: (req.url ?? "").split("?")[1] ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        if (url.pathname.startsWith("/hook")) res.writeHead(204).end();
        else if (url.pathname.startsWith("/sms"))
          res
            .writeHead(200, { "content-type": "application/json" })
            .end('{"Response":{"SendStatusSet":[{"Code":"Ok","Message":"send success"}],"RequestId":"r"}}');
        else res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
      };
      if (state.delayMs) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    state,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ───────────────────────────── the tests ─────────────────────────────

describe.each(testDbKinds())("channels on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let http: Awaited<ReturnType<typeof startHttp>>;
  let senders: Record<"email" | "sms" | "wecom" | "dingtalk" | "webhook", Sender>;
  let closeEmail: () => void;
  let office: Actor;
  let unitUser: Actor;
  let dangzheng: { id: number; name: string };
  let year: number;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    await seedDemo(db, { activity: false });
    smtp = await startSmtp();
    http = await startHttp();
    const email = emailSender(
      {
        host: "127.0.0.1",
        port: smtp.port,
        secure: false,
        user: "gongkai",
        pass: "smtp-pass",
        from: '"徐泾镇政务公开办" <gongkai@xujing.example.gov.cn>',
      },
      { baseUrl },
    );
    closeEmail = email.close;
    senders = {
      email,
      wecom: wecomSender({ baseUrl }),
      dingtalk: dingtalkSender({ baseUrl }),
      webhook: webhookSender(),
      sms: smsSender(
        tencentSms({
          secretId: "AKIDtest",
          secretKey: "test-key",
          sdkAppId: "1400000001",
          signName: "徐泾镇人民政府",
          templateId: "2000001",
          region: "ap-guangzhou",
          endpoint: `${http.url}/sms`,
        }),
      ),
    };
    const userOf = async (username: string): Promise<Actor> => {
      const [u] = await db
        .select({ id: users.id, role: users.role, unitId: users.unitId, path: units.path })
        .from(users)
        .leftJoin(units, eq(units.id, users.unitId))
        .where(eq(users.username, username));
      if (!u) throw new Error(`no user ${username}`);
      return { userId: u.id, role: u.role, unitId: u.unitId, scopePath: u.path };
    };
    office = await userOf("office");
    unitUser = await userOf("dangzheng");
    const [unit] = await db.select().from(units).where(eq(units.name, "党政办公室"));
    if (!unit) throw new Error("党政办公室 missing");
    dangzheng = { id: unit.id, name: unit.name };
    const plan = await db.query.plans.findFirst();
    year = plan?.year ?? 2023;
  });
  afterEach(() => {
    smtp.state.refusing = false;
    http.state.refusing = false;
    http.state.delayMs = 0;
  });
  afterAll(async () => {
    closeEmail?.();
    await smtp?.close();
    await http?.close();
    await database?.drop();
  });

  /** Runs the worker (or several at once) until nothing is left to send, a minute of the clock per pass. */
  async function drain(clock: { now: Date }, workers = 1, opts: { perMinute?: number; batch?: number } = {}) {
    const list = Array.from({ length: workers }, (_, i) =>
      createOutboxWorker({
        db,
        senders,
        workerId: `test-worker-${i + 1}`,
        now: () => clock.now,
        log: () => {},
        ...(opts.batch ? { batch: opts.batch } : {}),
        ...(opts.perMinute
          ? {
              perMinute: {
                email: opts.perMinute,
                wecom: opts.perMinute,
                dingtalk: opts.perMinute,
                webhook: opts.perMinute,
              },
            }
          : {}),
      }),
    );
    for (let pass = 0; pass < 200; pass++) {
      await Promise.all(list.map((w) => w.runOnce()));
      const left = await db
        .select({ id: outbox.id })
        .from(outbox)
        .where(inArray(outbox.status, ["pending", "retrying", "sending"]));
      if (left.length === 0) return pass + 1;
      clock.now = new Date(clock.now.getTime() + 61_000);
    }
    throw new Error("the outbox never emptied");
  }

  /** The working day before the first due date of a task 党政办公室 leads: its reminder goes out that morning. */
  async function dayBeforeADueDate() {
    const calendar = await loadCalendar(db);
    const rows = await assignmentLights(db, {}, { today: `${year}-01-02`, calendar, dueSoonWorkingDays: 3 });
    const task = rows
      .filter((r) => r.unitId === dangzheng.id && r.role === "lead" && r.dueDate)
      .sort((a, b) => String(a.dueDate).localeCompare(String(b.dueDate)))[0];
    if (!task?.dueDate) throw new Error("no task of 党政办公室 with a due date");
    let day = new Date(`${task.dueDate}T00:30:00Z`); // 08:30 China time
    do day = new Date(day.getTime() - 86_400_000);
    while (!calendar.isWorkingDay(localDate(day)));
    return { task, day };
  }

  it("sends a task falling due by email and to the unit's 企业微信 and 钉钉 group robots, as documented", async () => {
    await saveNotificationPreferences(
      db,
      unitUser,
      {
        email: "dangzheng@xujing.example.gov.cn",
        emailKinds: ["task.dueSoon", "task.overdue", "report.returned"],
        phone: null,
        smsKinds: [],
        digest: false,
      },
      new Date(),
    );
    const [group] = await db.select().from(unitGroups).where(eq(unitGroups.name, "机关各科室"));
    if (!group) throw new Error("机关各科室 missing");
    await saveRobot(
      db,
      office,
      {
        provider: "wecom",
        name: "党政办工作群",
        url: `${http.url}/wecom/cgi-bin/webhook/send?key=${wecomKey}`,
        unitId: dangzheng.id,
        kinds: ["task.dueSoon", "task.overdue"],
        active: true,
      },
      new Date(),
    );
    await saveRobot(
      db,
      office,
      {
        provider: "dingtalk",
        name: "机关各科室钉钉群",
        url: `${http.url}/dingtalk/robot/send?access_token=${dingtalkToken}`,
        secret: dingtalkSecret,
        groupId: group.id,
        kinds: ["task.dueSoon"],
        active: true,
      },
      new Date(),
    );

    const { task, day } = await dayBeforeADueDate();
    const result = await runDailyJobs(db, day);
    expect(result?.reminders).toBeGreaterThanOrEqual(1);
    const written = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.unitId, dangzheng.id), like(notifications.kind, "task.%")));
    const dueSoon = written.filter((n) => n.kind === "task.dueSoon");
    expect(dueSoon.map((n) => n.link)).toContain(`/my-tasks?task=${task.taskId}`);
    // Nothing has left yet: the job only wrote the outbox.
    expect(smtp.mails).toEqual([]);
    expect(http.hits).toEqual([]);

    const clock = { now: new Date(day.getTime() + 5_000) };
    await drain(clock);

    // Email: one per reminder, to the address the user gave, through the authenticated SMTP session.
    const mails = smtp.mails.filter((m) => m.to.includes("dangzheng@xujing.example.gov.cn"));
    expect(mails.map((m) => m.subject).sort()).toEqual(written.map((n) => n.title).sort());
    for (const n of written) {
      const mail = mails.find((m) => m.subject === n.title);
      expect(mail?.from).toBe("gongkai@xujing.example.gov.cn");
      expect(mail?.user).toBe("gongkai");
      expect(mail?.text).toBe(
        `${n.body}\n\n打开任务:${baseUrl}${n.link}\n\n—— 政务公开工作平台(系统自动发送,请勿回复此邮件)`,
      );
    }

    // 企业微信: POST {"msgtype":"markdown","markdown":{"content":…}} to the robot's own address and key.
    const wecom = http.hits.filter((h) => h.url.pathname === "/wecom/cgi-bin/webhook/send");
    expect(wecom).toHaveLength(written.length);
    for (const n of written) {
      const expected = {
        msgtype: "markdown",
        markdown: {
          content: `**【党政办公室】${n.title}**\n> ${n.body}\n[打开任务](${baseUrl}${n.link})\n政务公开工作平台`,
        },
      };
      const hit = wecom.find((h) => JSON.parse(h.body).markdown.content.includes(n.title));
      expect(hit?.url.searchParams.get("key")).toBe(wecomKey);
      expect(hit?.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(hit?.body ?? "{}")).toEqual(expected);
    }

    // 钉钉: the group robot of 机关各科室 gets every member's due-soon reminder (党政办公室's among them),
    // each signed: sign = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))).
    const dingtalk = http.hits.filter((h) => h.url.pathname === "/dingtalk/robot/send");
    const memberReminders = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.kind, "task.dueSoon"),
          inArray(
            notifications.unitId,
            (await db.query.unitGroupMembers.findMany({ where: (m, { eq }) => eq(m.groupId, group.id) })).map(
              (m) => m.unitId,
            ),
          ),
        ),
      );
    expect(dingtalk).toHaveLength(memberReminders.length);
    for (const hit of dingtalk) {
      expect(hit.url.searchParams.get("access_token")).toBe(dingtalkToken);
      const timestamp = hit.url.searchParams.get("timestamp") ?? "";
      expect(Number(timestamp)).toBeGreaterThanOrEqual(day.getTime());
      expect(Number(timestamp)).toBeLessThanOrEqual(clock.now.getTime());
      const sign = createHmac("sha256", dingtalkSecret)
        .update(`${timestamp}\n${dingtalkSecret}`)
        .digest("base64");
      expect(hit.rawQuery).toBe(
        `access_token=${dingtalkToken}&timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`,
      );
      const body = JSON.parse(hit.body);
      expect(body.msgtype).toBe("markdown");
      expect(body.markdown.text.startsWith(`**${body.markdown.title}**\n`)).toBe(true);
    }
    for (const n of dueSoon) {
      const hit = dingtalk.find((h) => JSON.parse(h.body).markdown.title === `【党政办公室】${n.title}`);
      expect(JSON.parse(hit?.body ?? "{}").markdown.text).toBe(
        `**【党政办公室】${n.title}**\n> ${n.body}\n[打开任务](${baseUrl}${n.link})\n政务公开工作平台`,
      );
    }
    const rows = await db.select().from(outbox);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("loses nothing while a channel is down: every message arrives once after the outage", async () => {
    smtp.mails.length = 0;
    http.hits.length = 0;
    smtp.state.refusing = true;
    http.state.refusing = true;
    const at = new Date(`${year}-09-01T01:00:00Z`);
    const titles = Array.from({ length: 6 }, (_, i) => `停机演练 ${i + 1}:任务已逾期`);
    await db.transaction(async (tx) => {
      for (const [i, title] of titles.entries())
        await notify(
          tx,
          {
            unitId: dangzheng.id,
            kind: "task.overdue",
            title,
            body: "请尽快报送。",
            link: `/my-tasks?task=${i + 1}`,
          },
          at,
        );
    });
    const clock = { now: at };
    // Two passes while down: every message tried and refused, none lost, the error kept for the office.
    const worker = createOutboxWorker({ db, senders, now: () => clock.now, log: () => {} });
    await worker.runOnce();
    clock.now = new Date(at.getTime() + 31_000);
    await worker.runOnce();
    const down = await db.select().from(outbox).where(eq(outbox.createdAt, at));
    expect(down).toHaveLength(titles.length * 2); // email and the 企业微信 robot
    for (const r of down) {
      expect(r.status).toBe("retrying");
      expect(r.attempts).toBe(2);
      expect(r.nextAttemptAt.getTime()).toBe(clock.now.getTime() + 60_000); // 30 s, then 60 s
    }
    expect(down.find((r) => r.channel === "email")?.lastError).toMatch(/421/);
    expect(down.find((r) => r.channel === "wecom")?.lastError).toMatch(/HTTP 500/);
    expect(smtp.state.refused).toBeGreaterThan(0);
    expect(http.state.refused).toBeGreaterThan(0);

    // Back up: two workers at once deliver the rest, each message once.
    smtp.state.refusing = false;
    http.state.refusing = false;
    http.state.delayMs = 20;
    await drain(clock, 2, { batch: 2 });
    expect(smtp.mails.map((m) => m.subject).sort()).toEqual([...titles].sort());
    const wecom = http.hits.filter((h) => h.url.pathname.startsWith("/wecom"));
    expect(wecom.map((h) => JSON.parse(h.body).markdown.content.split("\n")[0]).sort()).toEqual(
      titles.map((t) => `**【党政办公室】${t}**`).sort(),
    );
    const after = await db.select().from(outbox).where(eq(outbox.createdAt, at));
    expect(after.every((r) => r.status === "sent" && r.attempts === 3)).toBe(true);
  });

  it("sends each of many messages once with two workers claiming at the same time", async () => {
    smtp.mails.length = 0;
    http.hits.length = 0;
    http.state.delayMs = 5;
    const at = new Date(`${year}-09-02T01:00:00Z`);
    const titles = Array.from({ length: 40 }, (_, i) => `并发 ${i + 1}`);
    await db.transaction(async (tx) => {
      for (const title of titles)
        await notify(tx, { unitId: dangzheng.id, kind: "task.overdue", title, link: "/my-tasks" }, at);
    });
    await drain({ now: at }, 2, { batch: 3, perMinute: 1000 });
    const subjects = smtp.mails.map((m) => m.subject);
    expect(subjects.sort()).toEqual([...titles].sort());
    const robot = http.hits.map((h) => JSON.parse(h.body).markdown.content.split("\n")[0]);
    expect(robot.sort()).toEqual(titles.map((t) => `**【党政办公室】${t}**`).sort());
    const rows = await db.select().from(outbox).where(eq(outbox.createdAt, at));
    expect(new Set(rows.map((r) => r.lockedBy))).toEqual(new Set([null]));
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("keeps to a channel's rate across workers, and retakes a crashed worker's messages after its lease", async () => {
    http.hits.length = 0;
    smtp.mails.length = 0;
    const at = new Date(`${year}-09-03T01:00:00Z`);
    await db.transaction(async (tx) => {
      for (let i = 0; i < 5; i++)
        await notify(tx, { unitId: dangzheng.id, kind: "task.overdue", title: `限速 ${i + 1}` }, at);
    });
    // 3 a minute: two workers together send 3, the rest the next minute.
    const workers = [1, 2].map((i) =>
      createOutboxWorker({
        db,
        senders,
        workerId: `rate-${i}`,
        now: () => at,
        perMinute: { wecom: 3, email: 3 },
        log: () => {},
      }),
    );
    await Promise.all(workers.map((w) => w.runOnce()));
    expect(http.hits).toHaveLength(3);
    expect(smtp.mails).toHaveLength(3);

    // A worker claims the other two and dies: nobody else takes them until its lease has passed.
    const later = new Date(at.getTime() + 61_000);
    const claimed = await claimOutbox(db, {
      channel: "wecom",
      workerId: "crashed",
      now: later,
      leaseMs: 5 * 60_000,
      limit: 10,
      perMinute: 10,
    });
    expect(claimed).toHaveLength(2);
    const survivor = createOutboxWorker({ db, senders, now: () => later, log: () => {} });
    await survivor.runOnce();
    expect(http.hits).toHaveLength(3);
    const afterLease = new Date(later.getTime() + 5 * 60_000 + 1_000);
    await createOutboxWorker({ db, senders, now: () => afterLease, log: () => {} }).runOnce();
    expect(http.hits).toHaveLength(5);
    // The crashed worker's late word changes nothing.
    expect(await completeOutbox(db, claimed[0]?.id ?? 0, "crashed", afterLease)).toBe(false);
    expect(smtp.mails).toHaveLength(5);
  });

  it("posts a submitted and an approved report to the office's webhook, signed over timestamp.body", async () => {
    http.hits.length = 0;
    const plan = await db.query.plans.findFirst();
    if (!plan) throw new Error("no plan");
    await saveWebhook(
      db,
      office,
      {
        name: "省政务公开平台",
        url: `${http.url}/hook/gongkai?source=xujing`,
        secret: webhookSecret,
        planId: plan.id,
        events: ["report.submitted", "report.approved"],
        active: true,
      },
      new Date(),
    );
    const { task } = await dayBeforeADueDate();
    const at = new Date(`${year}-03-20T02:00:00Z`);
    const draft = await saveReport(
      db,
      unitUser,
      dangzheng.id,
      {
        taskId: task.taskId,
        period: `${year}-Q1`,
        status: "inProgress",
        percent: 60,
        summary: "已梳理保密审查制度,正在组织培训。",
        evidence: { links: [], fileIds: [] },
      },
      at,
    );
    const submitted = await submitReport(
      db,
      unitUser,
      dangzheng.id,
      { reportId: draft.id, version: draft.version, submissionKey: "channels-test-submit-1" },
      at,
    );
    const reviewedAt = new Date(at.getTime() + 3_600_000);
    await reviewReport(
      db,
      office,
      { reportId: submitted.id, revision: submitted.revision, decision: "approve" },
      reviewedAt,
    );
    const clock = { now: new Date(reviewedAt.getTime() + 1_000) };
    await drain(clock);

    const hooks = http.hits.filter((h) => h.url.pathname === "/hook/gongkai");
    expect(hooks.map((h) => h.headers["x-gongkai-event"])).toEqual(["report.submitted", "report.approved"]);
    for (const hit of hooks) {
      const timestamp = String(hit.headers["x-gongkai-timestamp"]);
      const expected = createHmac("sha256", webhookSecret).update(`${timestamp}.${hit.body}`).digest("hex");
      expect(hit.headers["x-gongkai-signature"]).toBe(`sha256=${expected}`);
      expect(Number(timestamp)).toBe(Math.floor(clock.now.getTime() / 1000));
      expect(hit.url.searchParams.get("source")).toBe("xujing");
      expect(hit.headers["content-type"]).toBe("application/json; charset=utf-8");
      const body = JSON.parse(hit.body);
      expect(hit.headers["x-gongkai-event-id"]).toBe(body.id);
      expect(body.event).toBe(hit.headers["x-gongkai-event"]);
    }
    const approved = JSON.parse(hooks[1]?.body ?? "{}");
    expect(approved).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event: "report.approved",
      occurredAt: reviewedAt.toISOString(),
      data: {
        planId: plan.id,
        planTitle: plan.title,
        taskId: task.taskId,
        taskCode: task.code,
        taskTitle: task.title,
        unitId: dangzheng.id,
        unitName: "党政办公室",
        reportId: submitted.id,
        period: `${year}-Q1`,
        revision: 1,
        state: "approved",
        status: "inProgress",
        percent: 60,
        reason: null,
      },
    });
    expect(JSON.parse(hooks[0]?.body ?? "{}").data.state).toBe("submitted");
    // A tampered body would not verify.
    const hit = hooks[1];
    const forged = createHmac("sha256", webhookSecret)
      .update(`${hit?.headers["x-gongkai-timestamp"]}.${hit?.body.replace("approved", "returned")}`)
      .digest("hex");
    expect(hit?.headers["x-gongkai-signature"]).not.toBe(`sha256=${forged}`);

    // A webhook for every plan gets results published (they belong to no plan) and overdue tasks;
    // the plan's own webhook gets neither (it did not subscribe to them).
    http.hits.length = 0;
    await saveWebhook(
      db,
      office,
      {
        name: "市政务公开大屏",
        url: `${http.url}/hook/screen`,
        secret: `${webhookSecret}-screen`,
        planId: null,
        events: ["results.published", "task.overdue"],
        active: true,
      },
      new Date(),
    );
    const at2 = new Date(reviewedAt.getTime() + 3_600_000);
    await db.transaction(async (tx) => {
      await enqueueWebhookEvent(tx, {
        event: "results.published",
        planId: null,
        ownerUnitId: plan.issuerUnitId ?? 0,
        data: { kind: "assessment", schemeId: 1, version: 1 },
        now: at2,
      });
      await enqueueWebhookEvent(tx, {
        event: "task.overdue",
        planId: plan.id,
        ownerUnitId: plan.issuerUnitId ?? 0,
        data: { taskId: task.taskId, unitId: dangzheng.id, dueDate: task.dueDate },
        now: at2,
      });
    });
    clock.now = new Date(at2.getTime() + 1_000);
    await drain(clock);
    expect(http.hits.map((h) => [h.url.pathname, h.headers["x-gongkai-event"]])).toEqual([
      ["/hook/screen", "results.published"],
      ["/hook/screen", "task.overdue"],
    ]);
    for (const h of http.hits) {
      const ts = String(h.headers["x-gongkai-timestamp"]);
      const sig = createHmac("sha256", `${webhookSecret}-screen`).update(`${ts}.${h.body}`).digest("hex");
      expect(h.headers["x-gongkai-signature"]).toBe(`sha256=${sig}`);
    }
    expect(JSON.parse(http.hits[0]?.body ?? "{}")).toMatchObject({
      event: "results.published",
      occurredAt: at2.toISOString(),
      data: { kind: "assessment", schemeId: 1, version: 1 },
    });
  });
  it("holds SMS at night until 08:00 China time, and gives a digest reader one message a day", async () => {
    http.hits.length = 0;
    smtp.mails.length = 0;
    const contact = async (username: string) => {
      const [u] = await db
        .select({ id: users.id, unitId: users.unitId })
        .from(users)
        .where(eq(users.username, username));
      if (!u?.unitId) throw new Error(`no ${username}`);
      return {
        actor: { userId: u.id, role: "unit" as const, unitId: u.unitId, scopePath: null },
        unitId: u.unitId,
      };
    };
    const night = await contact("dangzheng");
    await saveNotificationPreferences(
      db,
      night.actor,
      { email: null, emailKinds: [], phone: "13900139000", smsKinds: ["notice.issued"], digest: false },
      new Date(),
    );
    const digest = await contact("qianming");
    await saveNotificationPreferences(
      db,
      digest.actor,
      {
        email: "qianming@xujing.example.gov.cn",
        emailKinds: ["notice.issued"],
        phone: "13700137000",
        smsKinds: ["notice.issued"],
        digest: true,
      },
      new Date(),
    );
    // 23:00 China time: a notice to each.
    const late = new Date(`${year}-10-09T15:00:00Z`);
    await db.transaction(async (tx) => {
      await notify(tx, { unitId: night.unitId, kind: "notice.issued", title: "【督办】夜间的通知" }, late);
      for (const n of [1, 2, 3])
        await notify(tx, { unitId: digest.unitId, kind: "notice.issued", title: `【提醒】第 ${n} 条` }, late);
    });
    const clock = { now: new Date(late.getTime() + 30 * 60_000) };
    const worker = createOutboxWorker({ db, senders, now: () => clock.now, log: () => {} });
    await worker.runOnce();
    expect(http.hits.filter((h) => h.url.pathname === "/sms")).toEqual([]);
    expect(smtp.mails).toEqual([]);
    const [waiting] = await db.select().from(outbox).where(eq(outbox.title, "【督办】夜间的通知"));
    expect(waiting?.nextAttemptAt.toISOString()).toBe(`${year}-10-10T00:00:00.000Z`); // 08:00 China time
    expect(
      (await db.select().from(outbox).where(eq(outbox.userId, digest.actor.userId))).map((r) => r.status),
    ).toEqual(["held", "held", "held", "held", "held", "held"]);

    // The morning's daily job turns the held messages into one email and one SMS.
    const morning = new Date(`${year}-10-10T00:05:00Z`);
    const result = await runDailyJobs(db, morning);
    expect(result?.digests).toBe(2);
    clock.now = new Date(morning.getTime() + 1_000);
    await drain(clock);
    const sms = http.hits.filter((h) => h.url.pathname === "/sms").map((h) => JSON.parse(h.body));
    expect(sms.map((b) => [b.PhoneNumberSet, b.TemplateParamSet])).toEqual(
      expect.arrayContaining([
        [["+8613900139000"], ["收到督办通知", "【督办】夜间的通知"]],
        [["+8613700137000"], ["今日汇总", "3条消息"]],
      ]),
    );
    expect(sms.filter((b) => b.PhoneNumberSet[0] === "+8613700137000")).toHaveLength(1);
    const mails = smtp.mails.filter((m) => m.to.includes("qianming@xujing.example.gov.cn"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`政务公开工作每日汇总(${year}-10-10):3 条消息`);
    for (const n of [1, 2, 3])
      expect(mails[0]?.text).toContain(`${n}. 【提醒】第 ${n} 条(${year}-10-09 23:00)`);
    const held = await db.select().from(outbox).where(eq(outbox.userId, digest.actor.userId));
    expect(held.filter((r) => r.status === "digested")).toHaveLength(6);
    expect(held.filter((r) => r.kind === "digest").map((r) => r.status)).toEqual(["sent", "sent"]);
  });
});
