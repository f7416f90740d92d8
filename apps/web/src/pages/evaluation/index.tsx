export { EvaluationListPage } from "./ListPage.tsx";
export { MyEvaluationsPage } from "./MyEvaluationsPage.tsx";
export { EvaluationPage } from "./ProjectPage.tsx";
export { PublicRankingsPage } from "./PublicRankingsPage.tsx";
