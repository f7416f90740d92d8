import { passwordPolicy } from "@gongkai/core/password-policy";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Typography } from "antd";
import { errorMessage, useTRPC } from "../lib/trpc.ts";

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** 修改密码: the current password, a new one (the policy shown before it is typed), typed twice. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: (me) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), me);
        form.resetFields();
        message.success("密码已修改;其他设备上的登录已退出。");
        onDone?.();
      },
    }),
  );
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword })}
      style={{ maxWidth: 420 }}
    >
      <Typography.Paragraph type="secondary" data-testid="password-policy">
        新密码至少 {passwordPolicy.minLength}{" "}
        位,包含大写字母、小写字母、数字、符号中的至少三类,不能包含用户名, 也不能是常用密码(如
        Admin@123456)。可以把两三个不相关的词与数字、符号组合起来,更好记也更安全。
      </Typography.Paragraph>
      {change.error && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(change.error)}
          style={{ marginBottom: 16 }}
          data-testid="password-error"
        />
      )}
      <Form.Item
        name="currentPassword"
        label="当前密码"
        rules={[{ required: true, message: "请输入当前密码" }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        rules={[
          { required: true, message: "请输入新密码" },
          { min: passwordPolicy.minLength, message: `至少 ${passwordPolicy.minLength} 位` },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="再次输入新密码"
        dependencies={["newPassword"]}
        rules={[
          { required: true, message: "请再次输入新密码" },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              !v || v === getFieldValue("newPassword")
                ? Promise.resolve()
                : Promise.reject(new Error("两次输入的新密码不一致")),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        修改密码
      </Button>
    </Form>
  );
}
