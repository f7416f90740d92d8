/** The parsed tasks of one plan, editable, beside the source text. */
import {
  CloseOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  PlusOutlined,
  RollbackOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import type { AssignmentRole } from "@gongkai/core/domain";
import { categories, categoryLabels, deadlineKindLabels } from "@gongkai/core/domain";
import { useQuery } from "@tanstack/react-query";
import { Button, Input, Select, Space, Table, Tag, Typography } from "antd";
import { memo, useEffect, useRef, useState } from "react";
import { UnitPicker } from "../../components/UnitPicker.tsx";
import { useTRPC } from "../../lib/trpc.ts";
import {
  type DraftDeadline,
  type DraftTask,
  newDeadlineKey,
  type PhraseState,
  phraseState,
  type Resolution,
  roleInk,
  roleShort,
  roles,
  ruleText,
  sectionLabel,
  type UnitPhrase,
} from "./model.ts";
import type { TreeNode } from "./tree.ts";

type Section = { code: string; title: string };

const pageSize = 50;

export const TaskTable = memo(function TaskTable({
  tasks,
  sections,
  year,
  originalYear,
  resolutions,
  selectedKey,
  scrollTo,
  onSelect,
  onUpdate,
  onOpenName,
  labelOf,
  treeData,
  height,
  checked,
  onCheck,
}: {
  tasks: DraftTask[];
  sections: Section[];
  /** The plan's year as edited, and as read from the document. */
  year: number | null;
  originalYear: number | null;
  resolutions: Record<string, Resolution>;
  selectedKey: string | null;
  /** Bumped when the source text asks the table to show `selectedKey`. */
  scrollTo: number;
  onSelect: (key: string) => void;
  onUpdate: (key: string, change: (t: DraftTask) => DraftTask) => void;
  onOpenName: (name: string) => void;
  labelOf: (value: string) => string;
  treeData: TreeNode[];
  height: string;
  /** Tasks ticked for a bulk action. */
  checked: string[];
  onCheck: (keys: string[]) => void;
}) {
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const box = useRef<HTMLDivElement>(null);

  // Asked by the source pane: turn to the task's page, then scroll its row into view.
  useEffect(() => {
    if (!selectedKey || scrollTo === 0) return;
    const index = tasks.findIndex((t) => t.key === selectedKey);
    if (index < 0) return;
    const wanted = Math.floor(index / pageSize) + 1;
    if (wanted !== page) setPage(wanted);
    requestAnimationFrame(() => {
      const el = box.current;
      const row = el?.querySelector<HTMLElement>(`tr[data-row-key="${selectedKey}"]`);
      if (!el || !row) return;
      const top = row.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 48;
      el.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
    });
  }, [scrollTo]);

  return (
    <div ref={box} style={{ height, overflow: "auto" }} data-testid="import-tasks">
      <Table<DraftTask>
        rowKey="key"
        size="small"
        dataSource={tasks}
        tableLayout="fixed"
        sticky
        pagination={{
          current: page,
          pageSize,
          onChange: setPage,
          hideOnSinglePage: true,
          showSizeChanger: false,
          size: "small",
        }}
        rowSelection={{
          selectedRowKeys: checked,
          onChange: (keys) => onCheck(keys as string[]),
          columnWidth: 32,
          getCheckboxProps: (t) => ({ "aria-label": `选择任务 ${t.code}` }) as object,
        }}
        onRow={(t) => ({
          onClick: () => onSelect(t.key),
          style: {
            cursor: "pointer",
            background: t.key === selectedKey ? "#fffbe6" : undefined,
            opacity: t.excluded ? 0.45 : 1,
          },
          "data-testid": `import-task-${t.code}`,
        })}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
          expandedRowRender: (t) => (
            <TaskDetail
              task={t}
              sections={sections}
              onUpdate={(change) => onUpdate(t.key, change)}
              treeData={treeData}
            />
          ),
          columnWidth: 28,
        }}
        columns={[
          {
            title: "编号",
            width: 60,
            render: (_, t) => (
              <Typography.Text
                editable={{
                  onChange: (code) => onUpdate(t.key, (x) => ({ ...x, code })),
                  triggerType: ["text"],
                  tooltip: false,
                }}
                style={{ fontSize: 13 }}
              >
                {t.code}
              </Typography.Text>
            ),
          },
          {
            title: "任务",
            render: (_, t) => (
              <div>
                <Typography.Text
                  strong
                  delete={t.excluded}
                  editable={{
                    onChange: (title) => onUpdate(t.key, (x) => ({ ...x, title })),
                    tooltip: false,
                  }}
                  type={t.title.trim() ? undefined : "danger"}
                >
                  {t.title || "(标题为空)"}
                </Typography.Text>
                <div style={{ marginTop: 2 }}>
                  {t.sectionIndex !== null && sections[t.sectionIndex] && (
                    <Tag bordered={false} style={{ fontSize: 12, maxWidth: "100%", whiteSpace: "normal" }}>
                      {sectionLabel(sections[t.sectionIndex] as Section)}
                    </Tag>
                  )}
                  {t.category && (
                    <Tag bordered={false} color="blue">
                      {categoryLabels[t.category]}
                    </Tag>
                  )}
                </div>
                {taskFlags(t).map((f) => (
                  <div key={`${f.code}${f.message}`} title={f.message} style={flagStyle}>
                    <WarningOutlined /> {f.message}
                  </div>
                ))}
              </div>
            ),
          },
          {
            title: "承办单位",
            width: 200,
            render: (_, t) => (
              <UnitCell
                task={t}
                resolutions={resolutions}
                labelOf={labelOf}
                onOpenName={onOpenName}
                onRemove={(role, name) =>
                  onUpdate(t.key, (x) => ({
                    ...x,
                    removed: { ...x.removed, [role]: [...x.removed[role], name] },
                  }))
                }
                onRemoveExtra={(role, value) =>
                  onUpdate(t.key, (x) => ({
                    ...x,
                    extra: { ...x.extra, [role]: x.extra[role].filter((v) => v !== value) },
                  }))
                }
                onAdd={() => setExpanded((e) => (e.includes(t.key) ? e : [...e, t.key]))}
              />
            ),
          },
          {
            title: "完成时限",
            width: 150,
            render: (_, t) =>
              t.deadlines.length === 0 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  持续推进
                </Typography.Text>
              ) : (
                t.deadlines.map((d) => (
                  <DeadlineLine
                    key={d.key}
                    deadline={d}
                    year={year}
                    originalYear={originalYear}
                    onChange={(phrase) =>
                      onUpdate(t.key, (x) => ({
                        ...x,
                        deadlines: phrase.trim()
                          ? x.deadlines.map((y) => (y.key === d.key ? { ...y, phrase } : y))
                          : x.deadlines.filter((y) => y.key !== d.key),
                      }))
                    }
                  />
                ))
              ),
          },
          {
            title: "",
            width: 36,
            render: (_, t) => (
              <Button
                title={t.excluded ? "恢复导入此任务" : "不导入此任务"}
                size="small"
                type="text"
                icon={t.excluded ? <RollbackOutlined /> : <DeleteOutlined />}
                aria-label={t.excluded ? "恢复" : "不导入"}
                onClick={(e) => {
                  e.stopPropagation();
                  onUpdate(t.key, (x) => ({ ...x, excluded: !x.excluded }));
                }}
              />
            ),
          },
        ]}
      />
    </div>
  );
});

