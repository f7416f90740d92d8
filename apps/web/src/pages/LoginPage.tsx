import { LockOutlined, SafetyOutlined, UserOutlined } from "@ant-design/icons";
import { roleLabels } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { errorMessage, useTRPC } from "../lib/trpc.ts";

type Values = { username: string; password: string; otp?: string };

/** Did the server ask for the second factor (the password was right)? */
const needsOtp = (e: unknown) =>
  e instanceof TRPCClientError &&
  (e.data as { details?: { needsOtp?: boolean } } | undefined)?.details?.needsOtp === true;

export function LoginPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [askOtp, setAskOtp] = useState(false);
  const info = useQuery(
    trpc.auth.signInInfo.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        navigate("/");
      },
      onError: (e) => {
        if (needsOtp(e)) setAskOtp(true);
      },
    }),
  );
  const demo = info.data?.demoAccounts ?? [];
  return (
    <div
      style={{
        minHeight: "100vh",
        display: "grid",
        placeItems: "center",
        padding: 16,
        background: "linear-gradient(160deg, #b7242a 0%, #7a1519 45%, #f4f5f7 45%)",
      }}
    >
      <Card style={{ width: "100%", maxWidth: 400, boxShadow: "0 8px 24px rgba(0,0,0,.12)" }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginBottom: 4 }}>
          政务公开工作平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          工作要点 · 任务分工 · 进展督办 · 考核评估
        </Typography.Paragraph>
        {signIn.error && (
          <Alert
            type="error"
            showIcon
            title={errorMessage(signIn.error)}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => signIn.mutate({ ...v, otp: v.otp?.trim() || undefined })}
          requiredMark={false}
        >
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {askOtp && (
            <Form.Item
              name="otp"
              label="动态验证码"
              extra="打开手机上的验证器应用,输入本账号当前显示的 6 位数字。"
              rules={[{ required: true, pattern: /^\d{3}\s?\d{3}$/, message: "请输入 6 位数字验证码" }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                autoFocus
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            登录
          </Button>
        </Form>
        {demo.length > 0 && (
          <Alert
            type="warning"
            style={{ marginTop: 16 }}
            data-testid="demo-accounts"
            title="演示环境:以下账号和密码是公开的,只用于体验,请勿录入真实工作数据。"
            description={
              <div style={{ display: "flex", flexWrap: "wrap", gap: 6, marginTop: 6 }}>
                {demo.map((a) => (
                  <Button
                    key={a.username}
                    size="small"
                    title="填入此演示账号"
                    onClick={() => form.setFieldsValue({ username: a.username, password: a.password })}
                  >
                    {roleLabels[a.role]} {a.username} / {a.password}
                  </Button>
                ))}
              </div>
            }
          />
        )}
      </Card>
    </div>
  );
}
