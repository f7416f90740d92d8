import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { AppLayout } from "./components/AppLayout.tsx";
import { createQueryClient, TRPCProvider, trpcClient } from "./lib/trpc.ts";
import { AccountPage } from "./pages/AccountPage.tsx";
import { AssessmentListPage, AssessmentPage, SelfAssessmentPage } from "./pages/assessment/index.tsx";
import { CalendarPage } from "./pages/CalendarPage.tsx";
import {
  EvaluationListPage,
  EvaluationPage,
  MyEvaluationsPage,
  PublicRankingsPage,
} from "./pages/evaluation/index.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { ImportPage } from "./pages/imports/ImportPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { MyTasksPage } from "./pages/MyTasksPage.tsx";
import { PlanPage } from "./pages/PlanPage.tsx";
import { PlansPage } from "./pages/PlansPage.tsx";
import { BulletinsPage, DashboardPage, ReviewQueuePage, SupervisionPage } from "./pages/reports/index.tsx";
import { UnitsPage } from "./pages/UnitsPage.tsx";
import { UsersPage } from "./pages/UsersPage.tsx";

dayjs.locale("zh-cn");

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  // Public, no sign-in: published evaluation rankings.
  { path: "/public/rankings", element: <PublicRankingsPage /> },
  { path: "/public/rankings/:projectId", element: <PublicRankingsPage /> },
  {
    path: "/",
    element: <AppLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "plans", element: <PlansPage /> },
      { path: "plans/import", element: <ImportPage /> },
      { path: "plans/:id", element: <PlanPage /> },
      { path: "units", element: <UnitsPage /> },
      { path: "calendar", element: <CalendarPage /> },
      { path: "dashboard", element: <DashboardPage /> },
      { path: "reviews", element: <ReviewQueuePage /> },
      { path: "supervision", element: <SupervisionPage /> },
      { path: "bulletins", element: <BulletinsPage /> },
      { path: "users", element: <UsersPage /> },
      { path: "account", element: <AccountPage /> },
      { path: "my-tasks", element: <MyTasksPage /> },
      { path: "assessment", element: <AssessmentListPage /> },
      { path: "assessment/:id", element: <AssessmentPage /> },
      { path: "my-assessment", element: <SelfAssessmentPage /> },
      { path: "evaluations", element: <EvaluationListPage /> },
      { path: "evaluations/:id", element: <EvaluationPage /> },
      { path: "my-evaluations", element: <MyEvaluationsPage /> },
      { path: "*", element: <Navigate to="/" replace /> },
    ],
  },
]);

/** Government blue-grey with a red accent; Chinese system fonts first. */
const theme = {
  token: {
    colorPrimary: "#1f5fa8",
    borderRadius: 4,
    fontFamily:
      '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", -apple-system, "Segoe UI", sans-serif',
  },
};

export function App() {
  const [queryClient] = useState(() =>
    createQueryClient(() => {
      if (window.location.pathname !== "/login") router.navigate("/login");
    }),
  );
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <RouterProvider router={router} />
          </TRPCProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