const flagStyle: React.CSSProperties = {
  color: "#ad6800",
  fontSize: 12,
  lineHeight: 1.5,
  marginTop: 2,
  display: "-webkit-box",
  WebkitLineClamp: 2,
  WebkitBoxOrient: "vertical",
  overflow: "hidden",
};

/** The task's flags, without those its deadlines show themselves. */
function taskFlags(t: DraftTask) {
  const shown = new Set(t.source.deadlines.flatMap((d) => d.flags.map((f) => f.message)));
  const seen = new Set<string>();
  return t.source.flags.filter((f) => {
    if (shown.has(f.message) || seen.has(f.message)) return false;
    seen.add(f.message);
    return true;
  });
}

const stateTag: Record<PhraseState, { color?: string; hint: string }> = {
  matched: { hint: "已匹配单位目录" },
  unsure: { color: "orange", hint: "匹配不确定,点击核实" },
  unmatched: { color: "red", hint: "单位目录中没有,点击处理" },
  picked: { color: "cyan", hint: "已选用目录中的单位" },
  new: { color: "green", hint: "确认导入时新建" },
  dropped: { hint: "已忽略,不分配" },
};

function PhraseTag({
  phrase,
  resolution,
  labelOf,
  onOpen,
  onRemove,
}: {
  phrase: UnitPhrase;
  resolution: Resolution | undefined;
  labelOf: (value: string) => string;
  onOpen: () => void;
  onRemove: () => void;
}) {
  const state = phraseState(phrase.match, resolution);
  const m = phrase.match;
  const label =
    state === "picked" && resolution?.kind === "pick"
      ? resolution.values.map(labelOf).join("、")
      : state === "new" && resolution?.kind === "new"
        ? `新建:${resolution.name}`
        : (state === "matched" || state === "unsure") && m.kind !== "none"
          ? (m.label ?? phrase.name)
          : phrase.name;
  const tip = `原文「${phrase.name}」:${stateTag[state].hint}`;
  return (
    <Tag
      title={tip}
      color={stateTag[state].color ?? (m.kind === "group" && state === "matched" ? "purple" : undefined)}
      icon={state === "unmatched" ? <ExclamationCircleFilled /> : undefined}
      closable
      closeIcon={<CloseOutlined aria-label="从本任务移除" />}
      onClose={(e) => {
        e.preventDefault();
        e.stopPropagation();
        onRemove();
      }}
      onClick={(e) => {
        e.stopPropagation();
        onOpen();
      }}
      style={{
        cursor: "pointer",
        marginBottom: 2,
        whiteSpace: "normal",
        textDecoration: state === "dropped" ? "line-through" : undefined,
        borderStyle: state === "dropped" ? "dashed" : undefined,
        color: state === "dropped" ? "#999" : undefined,
      }}
      data-testid={`phrase-${phrase.name}`}
      data-state={state}
    >
      {label}
      {state === "unsure" && " 待核实"}
    </Tag>
  );
}

