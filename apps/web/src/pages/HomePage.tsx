import { Card, Empty } from "antd";
import { Navigate, useOutletContext } from "react-router";
import type { Me } from "../lib/session.ts";

export function HomePage() {
  const me = useOutletContext<Me>();
  if (me.role === "unit") return <Navigate to="/my-tasks" replace />;
  if (me.role === "office" || me.role === "admin") return <Navigate to="/dashboard" replace />;
  if (me.role === "evaluator") return <Navigate to="/evaluations" replace />;
  return (
    <Card>
      <Empty />
    </Card>
  );
}
