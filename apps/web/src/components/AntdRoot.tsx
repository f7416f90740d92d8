import { App as AntApp, ConfigProvider } from "antd";
// The ES module: `antd/locale/zh_CN` is the CommonJS build, which brings CommonJS copies along.
import zhCN from "antd/es/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import type { ReactNode } from "react";

// Date pickers and calendars in Chinese (weeks start on Monday).
dayjs.locale("zh-cn");

/**
 * Government blue-grey with a red accent; Chinese system fonts first. The sign-in page, written
 * without antd, repeats the colour and radius in LoginPage.css.
 */
export const theme = {
  token: {
    colorPrimary: "#1f5fa8",
    borderRadius: 4,
    fontFamily:
      '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", -apple-system, "Segoe UI", sans-serif',
  },
};

/**
 * Ant Design in Chinese with the theme, and its App (what `App.useApp()` gives the pages:
 * message, modal, notification). Around the signed-in layout and the public pages, loaded with
 * them (App.tsx): the sign-in page needs none of it and comes first on a slow link.
 */
export function AntdRoot({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
