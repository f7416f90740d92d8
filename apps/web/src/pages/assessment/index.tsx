export { AssessmentListPage } from "./ListPage.tsx";
export { AssessmentPage } from "./SchemePage.tsx";
export { SelfAssessmentPage } from "./SelfAssessmentPage.tsx";
