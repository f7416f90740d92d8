import type { Meta } from "../../src/index.ts";
import { office } from "./foundation.ts";

/** Progress reports, review, supervision, notifications, bulletins. */
export const reports: Record<string, Meta["roles"]> = {
  "reports.form": ["unit"],
  "reports.save": ["unit"],
  "reports.submit": ["unit"],
  "reports.myLights": ["unit"],
  "reports.myDashboard": ["unit"],
  "reports.recordEvent": ["admin", "office", "unit"],
  "reports.queue": office,
  "reports.detail": office,
  "reports.review": office,
  "reports.reviewMany": office,
  "reports.taskHistory": office,
  "reports.lights": office,
  "reports.dashboard": office,
  "reports.setReportingCycle": office,
  "supervision.issue": office,
  "supervision.issueMany": office,
  "supervision.list": office,
  "supervision.close": office,
  "supervision.mine": ["unit"],
  "supervision.reply": ["unit"],
  "supervision.settings": office,
  "supervision.saveSettings": office,
  "notifications.list": "signedIn",
  "notifications.markRead": "signedIn",
  "bulletins.preview": office,
  "bulletins.create": office,
  "bulletins.list": office,
  "bulletins.download": office,
};
