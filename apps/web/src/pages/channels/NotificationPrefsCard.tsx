import type { NotificationKind } from "@gongkai/core/channels";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Form, Input, Switch, Typography } from "antd";
import { isOffice, useMe } from "../../lib/session.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { kindOptions, unitKinds } from "./kinds.ts";

type PrefsForm = {
  email: string;
  emailKinds: NotificationKind[];
  phone: string;
  smsKinds: NotificationKind[];
  digest: boolean;
};

/** 通知方式: the user's email and mobile for notifications outside the app, which kinds by each, a daily digest. */
export function NotificationPrefsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const prefs = useQuery(trpc.channels.myPreferences.queryOptions());
  // 督办回复 reaches the office that issued the notice: a unit's contact is not offered it.
  const me = useMe();
  const options = isOffice(me.data) ? kindOptions() : unitKinds;
  const save = useMutation(
    trpc.channels.savePreferences.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.channels.myPreferences.queryKey(), saved);
        message.success("通知方式已保存");
      },
    }),
  );
  return (
    <Card title="通知方式" data-testid="notification-prefs">
      <Typography.Paragraph type="secondary">
        除系统内的消息外,您可以选择哪些通知同时发到邮箱或手机短信(短信在晚 22 点至早 8
        点之间不发送,留到早上)。 开启「每日汇总」后,当天的通知合并为一封邮件、一条短信,在每天早上发出。
      </Typography.Paragraph>
      {prefs.data && (
        <Form<PrefsForm>
          layout="vertical"
          style={{ maxWidth: 640 }}
          initialValues={{
            email: prefs.data.email ?? "",
            emailKinds: prefs.data.emailKinds,
            phone: prefs.data.phone ?? "",
            smsKinds: prefs.data.smsKinds,
            digest: prefs.data.digest,
          }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="email" label="接收通知的邮箱">
            <Input
              type="email"
              autoComplete="email"
              placeholder="例如 zhangsan@example.gov.cn"
              maxLength={200}
            />
          </Form.Item>
          <Form.Item name="emailKinds" label="发到邮箱的通知">
            <Checkbox.Group options={options} />
          </Form.Item>
          <Form.Item name="phone" label="接收短信的手机号码">
            <Input inputMode="tel" autoComplete="tel" placeholder="11 位手机号码" maxLength={13} />
          </Form.Item>
          <Form.Item name="smsKinds" label="发到手机短信的通知">
            <Checkbox.Group options={options} />
          </Form.Item>
          <Form.Item name="digest" label="每日汇总(每天一封邮件、一条短信)" valuePropName="checked">
            <Switch />
          </Form.Item>
          {save.error && (
            <Form.Item>
              <Alert type="error" showIcon title={errorMessage(save.error)} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            保存通知方式
          </Button>
        </Form>
      )}
    </Card>
  );
}
