import { QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, lazy, Suspense, useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { createQueryClient, TRPCProvider, trpcClient } from "./lib/trpc.ts";

/**
 * Shown while a page's code arrives (on a slow link, seconds): never a blank page. The spinner of
 * index.html (its styles are in the page already), not antd's Spin, which the entry would carry.
 */
function PageLoading() {
  return (
    <div className="page-loading" role="status" data-testid="page-loading">
      <div className="boot-spinner" />
      加载中…
    </div>
  );
}

/**
 * A route's page, loaded with its own chunk when first shown. Each page file is imported by its
 * own path (not through a folder's index), so one page does not bring its siblings' code.
 * `antd`: the page is the top of an antd tree, so Ant Design's providers (AntdRoot) load beside it.
 */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
  opts: { antd?: boolean } = {},
) {
  const loadAntd = () => (opts.antd ? import("./components/AntdRoot.tsx") : undefined);
  const preload = () => Promise.all([loadAntd(), load()]);
  const Page = lazy<ComponentType>(async () => {
    const [antd, m] = await preload();
    const Inner: ComponentType = m[name];
    if (!antd) return { default: Inner };
    const { AntdRoot } = antd;
    return {
      default: () => (
        <AntdRoot>
          <Inner />
        </AntdRoot>
      ),
    };
  });
  return {
    element: (
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    ),
    handle: { preload } satisfies RouteHandle,
  };
}
type RouteHandle = { preload: () => Promise<unknown> };

const router = createBrowserRouter([
  { path: "/login", ...page(() => import("./pages/LoginPage.tsx"), "LoginPage") },
  // Public, no sign-in: published evaluation rankings.
  {
    path: "/public/rankings",
    ...page(() => import("./pages/evaluation/PublicRankingsPage.tsx"), "PublicRankingsPage", {
      antd: true,
    }),
  },
  {
    path: "/public/rankings/:projectId",
    ...page(() => import("./pages/evaluation/PublicRankingsPage.tsx"), "PublicRankingsPage", {
      antd: true,
    }),
  },
  {
    path: "/",
    ...page(() => import("./components/AppLayout.tsx"), "AppLayout", { antd: true }),
    children: [
      { index: true, ...page(() => import("./pages/HomePage.tsx"), "HomePage") },
      { path: "plans", ...page(() => import("./pages/PlansPage.tsx"), "PlansPage") },
      { path: "plans/import", ...page(() => import("./pages/imports/ImportPage.tsx"), "ImportPage") },
      { path: "plans/:id", ...page(() => import("./pages/PlanPage.tsx"), "PlanPage") },
      { path: "plans/:id/links", ...page(() => import("./pages/links/TaskLinksPage.tsx"), "TaskLinksPage") },
      { path: "plans/:id/coverage", ...page(() => import("./pages/links/CoveragePage.tsx"), "CoveragePage") },
      { path: "plans/:id/rollup", ...page(() => import("./pages/links/RollupPage.tsx"), "RollupPage") },
      { path: "units", ...page(() => import("./pages/UnitsPage.tsx"), "UnitsPage") },
      { path: "calendar", ...page(() => import("./pages/CalendarPage.tsx"), "CalendarPage") },
      {
        path: "dashboard",
        ...page(() => import("./pages/reports/DashboardPage.tsx"), "DashboardPage"),
      },
      {
        path: "reviews",
        ...page(() => import("./pages/reports/ReviewQueuePage.tsx"), "ReviewQueuePage"),
      },
      {
        path: "supervision",
        ...page(() => import("./pages/reports/SupervisionPage.tsx"), "SupervisionPage"),
      },
      {
        path: "bulletins",
        ...page(() => import("./pages/reports/BulletinsPage.tsx"), "BulletinsPage"),
      },
      { path: "users", ...page(() => import("./pages/UsersPage.tsx"), "UsersPage") },
      { path: "channels", ...page(() => import("./pages/channels/ChannelsPage.tsx"), "ChannelsPage") },
      { path: "api-tokens", ...page(() => import("./pages/ApiTokensPage.tsx"), "ApiTokensPage") },
      { path: "account", ...page(() => import("./pages/AccountPage.tsx"), "AccountPage") },
      { path: "my-tasks", ...page(() => import("./pages/MyTasksPage.tsx"), "MyTasksPage") },
      {
        path: "assessment",
        ...page(() => import("./pages/assessment/ListPage.tsx"), "AssessmentListPage"),
      },
      {
        path: "assessment/:id",
        ...page(() => import("./pages/assessment/SchemePage.tsx"), "AssessmentPage"),
      },
      {
        path: "my-assessment",
        ...page(() => import("./pages/assessment/SelfAssessmentPage.tsx"), "SelfAssessmentPage"),
      },
      {
        path: "evaluations",
        ...page(() => import("./pages/evaluation/ListPage.tsx"), "EvaluationListPage"),
      },
      {
        path: "evaluations/:id",
        ...page(() => import("./pages/evaluation/ProjectPage.tsx"), "EvaluationPage"),
      },
      {
        path: "my-evaluations",
        ...page(() => import("./pages/evaluation/MyEvaluationsPage.tsx"), "MyEvaluationsPage"),
      },
      { path: "*", element: <Navigate to="/" replace /> },
    ],
  },
]);

// The page a visit opens on is fetched beside its layout, not after the layout has rendered and
// asked who is signed in (on a slow link each step in a chain costs at least a round trip).
for (const match of router.state.matches) {
  (match.route.handle as RouteHandle | undefined)?.preload().catch(() => {
    // The page's own lazy import tries again and shows the error.
  });
}

export function App() {
  const [queryClient] = useState(() =>
    createQueryClient(() => {
      if (window.location.pathname !== "/login") router.navigate("/login");
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
