import { BellOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Drawer, Empty, Popover, Spin, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";
import { fmtDateTime } from "./reports/shared.tsx";

type Item = RouterOutputs["notifications"]["list"]["items"][number];

/**
 * In-app notifications in the header: unread count, the latest 50, links to where to act; in a
 * popover on a desktop, on a whole-screen drawer on a phone.
 */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const isPhone = useIsPhone();
  const list = useQuery(
    trpc.notifications.list.queryOptions(undefined, {
      refetchInterval: 60_000,
      refetchIntervalInBackground: false,
    }),
  );
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
    }),
  );
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;
  const go = (n: Item) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    setOpen(false);
    if (n.link) navigate(n.link);
  };
  const content = (
    <div
      style={isPhone ? undefined : { width: 380, maxWidth: "calc(100vw - 32px)" }}
      data-testid="notifications"
    >
      <div
        style={{
          display: "flex",
          alignItems: "center",
          padding: "4px 4px 8px",
          borderBottom: "1px solid #f0f0f0",
        }}
      >
        <Typography.Text strong style={{ flex: 1 }}>
          通知{unread ? `(${unread} 条未读)` : ""}
        </Typography.Text>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          loading={markRead.isPending}
          onClick={() => markRead.mutate({ ids: items.filter((n) => !n.readAt).map((n) => n.id) })}
        >
          全部已读
        </Button>
      </div>
      {list.error && <Typography.Text type="danger">{errorMessage(list.error)}</Typography.Text>}
      {list.isPending ? (
        <Spin style={{ display: "block", padding: 24 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
      ) : (
        <div style={isPhone ? undefined : { maxHeight: 420, overflowY: "auto" }}>
          {items.map((n) => (
            <button
              type="button"
              key={n.id}
              onClick={() => go(n)}
              style={{
                all: "unset",
                boxSizing: "border-box",
                display: "block",
                width: "100%",
                padding: "8px 6px",
                borderBottom: "1px solid #f5f5f5",
                cursor: n.link ? "pointer" : "default",
                background: n.readAt ? undefined : "#f0f7ff",
              }}
              data-testid="notification-item"
            >
              <div style={{ display: "flex", gap: 8, alignItems: "baseline" }}>
                {!n.readAt && (
                  <span
                    style={{
                      width: 6,
                      height: 6,
                      borderRadius: 3,
                      background: "#1677ff",
                      flex: "none",
                      alignSelf: "center",
                    }}
                  />
                )}
                <Typography.Text
                  strong={!n.readAt}
                  style={{ flex: 1, minWidth: 0 }}
                  ellipsis={{ tooltip: n.title }}
                >
                  {n.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "nowrap" }}>
                  {fmtDateTime(n.createdAt)}
                </Typography.Text>
              </div>
              {n.body && (
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 2 }}
                  style={{ margin: "2px 0 0", fontSize: 12, paddingLeft: n.readAt ? 0 : 14 }}
                >
                  {n.body}
                </Typography.Paragraph>
              )}
            </button>
          ))}
        </div>
      )}
    </div>
  );
  const bell = (
    <Badge count={unread} size="small" offset={[-4, 4]}>
      <Button
        type="text"
        icon={<BellOutlined style={{ fontSize: 18, color: "#fff" }} />}
        aria-label={unread ? `通知,${unread} 条未读` : "通知"}
        data-testid="notification-bell"
        onClick={isPhone ? () => setOpen(true) : undefined}
      />
    </Badge>
  );
  if (isPhone) {
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="right"
          size="100%"
          title="通知"
          styles={{ body: { padding: "8px 12px" } }}
        >
          {content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover
      content={content}
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
      arrow={false}
    >
      {bell}
    </Popover>
  );
}
