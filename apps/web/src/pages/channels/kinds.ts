import { type NotificationKind, notificationKindLabels, notificationKinds } from "@gongkai/core/channels";

/** The kinds as checkbox options, in the glossary's order. */
export const kindOptions = (except: NotificationKind[] = []) =>
  notificationKinds
    .filter((k) => !except.includes(k))
    .map((k) => ({ value: k, label: notificationKindLabels[k] }));

/** What a unit's group hears of: not 督办回复, which goes to the office that issued the notice. */
export const unitKinds = kindOptions(["notice.replied"]);
