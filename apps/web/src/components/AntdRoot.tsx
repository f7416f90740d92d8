import { App as AntApp, ConfigProvider, type ThemeConfig } from "antd";
// The ES module: `antd/locale/zh_CN` is the CommonJS build, which brings CommonJS copies along.
import zhCN from "antd/es/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import type { ReactNode } from "react";
import { installDialogTabTrap } from "../lib/dialogTabTrap.ts";
import { useLargeText } from "../lib/largeText.ts";

// Date pickers and calendars in Chinese (weeks start on Monday).
dayjs.locale("zh-cn");
// Tab goes round inside an open drawer or modal (lib/dialogTabTrap.ts).
installDialogTabTrap();

/**
 * Government blue-grey with a red accent; Chinese system fonts first. The sign-in page, written
 * without antd, repeats the colour and radius in LoginPage.css.
 *
 * Every text colour reads at 4.5:1 or better on white and on the page's grey (WCAG AA, checked by
 * axe in e2e/a11y.e2e.test.ts): antd's defaults do not — secondary text (#8c8c8c, 3.4:1), links
 * (#1677ff, 4.1:1), placeholders and empty lists (#bfbfbf, 1.8:1), red (#ff4d4f, 3.3:1), and the
 * text of gold, orange, green and cyan tags (their shade 7 on shade 1, 2.8–3.4:1: darker shades).
 */
const emptyText = "rgba(0, 0, 0, 0.55)";
/** A tag's text is its colour's shade 7: darker shades where antd's read under 4.5:1 on shade 1. */
const tagText = {
  gold: "#874d00",
  orange: "#ad4e00",
  green: "#237804",
  cyan: "#006d75",
  lime: "#3f6600",
  yellow: "#876800",
  volcano: "#ad2102",
};
// antd keeps each shade twice (gold7 and gold-7), and its CSS variable comes from the second.
const tagTokens = Object.fromEntries(
  Object.entries(tagText).flatMap(([colour, value]) => [
    [`${colour}7`, value],
    [`${colour}-7`, value],
  ]),
) as ThemeConfig["token"];
export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#1f5fa8",
    colorLink: "#1f5fa8",
    colorLinkHover: "#3a76bd",
    colorLinkActive: "#124282",
    colorError: "#cf1322",
    colorTextTertiary: "rgba(0, 0, 0, 0.6)",
    colorTextDescription: "rgba(0, 0, 0, 0.6)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
    ...tagTokens,
    borderRadius: 4,
    fontFamily:
      '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", -apple-system, "Segoe UI", sans-serif',
  },
  components: {
    // "No data" in a table or list is antd's disabled grey: text to read, not a control turned off.
    Table: { colorTextDisabled: emptyText },
    List: { colorTextDisabled: emptyText },
  },
};

/**
 * 大字模式 (适老化): 18 px text (antd scales headings, icons and spacing from it), controls 40 px
 * high, and every grey darker.
 */
const largeEmptyText = "rgba(0, 0, 0, 0.65)";
export const largeTextTheme: ThemeConfig = {
  token: {
    ...theme.token,
    fontSize: 18,
    controlHeight: 40,
    colorText: "rgba(0, 0, 0, 0.92)",
    colorTextHeading: "rgba(0, 0, 0, 0.95)",
    colorTextSecondary: "rgba(0, 0, 0, 0.78)",
    colorTextTertiary: "rgba(0, 0, 0, 0.72)",
    colorTextDescription: "rgba(0, 0, 0, 0.72)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.62)",
    colorBorder: "#8c8c8c",
  },
  components: {
    Table: { colorTextDisabled: largeEmptyText },
    List: { colorTextDisabled: largeEmptyText },
  },
};

/**
 * Ant Design in Chinese with the theme (large text when switched on), and its App (what
 * `App.useApp()` gives the pages: message, modal, notification). Around the signed-in layout and
 * the public pages, loaded with them (App.tsx): the sign-in page needs none of it and comes first
 * on a slow link.
 */
export function AntdRoot({ children }: { children: ReactNode }) {
  const [large] = useLargeText();
  return (
    <ConfigProvider locale={zhCN} theme={large ? largeTextTheme : theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
