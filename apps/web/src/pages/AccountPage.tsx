import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, QRCode, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ChangePasswordForm } from "../components/ChangePasswordForm.tsx";
import { fmtDateTime } from "../components/reports/format.ts";
import { PageTitle } from "../components/text.tsx";
import { deviceName } from "../lib/device.ts";
import { isOffice, useMe } from "../lib/session.ts";
import { errorMessage, useTRPC } from "../lib/trpc.ts";
import { NotificationPrefsCard } from "./channels/NotificationPrefsCard.tsx";

/** 账号安全: the user's password, second factor and signed-in devices. */
export function AccountPage() {
  const me = useMe();
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <PageTitle heading={3}>账号安全</PageTitle>
      <Card title="修改密码">
        <ChangePasswordForm />
      </Card>
      {isOffice(me.data) && <SecondFactorCard enabled={me.data?.totpEnabled ?? false} />}
      <NotificationPrefsCard />
      <SessionsCard />
    </Space>
  );
}

function SecondFactorCard({ enabled }: { enabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  const setup = useMutation(trpc.auth.totpSetup.mutationOptions());
  const enable = useMutation(
    trpc.auth.totpEnable.mutationOptions({
      onSuccess: () => {
        setup.reset();
        message.success("两步验证已开启:以后登录时需输入验证器上的动态验证码。");
        refreshMe();
      },
    }),
  );
  const disable = useMutation(
    trpc.auth.totpDisable.mutationOptions({
      onSuccess: () => {
        message.success("两步验证已关闭。");
        refreshMe();
      },
    }),
  );
  const [code, setCode] = useState("");
  return (
    <Card
      title="两步验证"
      extra={enabled ? <Tag color="green">已开启</Tag> : <Tag>未开启</Tag>}
      data-testid="totp-card"
    >
      <Typography.Paragraph type="secondary">
        开启后,登录时除密码外还需输入手机验证器应用(如腾讯身份验证器、Microsoft Authenticator)上每 30 秒更新的
        6 位动态验证码。密码泄露时,账号仍然安全。
      </Typography.Paragraph>
      {enabled ? (
        <Form layout="inline" onFinish={(v: { password: string }) => disable.mutate(v)}>
          <Form.Item name="password" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password placeholder="输入密码以关闭" autoComplete="current-password" />
          </Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending}>
            关闭两步验证
          </Button>
          {disable.error && <Alert type="error" showIcon title={errorMessage(disable.error)} />}
        </Form>
      ) : setup.data ? (
        <Space align="start" wrap size="large">
          <QRCode value={setup.data.uri} size={180} />
          <Space orientation="vertical">
            <Typography.Text>1. 用验证器应用扫描左侧二维码,或手动输入密钥:</Typography.Text>
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.data.secret}
            </Typography.Text>
            <Typography.Text>2. 输入应用上显示的 6 位验证码:</Typography.Text>
            <Space.Compact>
              <Input
                value={code}
                onChange={(e) => setCode(e.target.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                placeholder="123456"
                aria-label="动态验证码"
                style={{ width: 140 }}
              />
              <Button
                type="primary"
                loading={enable.isPending}
                onClick={() => setup.data && enable.mutate({ secret: setup.data.secret, code })}
              >
                确认开启
              </Button>
            </Space.Compact>
            {enable.error && <Alert type="error" showIcon title={errorMessage(enable.error)} />}
          </Space>
        </Space>
      ) : (
        <Button type="primary" onClick={() => setup.mutate()} loading={setup.isPending}>
          开启两步验证
        </Button>
      )}
    </Card>
  );
}

function SessionsCard() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate("/login");
      },
    }),
  );
  return (
    <Card
      title="登录设备"
      extra={
        <Button danger onClick={() => everywhere.mutate()} loading={everywhere.isPending}>
          退出所有设备
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        每个账号最多同时在 5 处登录;30 分钟无操作自动退出。发现不认识的登录,请退出所有设备并修改密码。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey={(r) => `${r.createdAt}-${r.ip}-${r.userAgent}`}
        loading={sessions.isPending}
        dataSource={sessions.data ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: "登录时间",
            dataIndex: "createdAt",
            render: (v: string, r) => (
              <Space wrap size={4}>
                {fmtDateTime(v)}
                {r.current && <Tag color="blue">当前</Tag>}
              </Space>
            ),
          },
          {
            title: "设备",
            dataIndex: "userAgent",
            render: (v: string | null, r) => (
              <>
                <div title={v ?? undefined}>{deviceName(v)}</div>
                <Typography.Text type="secondary">{r.ip ?? "—"}</Typography.Text>
              </>
            ),
          },
          {
            title: "最近活动",
            dataIndex: "lastSeenAt",
            render: (v: string) => fmtDateTime(v).slice(5),
          },
        ]}
      />
    </Card>
  );
}
