import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
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
  SendOutlined,
  TeamOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import { roleLabels } from "@gongkai/core/domain";
import { Drawer, Dropdown, Menu, type MenuProps, Tag } from "antd";
import type { ReactNode } from "react";
import { useLocation, useNavigate } from "react-router";
import type { Me } from "../lib/session.ts";

/**
 * The layout's menus, in a chunk of their own (AppLayout loads it lazily): antd's Menu and its
 * icons are not needed for a page to show, and on a phone not until the menu is opened.
 */

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
        { key: "/channels", icon: <SendOutlined />, label: "通知渠道" },
        { key: "/units", icon: <ApartmentOutlined />, label: "单位目录" },
        { key: "/calendar", icon: <CalendarOutlined />, label: "工作日历" },
        { key: "/assessment", icon: <TrophyOutlined />, label: "年度考核" },
        { key: "/evaluations", icon: <AuditOutlined />, label: "第三方评估" },
        ...(me.role === "admin"
          ? [
              { key: "/users", icon: <TeamOutlined />, label: "用户管理" },
              { key: "/api-tokens", icon: <ApiOutlined />, label: "接口令牌" },
            ]
          : []),
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

/** The pages of the user's role; `onPick` (the phone's drawer) is called before going there. */
export function NavMenu({ me, onPick }: { me: Me; onPick?: () => void }) {
  const location = useLocation();
  const navigate = useNavigate();
  const selected = `/${location.pathname.split("/")[1] ?? ""}`;
  return (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={menuFor(me)}
      onClick={({ key }) => {
        onPick?.();
        navigate(key);
      }}
      style={{ height: "100%", paddingTop: 8, ...(onPick ? { borderInlineEnd: "none" } : {}) }}
    />
  );
}

/** On a phone: the menu in a drawer from the left. */
export function NavDrawer({ me, open, onClose }: { me: Me; open: boolean; onClose: () => void }) {
  return (
    <Drawer
      placement="left"
      size={240}
      open={open}
      onClose={onClose}
      title="政务公开工作平台"
      styles={{ body: { padding: 0 } }}
      data-testid="nav-drawer"
    >
      <NavMenu me={me} onPick={onClose} />
    </Drawer>
  );
}

/** On a phone: the user's menu under the name in the header, with 账号安全 and 退出. */
export function AccountDropdown({
  me,
  open,
  onOpenChange,
  onAccount,
  onSignOut,
  signingOut,
  children,
}: {
  me: Me;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAccount: () => void;
  onSignOut: () => void;
  signingOut: boolean;
  children: ReactNode;
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
    <Dropdown
      menu={{ items }}
      trigger={["click"]}
      placement="bottomRight"
      open={open}
      onOpenChange={onOpenChange}
    >
      {children}
    </Dropdown>
  );
}