function UnitCell({
  task,
  resolutions,
  labelOf,
  onOpenName,
  onRemove,
  onRemoveExtra,
  onAdd,
}: {
  task: DraftTask;
  resolutions: Record<string, Resolution>;
  labelOf: (value: string) => string;
  onOpenName: (name: string) => void;
  onRemove: (role: AssignmentRole, name: string) => void;
  onRemoveExtra: (role: AssignmentRole, value: string) => void;
  onAdd: () => void;
}) {
  const lines = roles
    .map((role) => ({
      role,
      phrases: task.source.units[role].filter((p) => !task.removed[role].includes(p.name)),
      extra: task.extra[role],
    }))
    .filter((l) => l.phrases.length + l.extra.length > 0);
  return (
    <div>
      {lines.map((l) => (
        <div key={l.role} style={{ display: "flex", gap: 4, alignItems: "baseline" }}>
          <span style={{ color: roleInk[l.role].fg, fontSize: 12, flex: "none", width: 26 }}>
            {roleShort[l.role]}
          </span>
          <div style={{ minWidth: 0 }}>
            {l.phrases.map((p) => (
              <PhraseTag
                key={p.name}
                phrase={p}
                resolution={resolutions[p.name]}
                labelOf={labelOf}
                onOpen={() => onOpenName(p.name)}
                onRemove={() => onRemove(l.role, p.name)}
              />
            ))}
            {l.extra.map((v) => (
              <Tag
                key={v}
                color="cyan"
                closable
                onClose={(e) => {
                  e.preventDefault();
                  onRemoveExtra(l.role, v);
                }}
                style={{ marginBottom: 2, whiteSpace: "normal" }}
              >
                {labelOf(v)}
              </Tag>
            ))}
          </div>
        </div>
      ))}
      <Button
        size="small"
        type="link"
        icon={<PlusOutlined />}
        style={{ paddingInline: 0, fontSize: 12 }}
        onClick={(e) => {
          e.stopPropagation();
          onAdd();
        }}
      >
        {lines.length === 0 ? "原文未写明单位,指定" : "添加单位"}
      </Button>
    </div>
  );
}

