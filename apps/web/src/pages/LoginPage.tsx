import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useNavigate } from "react-router";
import { errorMessage, useTRPC } from "../lib/trpc.ts";

export function LoginPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        navigate("/");
      },
    }),
  );
  return (
    <div
      style={{
        minHeight: "100vh",
        display: "grid",
        placeItems: "center",
        background: "linear-gradient(160deg, #b7242a 0%, #7a1519 45%, #f4f5f7 45%)",
      }}
    >
      <Card style={{ width: 380, boxShadow: "0 8px 24px rgba(0,0,0,.12)" }}>
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
        <Form
          layout="vertical"
          onFinish={(v: { username: string; password: string }) => signIn.mutate(v)}
          requiredMark={false}
        >
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
