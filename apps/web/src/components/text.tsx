import { theme } from "antd";
import { type CSSProperties, type MouseEvent, type ReactNode, useState } from "react";

/**
 * Text, links and headings as antd's Typography shows them (its colours, weights and sizes from
 * the theme's tokens), for what a page shows first: antd's Typography brings its editing and
 * copying along wherever one of its parts is used, with antd's Input and TextArea (15 kB gzip).
 * Pages that load later keep using Typography.
 */

type TextProps = {
  type?: "secondary" | "danger" | undefined;
  strong?: boolean;
  /** One line, cut with an ellipsis. */
  ellipsis?: boolean;
  style?: CSSProperties;
  children?: ReactNode;
};

export function Text({ type, strong, ellipsis, style, children }: TextProps) {
  const { token } = theme.useToken();
  return (
    <span
      style={{
        color:
          type === "secondary"
            ? token.colorTextDescription
            : type === "danger"
              ? token.colorErrorText
              : undefined,
        wordBreak: "break-word",
        lineHeight: token.lineHeight,
        ...(strong ? { fontWeight: token.fontWeightStrong } : {}),
        ...(ellipsis
          ? {
              display: "inline-block",
              maxWidth: "100%",
              overflow: "hidden",
              whiteSpace: "nowrap",
              textOverflow: "ellipsis",
              verticalAlign: "bottom",
            }
          : {}),
        ...style,
      }}
    >
      {children}
    </span>
  );
}

/**
 * A link in the link colour (lighter under the pointer). `href` is where it leads (a new tab, a
 * copied address); a plain click calls `onOpen` instead, in the page.
 */
export function TextLink({
  href,
  onOpen,
  strong,
  style,
  children,
  "data-testid": testId,
}: {
  href: string;
  onOpen: () => void;
  strong?: boolean;
  style?: CSSProperties;
  children?: ReactNode;
  "data-testid"?: string;
}) {
  const { token } = theme.useToken();
  const [hover, setHover] = useState(false);
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    // Ctrl-, Cmd- or Shift-click: the browser opens the address where it is asked to.
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onOpen();
  };
  return (
    <a
      href={href}
      onClick={click}
      onMouseEnter={() => setHover(true)}
      onMouseLeave={() => setHover(false)}
      data-testid={testId}
      style={{
        color: hover ? token.colorLinkHover : token.colorLink,
        textDecoration: "none",
        transition: `color ${token.motionDurationSlow}`,
        wordBreak: "break-word",
        lineHeight: token.lineHeight,
        ...(strong ? { fontWeight: token.fontWeightStrong } : {}),
        ...style,
      }}
    >
      {children}
    </a>
  );
}

/** A heading (h4, h5) at antd's Typography.Title size for its level. */
export function Heading({
  level,
  style,
  children,
}: {
  level: 4 | 5;
  style?: CSSProperties;
  children: ReactNode;
}) {
  const { token } = theme.useToken();
  const H = level === 4 ? "h4" : "h5";
  return (
    <H
      style={{
        margin: 0,
        color: token.colorTextHeading,
        fontWeight: token.fontWeightStrong,
        fontSize: level === 4 ? token.fontSizeHeading4 : token.fontSizeHeading5,
        lineHeight: level === 4 ? token.lineHeightHeading4 : token.lineHeightHeading5,
        ...style,
      }}
    >
      {children}
    </H>
  );
}

/**
 * The page's title, its one h1 (what a screen reader lists first): inside a Card's title it takes
 * the title's look; `heading` gives it the look of a level-3 or level-4 heading of its own.
 */
export function PageTitle({ heading, children }: { heading?: 3 | 4; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <h1
      style={
        heading
          ? {
              margin: 0,
              color: token.colorTextHeading,
              fontWeight: token.fontWeightStrong,
              fontSize: heading === 3 ? token.fontSizeHeading3 : token.fontSizeHeading4,
              lineHeight: heading === 3 ? token.lineHeightHeading3 : token.lineHeightHeading4,
            }
          : { margin: 0, font: "inherit", color: "inherit", display: "inline" }
      }
    >
      {children}
    </h1>
  );
}
