/**
 * The tables the generator fills, with the columns it writes (database names), in the order the
 * rows carry them. Columns left out take their defaults. Ids are written explicitly (COPY writes
 * identity columns as given), and the sequences are moved past them after loading.
 */
export const tables = {
  units: [
    "id",
    "parent_id",
    "path",
    "name",
    "short_name",
    "kind",
    "region_code",
    "aliases",
    "sort_order",
    "created_at",
    "updated_at",
  ],
  unit_groups: ["id", "owner_unit_id", "name", "aliases", "created_at", "updated_at"],
  unit_group_members: ["group_id", "unit_id"],
  users: ["id", "username", "display_name", "password_hash", "role", "unit_id", "created_at", "updated_at"],
  stored_files: [
    "id",
    "sha256",
    "size_bytes",
    "mime_type",
    "file_name",
    "storage_key",
    "uploaded_by",
    "unit_id",
    "created_at",
  ],
  plans: [
    "id",
    "year",
    "title",
    "doc_number",
    "issuer_unit_id",
    "publish_date",
    "status",
    "reporting_cycle",
    "region_code",
    "created_by",
    "created_at",
    "updated_at",
  ],
  plan_links: ["plan_id", "upper_plan_id", "region_code"],
  task_links: ["task_id", "upper_task_id", "decided_by", "decided_at", "region_code"],
  sections: ["id", "plan_id", "code", "title", "sort_order", "created_at", "updated_at"],
  tasks: [
    "id",
    "plan_id",
    "section_id",
    "code",
    "title",
    "content",
    "category",
    "sort_order",
    "region_code",
    "created_at",
    "updated_at",
  ],
  deadlines: [
    "id",
    "task_id",
    "phrase",
    "kind",
    "rule",
    "due_date",
    "event_date",
    "sort_order",
    "region_code",
  ],
  task_assignments: ["id", "task_id", "unit_id", "role", "via_group_id", "region_code"],
  progress_reports: [
    "id",
    "task_id",
    "unit_id",
    "role",
    "period",
    "period_start",
    "period_end",
    "status",
    "percent",
    "summary",
    "blocked_reason",
    "occurred_on",
    "state",
    "revision",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "review_note",
    "updated_by",
    "region_code",
    "created_at",
    "updated_at",
    "version",
  ],
  evidence: ["id", "report_id", "kind", "url", "title", "file_id", "created_by", "created_at", "region_code"],
  report_revisions: [
    "id",
    "report_id",
    "revision",
    "snapshot",
    "submission_key",
    "submitted_at",
    "submitted_by",
    "region_code",
  ],
  report_reviews: ["id", "report_id", "revision", "decision", "reason", "reviewer_id", "at", "region_code"],
  supervision_notices: [
    "id",
    "task_id",
    "unit_id",
    "level",
    "content",
    "reply_due_date",
    "state",
    "issued_by",
    "issued_at",
    "reply",
    "replied_at",
    "replied_by",
    "parent_notice_id",
    "region_code",
    "created_at",
    "updated_at",
  ],
  audit_log: ["id", "at", "actor_id", "action", "entity_type", "entity_id", "before", "after", "region_code"],
  assessment_schemes: [
    "id",
    "year",
    "name",
    "owner_unit_id",
    "unit_group_id",
    "performance_total",
    "definition",
    "self_assessment_due",
    "status",
    "created_by",
    "created_at",
    "updated_at",
  ],
  assessment_participants: ["scheme_id", "unit_id", "self_submitted_at", "self_submitted_by"],
  assessment_scores: [
    "scheme_id",
    "unit_id",
    "indicator_code",
    "self_value",
    "final_value",
    "updated_by",
    "updated_at",
  ],
  evaluation_projects: [
    "id",
    "year",
    "name",
    "organisation",
    "owner_unit_id",
    "lead_user_id",
    "indicator_system",
    "disagreement_threshold",
    "status",
    "created_by",
    "created_at",
    "updated_at",
  ],
  evaluation_units: ["project_id", "unit_id", "tier"],
  evaluation_assignments: ["project_id", "unit_id", "evaluator_id", "submitted_at"],
  evaluation_scores: [
    "id",
    "project_id",
    "unit_id",
    "indicator_code",
    "evaluator_id",
    "value",
    "evidence_url",
    "observed_at",
    "region_code",
    "updated_at",
  ],
  evaluation_final_scores: [
    "project_id",
    "unit_id",
    "indicator_code",
    "value",
    "reason",
    "decided_by",
    "decided_at",
  ],
} as const satisfies Record<string, readonly string[]>;

export type TableName = keyof typeof tables;
export const tableNames = Object.keys(tables) as TableName[];

/** A value as the generator hands it over: arrays and JSON come already written as text. */
export type Value = string | number | boolean | null;

/** Where generated rows go: files for COPY, memory for PGlite, a counter for tests. */
export interface Sink {
  row(table: TableName, values: Value[]): void;
  /**
   * The rows so far form a segment that can be loaded: every row of later segments references only
   * rows of its own or of earlier segments. Called after the directory, plans and tasks, then every
   * few hundred tasks' reports, then after the rest.
   */
  mark?(label: string): void;
}

/**
 * Load order: every table comes after the tables it references. Tables within a layer are
 * independent of each other and load in parallel on PostgreSQL.
 */
export const loadLayers: TableName[][] = [
  ["units"],
  ["unit_groups", "users"],
  ["unit_group_members", "stored_files", "plans"],
  ["sections", "plan_links"],
  ["tasks"],
  ["task_links", "task_assignments", "deadlines", "assessment_schemes", "evaluation_projects"],
  [
    "progress_reports",
    "supervision_notices",
    "assessment_participants",
    "assessment_scores",
    "evaluation_units",
    "evaluation_assignments",
    "evaluation_scores",
    "evaluation_final_scores",
  ],
  ["evidence", "report_revisions", "report_reviews", "audit_log"],
];

/** Tables whose `id` is an identity column: their sequences move past the loaded ids. */
export const identityTables: TableName[] = tableNames.filter(
  (t) => (tables[t] as readonly string[])[0] === "id",
);
