import { BellOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";
import { usePrefetchWhenIdle } from "../lib/usePrefetchWhenIdle.ts";

/** The list and its popover or drawer: not needed for a page to show, fetched when idle or opened. */
const loadPanel = () => import("./NotificationPanel.tsx");
const NotificationPanel = lazy(() => loadPanel().then((m) => ({ default: m.NotificationPanel })));

/**
 * In-app notifications in the header: the unread count on a bell that opens the latest 50, with
 * links to where to act (NotificationPanel).
 */
export function NotificationBell() {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  // From the first click on; the panel opens once its code is in.
  const [wanted, setWanted] = useState(false);
  const isPhone = useIsPhone();
  usePrefetchWhenIdle(loadPanel);
  const list = useQuery(
    trpc.notifications.list.queryOptions(undefined, {
      refetchInterval: 60_000,
      refetchIntervalInBackground: false,
    }),
  );
  const unread = list.data?.unread ?? 0;
  const bell = (onClick?: () => void) => (
    <Badge count={unread} size="small" offset={[-4, 4]}>
      <Button
        type="text"
        icon={<BellOutlined style={{ fontSize: 18, color: "#fff" }} />}
        aria-label={unread ? `通知,${unread} 条未读` : "通知"}
        data-testid="notification-bell"
        onClick={onClick}
      />
    </Badge>
  );
  if (!wanted)
    return bell(() => {
      setWanted(true);
      setOpen(true);
    });
  return (
    <Suspense fallback={bell()}>
      <NotificationPanel
        // On a phone the bell opens the drawer; on a desktop the popover handles its clicks.
        bell={bell(isPhone ? () => setOpen(true) : undefined)}
        open={open}
        onOpenChange={setOpen}
        isPhone={isPhone}
      />
    </Suspense>
  );
}