/** A deadline phrase with its rule; re-parsed by the server when the phrase or the year changes. */
function DeadlineLine({
  deadline,
  year,
  originalYear,
  onChange,
}: {
  deadline: DraftDeadline;
  year: number | null;
  originalYear: number | null;
  onChange: (phrase: string) => void;
}) {
  const trpc = useTRPC();
  const phrase = deadline.phrase.trim();
  const unchanged = deadline.original && deadline.original.phrase === phrase && year === originalYear;
  const reparsed = useQuery({
    ...trpc.tasks.parseDeadline.queryOptions({ phrase, year: year ?? new Date().getFullYear() }),
    enabled: !unchanged && phrase.length > 0 && year !== null,
    staleTime: 5 * 60_000,
  });
  const parsed = unchanged ? deadline.original : (reparsed.data ?? null);
  return (
    <div style={{ marginBottom: 4, fontSize: 12, lineHeight: 1.5 }}>
      <Typography.Text
        editable={{ onChange, tooltip: false }}
        title="点击铅笔修改时限表述,清空即删除"
        style={{ fontSize: 13, color: "#ad4e00" }}
      >
        {deadline.phrase}
      </Typography.Text>
      <div>
        {parsed ? (
          <Space size={2} wrap>
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12 }}
              title={deadlineKindLabels[parsed.rule.kind]}
            >
              {parsed.due ? `截止 ${parsed.due}` : ruleText(parsed.rule)}
            </Typography.Text>
            {parsed.flags.map((f) => (
              <Tag
                key={f.code}
                title={f.message}
                color="orange"
                style={{ fontSize: 11, lineHeight: "18px", marginInlineEnd: 0 }}
              >
                待核实
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {year === null ? "填写年度后计算日期" : reparsed.isFetching ? "解析中…" : ""}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

/** The expanded row: full text, section, category, units added by hand, deadlines. */
function TaskDetail({
  task,
  sections,
  onUpdate,
  treeData,
}: {
  task: DraftTask;
  sections: Section[];
  onUpdate: (change: (t: DraftTask) => DraftTask) => void;
  treeData: TreeNode[];
}) {
  const [newPhrase, setNewPhrase] = useState("");
  const removed = roles.flatMap((role) => task.removed[role].map((name) => ({ role, name })));
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: stops row selection while editing
    // biome-ignore lint/a11y/useKeyWithClickEvents: same
    <div onClick={(e) => e.stopPropagation()} style={{ display: "grid", gap: 8, padding: "4px 0" }}>
      <Input.TextArea
        value={task.content}
        onChange={(e) => onUpdate((t) => ({ ...t, content: e.target.value }))}
        autoSize={{ minRows: 3, maxRows: 10 }}
        aria-label="具体内容"
      />
      <Space wrap>
        <Select
          style={{ width: 260 }}
          allowClear
          placeholder="不属于任何章节"
          value={task.sectionIndex ?? undefined}
          onChange={(v) => onUpdate((t) => ({ ...t, sectionIndex: v ?? null }))}
          options={sections.map((s, i) => ({ value: i, label: sectionLabel(s) }))}
          aria-label="所属章节"
        />
        <Select
          style={{ width: 180 }}
          allowClear
          placeholder="类别(可选)"
          value={task.category ?? undefined}
          onChange={(v) => onUpdate((t) => ({ ...t, category: v ?? null }))}
          options={categories.map((c) => ({ value: c, label: categoryLabels[c] }))}
          aria-label="类别"
        />
      </Space>
      {roles.map((role) => (
        <div key={role} style={{ display: "flex", gap: 8, alignItems: "center" }}>
          <span style={{ color: roleInk[role].fg, width: 60, flex: "none", fontSize: 13 }}>
            另加{roleShort[role]}
          </span>
          <UnitPicker
            treeData={treeData}
            value={task.extra[role]}
            onChange={(v) => onUpdate((t) => ({ ...t, extra: { ...t.extra, [role]: v } }))}
            data-testid={`extra-${role}-${task.key}`}
          />
        </div>
      ))}
      {removed.length > 0 && (
        <div style={{ fontSize: 12 }}>
          <Typography.Text type="secondary">已从本任务移除:</Typography.Text>
          {removed.map((r) => (
            <Tag
              key={`${r.role}${r.name}`}
              style={{ cursor: "pointer" }}
              icon={<RollbackOutlined />}
              onClick={() =>
                onUpdate((t) => ({
                  ...t,
                  removed: { ...t.removed, [r.role]: t.removed[r.role].filter((n) => n !== r.name) },
                }))
              }
            >
              {roleShort[r.role]}:{r.name}
            </Tag>
          ))}
        </div>
      )}
      <Space.Compact style={{ maxWidth: 420 }}>
        <Input
          placeholder="添加时限,如:6月底前、印发后10个工作日内、每季度"
          value={newPhrase}
          onChange={(e) => setNewPhrase(e.target.value)}
          onPressEnter={() => {
            if (!newPhrase.trim()) return;
            onUpdate((t) => ({
              ...t,
              deadlines: [
                ...t.deadlines,
                { key: newDeadlineKey(), phrase: newPhrase.trim(), original: null },
              ],
            }));
            setNewPhrase("");
          }}
        />
        <Button
          icon={<PlusOutlined />}
          disabled={!newPhrase.trim()}
          onClick={() => {
            onUpdate((t) => ({
              ...t,
              deadlines: [
                ...t.deadlines,
                { key: newDeadlineKey(), phrase: newPhrase.trim(), original: null },
              ],
            }));
            setNewPhrase("");
          }}
        >
          添加
        </Button>
      </Space.Compact>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        时限表述可在表格中直接点击修改,清空即删除;没有时限的任务按「持续推进」处理。
      </Typography.Text>
    </div>
  );
}
