import { type AssignmentRole, assignmentRoles } from "@gongkai/core/domain";
import { type Light, lights } from "@gongkai/core/reports";

/**
 * What a unit's task list is narrowed to, kept in the address (`?year=2023&plan=4&role=lead&
 * light=overdue&q=公开`) so that a link, a reload or the back button shows the same list. The list
 * is the unit's own (a few hundred tasks at most), so it is filtered here, not by the server.
 * A year not in the address is the default: this year's plans when the unit has any, else its
 * latest year's (a unit with only last year's plan still sees them, not an empty page).
 */
export type MyTaskFilter = {
  /** A year, every year, or (not in the address) the default year. */
  year: number | "all" | null;
  planId: number | null;
  role: AssignmentRole | "all";
  light: Light | "all";
  /** Matched in the code and the title. */
  q: string;
};

export function readFilter(params: URLSearchParams): MyTaskFilter {
  const year = params.get("year");
  const plan = Number(params.get("plan"));
  const role = params.get("role") as AssignmentRole | null;
  const light = params.get("light") as Light | null;
  return {
    year: year === "all" ? "all" : Number.isInteger(Number(year)) && Number(year) > 0 ? Number(year) : null,
    planId: Number.isInteger(plan) && plan > 0 ? plan : null,
    role: role && assignmentRoles.includes(role) ? role : "all",
    light: light && lights.includes(light) ? light : "all",
    q: params.get("q") ?? "",
  };
}

/** The address with `patch` applied; a value back at its default leaves the address. */
export function writeFilter(params: URLSearchParams, patch: Partial<MyTaskFilter>): URLSearchParams {
  const next = new URLSearchParams(params);
  const put = (key: string, value: string | null) => {
    if (value === null || value === "") next.delete(key);
    else next.set(key, value);
  };
  if ("year" in patch)
    put("year", patch.year === null || patch.year === undefined ? null : String(patch.year));
  if ("planId" in patch) put("plan", patch.planId ? String(patch.planId) : null);
  if ("role" in patch) put("role", patch.role === "all" ? null : (patch.role ?? null));
  if ("light" in patch) put("light", patch.light === "all" ? null : (patch.light ?? null));
  if ("q" in patch) put("q", patch.q ?? null);
  return next;
}

/** The filters cleared: the default year, every plan, role and light, no keyword. */
export const clearFilter = (params: URLSearchParams) =>
  writeFilter(params, { year: null, planId: null, role: "all", light: "all", q: "" });

/** This year when the unit has tasks in it, else its latest year with tasks; null when it has none. */
export function defaultYear(years: readonly number[], thisYear: number): number | null {
  if (years.includes(thisYear)) return thisYear;
  return years.length ? Math.max(...years) : null;
}

type Filterable = { year: number; planId: number; code: string; title: string; roles: AssignmentRole[] };

/** The year the list shows: the one asked for, else the default. */
export const shownYear = (f: MyTaskFilter, years: readonly number[], thisYear: number) =>
  f.year ?? defaultYear(years, thisYear) ?? "all";

/**
 * Rows of the chosen year and plan with the keyword in their code or title (case and surrounding
 * spaces ignored), before the role and light are applied (their tabs count what is left here).
 */
export function inScope<T extends Filterable>(
  rows: readonly T[],
  f: MyTaskFilter,
  year: number | "all",
): T[] {
  const q = f.q.trim().toLowerCase();
  return rows.filter(
    (t) =>
      (year === "all" || t.year === year) &&
      (f.planId === null || t.planId === f.planId) &&
      (!q || t.code.toLowerCase().includes(q) || t.title.toLowerCase().includes(q)),
  );
}

/** Is anything narrowed beyond the default (the default year alone is not a filter to clear)? */
export const isFiltered = (f: MyTaskFilter) =>
  f.year !== null || f.planId !== null || f.role !== "all" || f.light !== "all" || f.q.trim() !== "";
