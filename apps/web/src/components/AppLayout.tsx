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
  MenuOutlined,
  NotificationOutlined,
  ProfileOutlined,
  SafetyOutlined,
  TeamOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import { roleLabels } from "@gongkai/core/domain";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  Avatar,
  Button,
  Card,
  Drawer,
  Dropdown,
  Layout,
  Menu,
  type MenuProps,
  Spin,
  Tag,
  Typography,
} from "antd";
import { lazy, Suspense, useState } from "react";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { type Me, useMe } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";
import { NotificationBell } from "./NotificationBell.tsx";

/** Needed only when a password must change first: its form code is not part of every page. */
const ChangePasswordForm = lazy(() =>
  import("./ChangePasswordForm.tsx").then((m) => ({ default: m.ChangePasswordForm })),
);

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
  const isPhone = useIsPhone();
  const [navOpen, setNavOpen] = useState(false);
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
          <Suspense fallback={<Spin style={{ display: "block", padding: 24 }} />}>
            <ChangePasswordForm />
          </Suspense>
          <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => signOut.mutate()}>
            退出登录
          </Button>
        </Card>
      </div>
    );
  }

  const selected = `/${location.pathname.split("/")[1] ?? ""}`;
  const items = menuFor(me.data);
  const menu = (onPick?: () => void) => (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={({ key }) => {
        onPick?.();
        navigate(key);
      }}
      style={{ height: "100%", paddingTop: 8, ...(onPick ? { borderInlineEnd: "none" } : {}) }}
    />
  );
  const account = {
    me: me.data,
    onAccount: () => navigate("/account"),
    onSignOut: () => signOut.mutate(),
    signingOut: signOut.isPending,
  };
  if (isPhone) {
    return (
      <Layout style={{ minHeight: "100vh" }}>
        <PhoneHeader {...account} onMenu={() => setNavOpen(true)} />
        <Drawer
          placement="left"
          size={240}
          open={navOpen}
          onClose={() => setNavOpen(false)}
          title="政务公开工作平台"
          styles={{ body: { padding: 0 } }}
          data-testid="nav-drawer"
        >
          {menu(() => setNavOpen(false))}
        </Drawer>
        <Content style={{ padding: 12, minWidth: 0 }}>
          <Outlet context={me.data} />
        </Content>
      </Layout>
    );
  }
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Header
        style={{ display: "flex", alignItems: "center", gap: 16, background: "#b7242a", paddingInline: 24 }}
      >
        <Typography.Title level={4} style={{ color: "#fff", margin: 0, whiteSpace: "nowrap" }}>
          政务公开工作平台
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <div style={{ display: "flex", alignItems: "center", gap: 16, color: "#fff", minWidth: 0 }}>
          {/* A long unit name gives way (ellipsis) before the buttons do. */}
          <span
            data-testid="current-user"
            title={me.data.unitName ? `${me.data.displayName} · ${me.data.unitName}` : me.data.displayName}
            style={{ minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
          >
            {me.data.displayName}
            {me.data.unitName ? ` · ${me.data.unitName}` : ""}
          </span>
          <Tag color="gold" style={{ marginInlineEnd: 0 }}>
            {roleLabels[me.data.role]}
          </Tag>
          <NotificationBell />
          <Button size="small" icon={<SafetyOutlined />} onClick={account.onAccount} ghost>
            账号安全
          </Button>
          <Button
            size="small"
            icon={<LogoutOutlined />}
            onClick={account.onSignOut}
            loading={account.signingOut}
            ghost
          >
            退出
          </Button>
        </div>
      </Header>
      <Layout>
        <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={56}>
          {menu()}
        </Sider>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Outlet context={me.data} />
        </Content>
      </Layout>
    </Layout>
  );
}

/**
 * The header on a phone: the menu button, a short title, notifications, and the user (name
 * beside an avatar) whose menu holds 账号安全 and 退出.
 */
function PhoneHeader({
  me,
  onMenu,
  onAccount,
  onSignOut,
  signingOut,
}: {
  me: Me;
  onMenu: () => void;
  onAccount: () => void;
  onSignOut: () => void;
  signingOut: boolean;
}) {
  const items: MenuProps["items"] = [
    {
      key: "who",
      disabled: true,
      label: (
        <div style={{ color: "#262626", maxWidth: 240, whiteSpace: "normal" }}>
          <div style={{ fontWeight: 600 }}>{me.displayName}</div>
          {me.unitName && <div>{me.unitName}</div>}
          <Tag color="gold" style={{ marginTop: 4 }}>
            {roleLabels[me.role]}
          </Tag>
        </div>
      ),
    },
    { type: "divider" },
    { key: "account", icon: <SafetyOutlined />, label: "账号安全", onClick: onAccount },
    {
      key: "signOut",
      icon: <LogoutOutlined />,
      label: signingOut ? "正在退出…" : "退出",
      onClick: onSignOut,
      danger: true,
    },
  ];
  return (
    <Header
      style={{
        display: "flex",
        alignItems: "center",
        gap: 4,
        background: "#b7242a",
        paddingInline: 4,
        height: 52,
        lineHeight: "52px",
        position: "sticky",
        top: 0,
        zIndex: 10,
      }}
    >
      <Button
        type="text"
        icon={<MenuOutlined style={{ fontSize: 18, color: "#fff" }} />}
        aria-label="菜单"
        onClick={onMenu}
        data-testid="nav-menu"
      />
      <Typography.Title level={5} style={{ color: "#fff", margin: 0, flex: 1, whiteSpace: "nowrap" }}>
        政务公开
      </Typography.Title>
      <NotificationBell />
      <Dropdown menu={{ items }} trigger={["click"]} placement="bottomRight">
        <Button
          type="text"
          data-testid="current-user"
          aria-label={`${me.displayName},账号安全和退出`}
          style={{
            color: "#fff",
            display: "flex",
            alignItems: "center",
            gap: 6,
            minWidth: 0,
            paddingInline: 6,
          }}
        >
          <Avatar size="small" style={{ background: "#fff", color: "#b7242a", flex: "none" }}>
            {me.displayName.slice(0, 1)}
          </Avatar>
          {/* 8 characters (a unit's contact: 党政办公室联络员) before the ellipsis. */}
          <span
            style={{
              maxWidth: "min(40vw, 150px)",
              overflow: "hidden",
              textOverflow: "ellipsis",
              whiteSpace: "nowrap",
            }}
          >
            {me.displayName}
          </span>
        </Button>
      </Dropdown>
    </Header>
  );
}
