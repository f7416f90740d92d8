import { LogoutOutlined, MenuOutlined, SafetyOutlined } from "@ant-design/icons";
import { roleLabels } from "@gongkai/core/domain";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Avatar, Button, Card, Layout, Spin, Tag } from "antd";
import { lazy, Suspense, useEffect, useState } from "react";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { useFocusableScrollRegions } from "../lib/scrollRegions.ts";
import { type Me, useMe } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";
import { usePrefetchWhenIdle } from "../lib/usePrefetchWhenIdle.ts";
import { GlobalSearch } from "./GlobalSearch.tsx";
import { LargeTextToggle } from "./LargeTextToggle.tsx";
import { NotificationBell } from "./NotificationBell.tsx";
import { Heading } from "./text.tsx";

/** Needed only when a password must change first: its form code is not part of every page. */
const ChangePasswordForm = lazy(() =>
  import("./ChangePasswordForm.tsx").then((m) => ({ default: m.ChangePasswordForm })),
);

/**
 * The menus (antd's Menu and Dropdown, the icons of every page) come after the page: on a
 * desktop fetched as the layout first renders, on a phone when idle or when the menu is opened.
 */
const loadNav = () => import("./NavMenu.tsx");
const NavMenu = lazy(() => loadNav().then((m) => ({ default: m.NavMenu })));
const NavDrawer = lazy(() => loadNav().then((m) => ({ default: m.NavDrawer })));
const AccountDropdown = lazy(() => loadNav().then((m) => ({ default: m.AccountDropdown })));

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const [navOpen, setNavOpen] = useState(false);
  const [navWanted, setNavWanted] = useState(false);
  useEffect(() => {
    if (!isPhone)
      loadNav().catch(() => {
        // Fetched again (and the error shown) where the menu renders.
      });
  }, [isPhone]);
  usePrefetchWhenIdle(loadNav, isPhone);
  const content = useFocusableScrollRegions();
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
  if (!me.data)
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;

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

  const account = {
    me: me.data,
    onAccount: () => navigate("/account"),
    onSignOut: () => signOut.mutate(),
    signingOut: signOut.isPending,
  };
  // One tree for both: the page (Outlet) keeps its place when the layout switches between phone
  // and desktop (a window resized across 768 px, a tablet turned), so a page's unsaved work — an
  // import being checked, a report being typed — is not thrown away with the old layout.
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {isPhone ? (
        <PhoneHeader
          {...account}
          onMenu={() => {
            setNavWanted(true);
            setNavOpen(true);
          }}
        />
      ) : (
        <DesktopHeader {...account} />
      )}
      <Layout>
        {isPhone ? (
          // From the first tap on 菜单 on; it opens once its code is in (fetched when idle).
          navWanted && (
            <Suspense fallback={null}>
              <NavDrawer me={me.data} open={navOpen} onClose={() => setNavOpen(false)} />
            </Suspense>
          )
        ) : (
          <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={56}>
            {/* Until the menu's code is in, the Sider holds its place (white, 200 px). */}
            <Suspense fallback={null}>
              <NavMenu me={me.data} />
            </Suspense>
          </Sider>
        )}
        <Content ref={content} style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
          <Outlet context={me.data} />
        </Content>
      </Layout>
    </Layout>
  );
}

/** The header on a wider screen: the title, search, the user, 大字模式, notifications and the account buttons. */
function DesktopHeader({
  me,
  onAccount,
  onSignOut,
  signingOut,
}: {
  me: Me;
  onAccount: () => void;
  onSignOut: () => void;
  signingOut: boolean;
}) {
  return (
    <Header
      style={{ display: "flex", alignItems: "center", gap: 16, background: "#b7242a", paddingInline: 24 }}
    >
      <Heading level={4} style={{ color: "#fff", margin: 0, whiteSpace: "nowrap" }}>
        政务公开工作平台
      </Heading>
      <GlobalSearch me={me} />
      <div style={{ flex: 1 }} />
      <div style={{ display: "flex", alignItems: "center", gap: 16, color: "#fff", minWidth: 0 }}>
        {/* A long unit name gives way (ellipsis) before the buttons do. */}
        <span
          data-testid="current-user"
          title={me.unitName ? `${me.displayName} · ${me.unitName}` : me.displayName}
          style={{ minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
        >
          {me.displayName}
          {me.unitName ? ` · ${me.unitName}` : ""}
        </span>
        <Tag color="gold" style={{ marginInlineEnd: 0 }}>
          {roleLabels[me.role]}
        </Tag>
        <LargeTextToggle />
        <NotificationBell />
        <Button size="small" icon={<SafetyOutlined />} onClick={onAccount} ghost>
          账号安全
        </Button>
        <Button size="small" icon={<LogoutOutlined />} onClick={onSignOut} loading={signingOut} ghost>
          退出
        </Button>
      </div>
    </Header>
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
  // The menu's code is fetched on the first tap (or before, when idle) and opens when it is in.
  const [menuWanted, setMenuWanted] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const userButton = (onClick?: () => void) => (
    <Button
      type="text"
      data-testid="current-user"
      aria-label={`${me.displayName},账号安全和退出`}
      onClick={onClick}
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
  );
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
      <Heading level={5} style={{ color: "#fff", margin: 0, flex: 1, whiteSpace: "nowrap" }}>
        政务公开
      </Heading>
      <GlobalSearch me={me} phone />
      <LargeTextToggle short />
      <NotificationBell />
      {menuWanted ? (
        <Suspense fallback={userButton()}>
          <AccountDropdown
            me={me}
            open={menuOpen}
            onOpenChange={setMenuOpen}
            onAccount={onAccount}
            onSignOut={onSignOut}
            signingOut={signingOut}
          >
            {userButton()}
          </AccountDropdown>
        </Suspense>
      ) : (
        userButton(() => {
          setMenuWanted(true);
          setMenuOpen(true);
        })
      )}
    </Header>
  );
}
