/**
 * A browser's User-Agent in words a user recognises on the 登录设备 list: 微信 · iPhone,
 * Chrome · Windows. Unknown parts are left out; nothing known at all gives 未知设备.
 */
export function deviceName(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser =
    (/MicroMessenger|wxwork/i.test(ua) && (/wxwork/i.test(ua) ? "企业微信" : "微信")) ||
    (/DingTalk/i.test(ua) && "钉钉") ||
    (/Edg\//.test(ua) && "Edge") ||
    (/QQBrowser/.test(ua) && "QQ浏览器") ||
    (/UCBrowser/.test(ua) && "UC浏览器") ||
    (/(Firefox|FxiOS)\//.test(ua) && "Firefox") ||
    (/(Chrome|Chromium|CriOS)\//.test(ua) && "Chrome") ||
    (/Safari\//.test(ua) && /Version\//.test(ua) && "Safari") ||
    null;
  const system =
    (/iPhone/.test(ua) && "iPhone") ||
    (/iPad/.test(ua) && "iPad") ||
    (/HarmonyOS|OpenHarmony/.test(ua) && "鸿蒙") ||
    (/Android/.test(ua) && "Android") ||
    (/Windows/.test(ua) && "Windows") ||
    (/Mac OS X|Macintosh/.test(ua) && "Mac") ||
    (/Linux|X11/.test(ua) && "Linux") ||
    null;
  const parts = [browser, system].filter(Boolean);
  return parts.length ? parts.join(" · ") : "未知设备";
}
