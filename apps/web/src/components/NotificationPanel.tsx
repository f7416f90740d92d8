import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Drawer, Empty, Popover, Spin, Typography } from "antd";
import type { ReactElement } from "react";
import { useNavigate } from "react-router";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { fmtDateTime } from "./reports/format.ts";

type Item = RouterOutputs["notifications"]["list"]["items"][number];

/**
 * The notifications the bell opens (NotificationBell loads this on the first open, or before when
 * idle): the latest 50 with links to where to act, in a popover on a desktop and a whole-screen
 * drawer on a phone. `bell` is the button it opens from.
 */
export function NotificationPanel({
  bell,
  open,
  onOpenChange,
  isPhone,
}: {
  bell: ReactElement;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  isPhone: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery(trpc.notifications.list.queryOptions());
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
    }),
  );
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;
  const go = (n: Item) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    onOpenChange(false);
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
  if (isPhone) {
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => onOpenChange(false)}
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
      onOpenChange={onOpenChange}
      placement="bottomRight"
      arrow={false}
    >
      {bell}
    </Popover>
  );
}
