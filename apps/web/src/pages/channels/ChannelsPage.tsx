import { Space, Tabs, Typography } from "antd";
import { useSearchParams } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { DeliveriesTab } from "./DeliveriesTab.tsx";
import { RobotsTab } from "./RobotsTab.tsx";
import { WebhooksTab } from "./WebhooksTab.tsx";

const tabs = ["deliveries", "robots", "webhooks"] as const;
type Tab = (typeof tabs)[number];

/**
 * 通知渠道: what left the system by email, SMS, group robot and webhook (发送记录, with failures and
 * their errors), the 企业微信 / 钉钉 group robots of units and unit groups, and outbound webhooks.
 * The tab is kept in the address (?tab=robots).
 */
export function ChannelsPage() {
  const [params, setParams] = useSearchParams();
  const tab = (tabs as readonly string[]).includes(params.get("tab") ?? "")
    ? (params.get("tab") as Tab)
    : "deliveries";
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <PageTitle heading={3}>通知渠道</PageTitle>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        系统中的提醒、逾期、督办、退回等通知,除站内消息外,还按各单位联络员在「账号安全 →
        通知方式」中的选择发送邮件、短信, 并推送到下面设置的企业微信、钉钉工作群;发送失败会自动重试,不会丢失。
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          if (key === "deliveries") next.delete("tab");
          else next.set("tab", key);
          next.delete("status");
          setParams(next);
        }}
        items={[
          { key: "deliveries", label: "发送记录", children: <DeliveriesTab /> },
          { key: "robots", label: "群机器人", children: <RobotsTab /> },
          { key: "webhooks", label: "Webhook", children: <WebhooksTab /> },
        ]}
      />
    </Space>
  );
}
