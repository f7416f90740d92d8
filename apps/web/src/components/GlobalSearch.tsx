import { SearchOutlined } from "@ant-design/icons";
import { reportStateLabels, unitKindLabels } from "@gongkai/core/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button } from "antd";
import { type KeyboardEvent, useEffect, useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { Me } from "../lib/session.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type Found = RouterOutputs["search"]["all"];
type Hit = { key: string; href: string; title: string; detail: string };

/** Where each kind of result opens, as each role's own pages have it. */
function hitsOf(found: Found, office: boolean): { label: string; hits: Hit[] }[] {
  const groups = [
    {
      label: "任务",
      hits: found.tasks.map((t) => ({
        key: `t${t.id}`,
        href: office ? `/plans/${t.planId}?task=${t.id}` : `/my-tasks?task=${t.id}`,
        title: `${t.code ? `${t.code}. ` : ""}${t.title}`,
        detail: `${t.year}年 · ${t.planTitle}`,
      })),
    },
    {
      label: "单位",
      hits: found.units.map((u) => ({
        key: `u${u.id}`,
        href: `/units?q=${encodeURIComponent(u.name)}`,
        title: u.name,
        detail: unitKindLabels[u.kind],
      })),
    },
    {
      label: "进展报告",
      hits: found.reports.map((r) => ({
        key: `r${r.id}`,
        href: office
          ? `/reviews?state=${r.state}&report=${r.id}`
          : `/my-tasks?task=${r.taskId}&period=${encodeURIComponent(r.period)}`,
        title: `${r.code ? `${r.code}. ` : ""}${r.title} · ${r.unitName} · ${r.period}(${reportStateLabels[r.state]})`,
        detail: r.snippet,
      })),
    },
  ];
  return groups.filter((g) => g.hits.length > 0);
}

/**
 * The header's search box: tasks by code or title, units by name, reports by what was written, as
 * far as the user may see them, grouped by kind, each a link to its page. A combobox: ↑ ↓ move
 * through the results, Enter opens one, Esc closes the list. Plain elements, not antd's Select or
 * AutoComplete: the header is on every page and counts towards each page's first load.
 */
export function GlobalSearch({ me, phone = false }: { me: Me; phone?: boolean }) {
  const [expanded, setExpanded] = useState(false);
  if (me.role === "evaluator") return null;
  if (!phone) return <SearchBox me={me} />;
  // On a phone: a button in the header; the box opens below it, the width of the screen.
  return (
    <>
      <Button
        type="text"
        icon={<SearchOutlined style={{ fontSize: 18, color: "#fff" }} />}
        aria-label="搜索"
        aria-expanded={expanded}
        onClick={() => setExpanded((v) => !v)}
        data-testid="global-search-open"
      />
      {expanded && (
        <div
          style={{
            position: "fixed",
            top: 52,
            left: 0,
            right: 0,
            padding: 8,
            background: "#b7242a",
            zIndex: 20,
          }}
        >
          <SearchBox me={me} full onDone={() => setExpanded(false)} />
        </div>
      )}
    </>
  );
}

function SearchBox({ me, full = false, onDone }: { me: Me; full?: boolean; onDone?: () => void }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const listId = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Asked once typing pauses, not at every keystroke.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim().slice(0, 50)), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useQuery(
    trpc.search.all.queryOptions({ q }, { enabled: q.length > 0, placeholderData: keepPreviousData }),
  );
  const office = me.role !== "unit";
  const groups = found.data && q ? hitsOf(found.data, office) : [];
  const hits = groups.flatMap((g) => g.hits);
  const current = Math.min(active, Math.max(0, hits.length - 1));
  const shown = open && text.trim().length > 0;
  const optionId = (i: number) => `${listId}-${i}`;

  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    setOpen(false);
    setText("");
    onDone?.();
    navigate(hit.href);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
      if (hits.length) setActive((current + (e.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length);
    } else if (e.key === "Enter") {
      e.preventDefault();
      go(hits[current]);
    } else if (e.key === "Escape") {
      setOpen(false);
      if (!text) onDone?.();
    }
  };

  let index = 0;
  return (
    <div
      style={{
        position: "relative",
        width: full ? "100%" : 320,
        maxWidth: full ? undefined : "32vw",
        lineHeight: "normal",
      }}
    >
      <SearchOutlined
        aria-hidden
        style={{
          position: "absolute",
          left: 10,
          top: "50%",
          transform: "translateY(-50%)",
          color: "#8c8c8c",
        }}
      />
      <input
        type="search"
        role="combobox"
        aria-label="搜索任务、单位和报告"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && hits.length ? optionId(current) : undefined}
        placeholder={office ? "搜索任务、单位、报告" : "搜索本单位的任务和报告"}
        value={text}
        maxLength={50}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        // biome-ignore lint/a11y/noAutofocus: on a phone the box is opened by its button, to type in at once
        autoFocus={full}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        data-testid="global-search"
        style={{
          width: "100%",
          height: 32,
          padding: "4px 10px 4px 30px",
          border: "none",
          borderRadius: 6,
          fontSize: 14,
          outlineOffset: 2,
        }}
      />
      {shown && (
        <div
          id={listId}
          role="listbox"
          aria-label="搜索结果"
          data-testid="global-search-results"
          // A click on a result must land before the input's blur closes the list.
          onMouseDown={(e) => e.preventDefault()}
          style={{
            position: "absolute",
            top: 38,
            left: 0,
            width: full ? "100%" : 480,
            maxWidth: full ? undefined : "90vw",
            maxHeight: "70vh",
            overflowY: "auto",
            background: "#fff",
            color: "rgba(0,0,0,0.88)",
            borderRadius: 8,
            boxShadow: "0 6px 16px rgba(0,0,0,0.12), 0 3px 6px -4px rgba(0,0,0,0.12)",
            zIndex: 1050,
            padding: "4px 0",
          }}
        >
          {found.error ? (
            <div style={{ padding: "8px 12px", color: "#cf1322" }}>{errorMessage(found.error)}</div>
          ) : groups.length === 0 ? (
            <div style={{ padding: "8px 12px", color: "#8c8c8c" }}>
              {found.isFetching || q !== text.trim().slice(0, 50)
                ? "正在搜索…"
                : "没有找到匹配的任务、单位或报告,请换个关键词试试。"}
            </div>
          ) : (
            groups.map((g) => (
              // biome-ignore lint/a11y/useSemanticElements: options grouped inside a listbox (ARIA), not a form's fieldset
              <div key={g.label} role="group" aria-label={g.label}>
                <div style={{ padding: "6px 12px 2px", fontSize: 12, color: "#8c8c8c" }}>{g.label}</div>
                {g.hits.map((hit) => {
                  const i = index++;
                  return (
                    <Link
                      key={hit.key}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === current}
                      to={hit.href}
                      tabIndex={-1}
                      onClick={() => {
                        setOpen(false);
                        setText("");
                        onDone?.();
                      }}
                      onMouseEnter={() => setActive(i)}
                      data-testid="global-search-hit"
                      style={{
                        display: "block",
                        padding: "6px 12px",
                        color: "inherit",
                        background: i === current ? "#fff1f0" : undefined,
                      }}
                    >
                      <div style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                        {hit.title}
                      </div>
                      <div
                        style={{
                          fontSize: 12,
                          color: "#8c8c8c",
                          overflow: "hidden",
                          textOverflow: "ellipsis",
                          whiteSpace: "nowrap",
                        }}
                      >
                        {hit.detail}
                      </div>
                    </Link>
                  );
                })}
              </div>
            ))
          )}
        </div>
      )}
    </div>
  );
}
