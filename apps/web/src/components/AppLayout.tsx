import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  FileTextOutlined,
  HomeOutlined,
  LogoutOutlined,
  NotificationOutlined,
  ProfileOutlined,
  SafetyOutlined,
  TeamOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import { roleLabels } from "@gongkai/core/domain";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Layout, Menu, type MenuProps, Space, Spin, Tag, Typography } from "antd";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { type Me, useMe } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { ChangePasswordForm } from "./ChangePasswordForm.tsx";
import { NotificationBell } from "./NotificationBell.tsx";

const { Header, Sider, Content } = Layout;

function menuFor(me: Me): MenuProps["items"] {
  const home = { key: "/", icon: <HomeOutlined />, label: "工作台" };
  switch (me.role) {
    case "admin":
    case "office":
      return [
        { key: "/dashboard", icon: <DashboardOutlined />, label: "工作台" },
        { key: "/plans", icon: <FileTextOutlined />, label: "工作要点" },
        { key: "/reviews", icon: <CheckSquareOutlined />, label: "报告审核" },
        { key: "/supervision", icon: <AlertOutlined />, label: "督办" },
        { key: "/bulletins", icon: <NotificationOutlined />, label: "通报" },
        { key: "/units", icon: <ApartmentOutlined />, label: "单位目录" },
        { key: "/calendar", icon: <CalendarOutlined />, label: "工作日历" },
        { key: "/assessment", icon: <TrophyOutlined />, label: "年度考核" },
        { key: "/evaluations", icon: <AuditOutlined />, label: "第三方评估" },
        ...(me.role === "admin" ? [{ key: "/users", icon: <TeamOutlined />, label: "用户管理" }] : []),
      ];
    case "unit":
      return [
        home,
        { key: "/my-tasks", icon: <ProfileOutlined />, label: "我的任务" },
        { key: "/my-assessment", icon: <TrophyOutlined />, label: "年度自评" },
        { key: "/my-evaluations", icon: <AuditOutlined />, label: "评估结果" },
      ];
    case "evaluator":
      return [home, { key: "/evaluations", icon: <AuditOutlined />, label: "评估项目" }];
  }
}

export function AppLayout() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate("/login");
      },
    }),
  );

  if (me.isPending) {
    return (
      <div style={{ display: "grid", placeItems: "center", height: "100vh" }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;

  // A new account, an administrator's reset or an expired password: the change comes first.
  if (me.data.passwordChange) {
    return (
      <div
        style={{
          minHeight: "100vh",
          display: "grid",
          placeItems: "center",
          background: "#f4f5f7",
          padding: 16,
        }}
      >
        <Card
          title="请先修改密码"
          style={{ width: "100%", maxWidth: 480 }}
          data-testid="forced-password-change"
        >
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              me.data.passwordChange === "expired"
                ? "您的密码已超过有效期,为了账号安全,请设置新密码后继续。"
                : "这是管理员为您设置的初始密码或重置后的密码,请设置只有您知道的新密码后继续。"
            }
          />
          <ChangePasswordForm />
          <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => signOut.mutate()}>
            退出登录
          </Button>
        </Card>
      </div>
    );
  }

  const selected = `/${location.pathname.split("/")[1] ?? ""}`;
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Header
        style={{ display: "flex", alignItems: "center", gap: 16, background: "#b7242a", paddingInline: 24 }}
      >
        <Typography.Title level={4} style={{ color: "#fff", margin: 0, whiteSpace: "nowrap" }}>
          政务公开工作平台
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Space size="middle" style={{ color: "#fff" }}>
          <span data-testid="current-user">
            {me.data.displayName}
            {me.data.unitName ? ` · ${me.data.unitName}` : ""}
          </span>
          <Tag color="gold">{roleLabels[me.data.role]}</Tag>
          <NotificationBell />
          <Button size="small" icon={<SafetyOutlined />} onClick={() => navigate("/account")} ghost>
            账号安全
          </Button>
          <Button
            size="small"
            icon={<LogoutOutlined />}
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
            ghost
          >
            退出
          </Button>
        </Space>
      </Header>
      <Layout>
        <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={56}>
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={menuFor(me.data)}
            onClick={({ key }) => navigate(key)}
            style={{ height: "100%", paddingTop: 8 }}
          />
        </Sider>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Outlet context={me.data} />
        </Content>
      </Layout>
    </Layout>
  );
}
