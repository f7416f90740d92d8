/** The daily reporting screens: 工作台, 报告审核, 督办, 通报. */
export { BulletinsPage } from "./BulletinsPage.tsx";
export { DashboardPage } from "./DashboardPage.tsx";
export { ReviewQueuePage } from "./ReviewQueuePage.tsx";
export { SupervisionPage } from "./SupervisionPage.tsx";
