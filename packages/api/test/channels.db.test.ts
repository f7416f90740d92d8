import { notify } from "@gongkai/db";
import { outbox, robotChannels, unitGroups } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, fixedNow, isChinese, outcome } from "./harness.ts";

/**
 * The channels router through real sessions: one's own 通知方式, the office's group robots and
 * webhooks (secrets written, never read back), the 发送记录 of its own government only.
 */
describe.each(testDbKinds())("notification channels on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("savePreferences / myPreferences: a unit's contact sets an email and the kinds it takes", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    expect(await unit.channels.myPreferences()).toEqual({
      email: null,
      emailKinds: [],
      phone: null,
      smsKinds: [],
      digest: false,
    });
    await unit.channels.savePreferences({
      email: " lianluoyuan@xujing.example.gov.cn ",
      emailKinds: ["task.dueSoon", "task.overdue"],
      phone: "138-0013-8000",
      smsKinds: ["task.overdue"],
      digest: true,
    });
    expect(await unit.channels.myPreferences()).toEqual({
      email: "lianluoyuan@xujing.example.gov.cn",
      emailKinds: ["task.dueSoon", "task.overdue"],
      phone: "13800138000",
      smsKinds: ["task.overdue"],
      digest: true,
    });
    // Someone else's account is untouched.
    expect((await (await callerAs(f.db, "qianming")).channels.myPreferences()).email).toBeNull();
  });

  it("savePreferences: refuses a bad address, a bad number, and kinds without an address, in Chinese", async () => {
    const unit = await callerAs(f.db, "qianming");
    const badEmail = await outcome(
      unit.channels.savePreferences({ email: "not-an-address", emailKinds: [], smsKinds: [] }),
    );
    expect(badEmail.code).toBe("BAD_REQUEST");
    expect(badEmail.message).toContain("邮箱");
    const badPhone = await outcome(
      unit.channels.savePreferences({ phone: "12345", emailKinds: [], smsKinds: [] }),
    );
    expect(badPhone.message).toContain("11 位手机号码");
    const noAddress = await outcome(
      unit.channels.savePreferences({ email: "", emailKinds: ["task.overdue"], smsKinds: [] }),
    );
    expect(noAddress.code).toBe("BAD_REQUEST");
    expect(isChinese(noAddress.message)).toBe(true);
  });

  it("saveRobot / robots: the office sets a robot whose key and secret never come back", async () => {
    const office = await callerAs(f.db, "office");
    const key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    const { id } = await office.channels.saveRobot({
      provider: "dingtalk",
      name: "各村(居)工作群",
      url: `https://oapi.dingtalk.com/robot/send?access_token=${key}`,
      secret: "SECabcdef0123456789",
      groupId: (await f.db.select().from(unitGroups).where(eq(unitGroups.name, "各村(居)")))[0]?.id ?? 0,
      kinds: ["task.dueSoon", "notice.issued"],
    });
    const listed = await office.channels.robots();
    const robot = listed.find((r) => r.id === id);
    expect(robot).toMatchObject({
      provider: "dingtalk",
      name: "各村(居)工作群",
      urlMasked: "https://oapi.dingtalk.com/robot/send?access_token=…5aaa",
      secretSet: true,
      targetName: "各村(居)",
      kinds: ["task.dueSoon", "notice.issued"],
      active: true,
    });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(JSON.stringify(listed)).not.toContain("SECabcdef");
    // A change with the URL and secret left blank keeps both.
    await office.channels.saveRobot({
      id,
      provider: "dingtalk",
      name: "各村(居)联络员群",
      url: "",
      secret: "",
      groupId: robot?.groupId ?? 0,
      kinds: ["task.overdue"],
    });
    const [row] = await f.db.select().from(robotChannels).where(eq(robotChannels.id, id));
    expect(row).toMatchObject({
      name: "各村(居)联络员群",
      url: `https://oapi.dingtalk.com/robot/send?access_token=${key}`,
      secret: "SECabcdef0123456789",
    });
    // Another town's office neither sees nor changes it, nor points a robot at this town's units.
    const other = await callerAs(f.db, "baihe-office");
    expect(await other.channels.robots()).toEqual([]);
    expect(
      (
        await outcome(
          other.channels.saveRobot({
            id,
            provider: "dingtalk",
            name: "x",
            unitId: f.ids.otherDept,
            kinds: ["task.overdue"],
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    const outside = await outcome(
      other.channels.saveRobot({
        provider: "wecom",
        name: "x",
        url: "https://qyapi.weixin.qq.com/x?key=1",
        unitId: f.ids.dangzheng,
        kinds: ["task.overdue"],
      }),
    );
    expect(outside.code).toBe("BAD_REQUEST");
    expect(outside.message).toContain("管理范围");
    await office.channels.deleteRobot({ id });
    expect(await office.channels.robots()).toEqual([]);
  });

  it("saveRobot: a new robot needs its address, one target, and a kind", async () => {
    const office = await callerAs(f.db, "office");
    expect(
      (
        await outcome(
          office.channels.saveRobot({
            provider: "wecom",
            name: "群",
            unitId: f.ids.dangzheng,
            kinds: ["task.overdue"],
          }),
        )
      ).message,
    ).toContain("Webhook 地址");
    expect(
      (
        await outcome(
          office.channels.saveRobot({
            provider: "wecom",
            name: "群",
            url: "ftp://x",
            unitId: f.ids.dangzheng,
            kinds: ["task.overdue"],
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (
        await outcome(
          office.channels.saveRobot({
            provider: "wecom",
            name: "群",
            url: "https://qyapi.weixin.qq.com/x?key=1",
            kinds: ["task.overdue"],
          }),
        )
      ).message,
    ).toContain("请选择一个单位或一个单位分组");
    expect(
      (
        await outcome(
          office.channels.saveRobot({
            provider: "wecom",
            name: "群",
            url: "https://qyapi.weixin.qq.com/x?key=1",
            unitId: f.ids.dangzheng,
            kinds: [],
          }),
        )
      ).message,
    ).toContain("至少选择一类");
  });

  it("saveWebhook / webhooks / deleteWebhook: registered for a plan, the secret write-only", async () => {
    const office = await callerAs(f.db, "office");
    const { id } = await office.channels.saveWebhook({
      name: "省政务公开平台",
      url: "https://open.example.gov.cn/gongkai/events?token=abcdef123456",
      secret: "0123456789abcdef0123",
      planId: f.ids.planId,
      events: ["report.submitted", "report.approved"],
    });
    const [hook] = await office.channels.webhooks();
    expect(hook).toMatchObject({
      id,
      urlMasked: "https://open.example.gov.cn/gongkai/events?token=…3456",
      secretSet: true,
      planId: f.ids.planId,
      events: ["report.submitted", "report.approved"],
    });
    expect(JSON.stringify(hook)).not.toContain("0123456789abcdef0123");
    const short = await outcome(
      office.channels.saveWebhook({
        name: "x",
        url: "https://a.example.cn/h",
        secret: "short",
        events: ["task.overdue"],
      }),
    );
    expect(short.message).toContain("至少 16 个字符");
    const otherPlan = await outcome(
      (await callerAs(f.db, "baihe-office")).channels.saveWebhook({
        name: "x",
        url: "https://a.example.cn/h",
        secret: "0123456789abcdef0123",
        planId: f.ids.planId,
        events: ["task.overdue"],
      }),
    );
    expect(otherPlan.code).toBe("NOT_FOUND");
    await office.channels.deleteWebhook({ id });
    expect(await office.channels.webhooks()).toEqual([]);
  });

  it("deliveries / retryDelivery: the office sees its own government's messages, filters by status and sends a failed one again", async () => {
    await f.db.transaction(async (tx) => {
      await notify(tx, { unitId: f.ids.dangzheng, kind: "task.overdue", title: "发送记录:徐泾" }, fixedNow);
      await notify(tx, { unitId: f.ids.otherDept, kind: "task.overdue", title: "发送记录:白鹤" }, fixedNow);
    });
    // dangzheng's contact takes task.overdue by email and SMS (first case): both rows are held for the digest.
    const all = await f.db.select().from(outbox);
    const ours = all.filter((r) => r.title === "发送记录:徐泾");
    expect(ours.map((r) => [r.channel, r.status]).sort()).toEqual([
      ["email", "held"],
      ["sms", "held"],
    ]);
    const [failed] = await f.db
      .update(outbox)
      .set({ status: "failed", attempts: 10, lastError: "邮件服务器 127.0.0.1:421 Service not available" })
      .where(eq(outbox.id, ours[0]?.id ?? 0))
      .returning();
    const office = await callerAs(f.db, "office");
    const list = await office.channels.deliveries({});
    expect(list.items.map((i) => i.title)).toContain("发送记录:徐泾");
    expect(list.items.map((i) => i.title)).not.toContain("发送记录:白鹤");
    expect(list.counts.failed).toBe(1);
    const onlyFailed = await office.channels.deliveries({ status: "failed" });
    expect(onlyFailed.items).toEqual([
      expect.objectContaining({
        id: failed?.id,
        status: "failed",
        lastError: "邮件服务器 127.0.0.1:421 Service not available",
        recipient: expect.stringContaining("lianluoyuan@xujing.example.gov.cn"),
        channelLabel: "邮件",
      }),
    ]);
    // The other town's office cannot send it again; this one can.
    const other = await callerAs(f.db, "baihe-office");
    expect((await other.channels.deliveries({})).items.map((i) => i.title)).toEqual([]);
    expect((await outcome(other.channels.retryDelivery({ id: failed?.id ?? 0 }))).code).toBe("NOT_FOUND");
    await office.channels.retryDelivery({ id: failed?.id ?? 0 });
    const [again] = await f.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, failed?.id ?? 0));
    expect(again).toMatchObject({ status: "pending", attempts: 0 });
    expect((await outcome(office.channels.retryDelivery({ id: failed?.id ?? 0 }))).message).toContain(
      "只有发送失败",
    );
  });
});
