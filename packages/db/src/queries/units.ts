import {
  conflict,
  type DirectoryRow,
  DomainError,
  invalid,
  notFound,
  type UnitKind,
  unitKindLabels,
  unitKinds,
} from "@gongkai/core";
import { and, asc, eq, inArray, isNull, like, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { taskAssignments, unitGroupMembers, unitGroups, units, users } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";

export type UnitInput = {
  parentId: number | null;
  name: string;
  shortName?: string | null;
  kind: UnitKind;
  regionCode?: string | null;
  aliases?: string[];
  sortOrder?: number;
};

export type UnitRow = typeof units.$inferSelect;

/** Units in the actor's scope (its government and everything below), in tree order. */
export async function listUnits(db: Db, scopePath: string | null) {
  return db
    .select()
    .from(units)
    .where(scopePath ? like(units.path, `${scopePath}%`) : undefined)
    .orderBy(asc(units.path));
}

export async function getUnit(db: Db, id: number): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row;
}

export const inScope = (scopePath: string | null, unitPath: string) =>
  scopePath === null || unitPath.startsWith(scopePath);

async function requireUnitInScope(db: Db, actor: Actor, id: number): Promise<UnitRow> {
  const unit = await getUnit(db, id);
  if (!unit || !inScope(actor.scopePath, unit.path)) throw notFound("单位");
  return unit;
}

/** Parent must exist and lie in scope; only an actor without a scope may create a root unit. */
async function requireParent(db: Db, actor: Actor, parentId: number | null): Promise<UnitRow | null> {
  if (parentId === null) {
    if (actor.scopePath !== null) throw invalid("请选择上级单位:您只能在本级政府之下添加单位。", "parentId");
    return null;
  }
  const parent = await getUnit(db, parentId);
  if (!parent || !inScope(actor.scopePath, parent.path)) {
    throw invalid("上级单位不存在或不在您的管理范围内,请重新选择。", "parentId");
  }
  return parent;
}

export async function createUnit(db: Db, actor: Actor, input: UnitInput): Promise<UnitRow> {
  return db.transaction(async (tx) => {
    const parent = await requireParent(tx, actor, input.parentId);
    await assertNameFree(tx, input.parentId, input.name);
    const [row] = await tx
      .insert(units)
      .values({
        parentId: input.parentId,
        name: input.name,
        shortName: input.shortName ?? null,
        kind: input.kind,
        regionCode: input.regionCode ?? parent?.regionCode ?? null,
        aliases: input.aliases ?? [],
        sortOrder: input.sortOrder ?? 0,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const path = `${parent?.path ?? "/"}${row.id}/`;
    const [unit] = await tx.update(units).set({ path }).where(eq(units.id, row.id)).returning();
    if (!unit) throw new Error("update returned nothing");
    await recordAudit(tx, actor, {
      action: "unit.create",
      entityType: "unit",
      entityId: unit.id,
      after: unit,
      regionCode: unit.regionCode,
    });
    return unit;
  });
}

async function assertNameFree(db: Db, parentId: number | null, name: string, exceptId?: number) {
  const [dup] = await db
    .select({ id: units.id })
    .from(units)
    .where(
      and(
        sql`coalesce(${units.parentId}, 0) = ${parentId ?? 0}`,
        eq(units.name, name),
        exceptId === undefined ? undefined : sql`${units.id} <> ${exceptId}`,
      ),
    );
  if (dup) throw conflict(`同一上级单位下已有名为「${name}」的单位,请换一个名称或编辑已有单位。`);
}

export async function updateUnit(db: Db, actor: Actor, id: number, input: UnitInput): Promise<UnitRow> {
  return db.transaction(async (tx) => {
    const before = await requireUnitInScope(tx, actor, id);
    if (actor.scopePath !== null && before.path === actor.scopePath && input.parentId !== before.parentId) {
      throw invalid("不能移动您所在的本级政府。", "parentId");
    }
    let path = before.path;
    if (input.parentId !== before.parentId) {
      const parent = await requireParent(tx, actor, input.parentId);
      if (parent?.path.startsWith(before.path)) {
        throw invalid("不能把单位移到它自己的下级单位之下,请选择其他上级单位。", "parentId");
      }
      path = `${parent?.path ?? "/"}${id}/`;
      // Move the whole subtree: every descendant's path gets the new prefix.
      await tx
        .update(units)
        .set({ path: sql`${path} || substr(${units.path}, ${before.path.length + 1})` })
        .where(like(units.path, `${before.path}%`));
    }
    await assertNameFree(tx, input.parentId, input.name, id);
    const [unit] = await tx
      .update(units)
      .set({
        parentId: input.parentId,
        path,
        name: input.name,
        shortName: input.shortName ?? null,
        kind: input.kind,
        regionCode: input.regionCode ?? null,
        aliases: input.aliases ?? [],
        sortOrder: input.sortOrder ?? before.sortOrder,
        updatedAt: new Date(),
      })
      .where(eq(units.id, id))
      .returning();
    if (!unit) throw notFound("单位");
    await recordAudit(tx, actor, {
      action: "unit.update",
      entityType: "unit",
      entityId: id,
      before,
      after: unit,
      regionCode: unit.regionCode,
    });
    return unit;
  });
}

export async function deleteUnit(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await requireUnitInScope(tx, actor, id);
    const [child] = await tx.select({ id: units.id }).from(units).where(eq(units.parentId, id)).limit(1);
    if (child) throw conflict(`「${before.name}」下还有下级单位,请先删除或移走下级单位。`);
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.unitId, id)).limit(1);
    if (user) throw conflict(`「${before.name}」还有用户账号,请先停用或改派这些账号。`);
    const [assignment] = await tx
      .select({ id: taskAssignments.id })
      .from(taskAssignments)
      .where(eq(taskAssignments.unitId, id))
      .limit(1);
    if (assignment) throw conflict(`「${before.name}」已承担任务,不能删除;如已撤并,请改为停用。`);
    await tx.delete(units).where(eq(units.id, id));
    await recordAudit(tx, actor, {
      action: "unit.delete",
      entityType: "unit",
      entityId: id,
      before,
      regionCode: before.regionCode,
    });
  });
}

// ---------------------------------------------------------------- groups

export type GroupInput = {
  ownerUnitId: number | null;
  name: string;
  aliases?: string[];
  memberIds: number[];
};

export async function listGroups(db: Db, scopePath: string | null) {
  const groups = await db
    .select({
      id: unitGroups.id,
      ownerUnitId: unitGroups.ownerUnitId,
      name: unitGroups.name,
      aliases: unitGroups.aliases,
      ownerPath: units.path,
    })
    .from(unitGroups)
    .leftJoin(units, eq(units.id, unitGroups.ownerUnitId))
    .where(scopePath ? like(units.path, `${scopePath}%`) : undefined)
    .orderBy(asc(unitGroups.id));
  if (groups.length === 0) return [];
  const members = await db
    .select()
    .from(unitGroupMembers)
    .where(
      inArray(
        unitGroupMembers.groupId,
        groups.map((g) => g.id),
      ),
    );
  return groups.map(({ ownerPath: _, ...g }) => ({
    ...g,
    memberIds: members.filter((m) => m.groupId === g.id).map((m) => m.unitId),
  }));
}

async function requireMembersInScope(db: Db, actor: Actor, memberIds: number[]) {
  if (memberIds.length === 0) return;
  const rows = await db
    .select({ id: units.id, path: units.path })
    .from(units)
    .where(inArray(units.id, memberIds));
  const ok = new Set(rows.filter((r) => inScope(actor.scopePath, r.path)).map((r) => r.id));
  const missing = memberIds.filter((id) => !ok.has(id));
  if (missing.length)
    throw invalid(`成员单位(编号 ${missing.join("、")})不存在或不在您的管理范围内。`, "memberIds");
}

export async function createGroup(db: Db, actor: Actor, input: GroupInput) {
  return db.transaction(async (tx) => {
    if (input.ownerUnitId !== null) await requireUnitInScope(tx, actor, input.ownerUnitId);
    else if (actor.scopePath !== null) throw invalid("请选择分组所属的单位。", "ownerUnitId");
    await requireMembersInScope(tx, actor, input.memberIds);
    const [group] = await tx
      .insert(unitGroups)
      .values({ ownerUnitId: input.ownerUnitId, name: input.name, aliases: input.aliases ?? [] })
      .onConflictDoNothing()
      .returning();
    if (!group) throw conflict(`已有名为「${input.name}」的分组,请换一个名称。`);
    const memberIds = [...new Set(input.memberIds)];
    if (memberIds.length) {
      await tx.insert(unitGroupMembers).values(memberIds.map((unitId) => ({ groupId: group.id, unitId })));
    }
    const after = { ...group, memberIds };
    await recordAudit(tx, actor, {
      action: "group.create",
      entityType: "unitGroup",
      entityId: group.id,
      after,
    });
    return after;
  });
}

async function requireGroupInScope(db: Db, actor: Actor, id: number) {
  const [row] = await db
    .select({ group: unitGroups, ownerPath: units.path })
    .from(unitGroups)
    .leftJoin(units, eq(units.id, unitGroups.ownerUnitId))
    .where(eq(unitGroups.id, id));
  if (!row) throw notFound("单位分组");
  if (actor.scopePath !== null && !(row.ownerPath && inScope(actor.scopePath, row.ownerPath)))
    throw notFound("单位分组");
  const members = await db.select().from(unitGroupMembers).where(eq(unitGroupMembers.groupId, id));
  return { ...row.group, memberIds: members.map((m) => m.unitId) };
}

/**
 * Changing a group's members also changes the tasks the group was assigned to as a whole:
 * new members get the group's assignments, removed members lose those that came via the group.
 */
export async function updateGroup(db: Db, actor: Actor, id: number, input: GroupInput) {
  return db.transaction(async (tx) => {
    const before = await requireGroupInScope(tx, actor, id);
    await requireMembersInScope(tx, actor, input.memberIds);
    if (input.ownerUnitId !== before.ownerUnitId && input.ownerUnitId !== null) {
      await requireUnitInScope(tx, actor, input.ownerUnitId);
    }
    const [group] = await tx
      .update(unitGroups)
      .set({
        name: input.name,
        aliases: input.aliases ?? [],
        ownerUnitId: input.ownerUnitId,
        updatedAt: new Date(),
      })
      .where(eq(unitGroups.id, id))
      .returning();
    if (!group) throw notFound("单位分组");
    const memberIds = [...new Set(input.memberIds)];
    const added = memberIds.filter((m) => !before.memberIds.includes(m));
    const removed = before.memberIds.filter((m) => !memberIds.includes(m));
    if (removed.length) {
      await tx
        .delete(unitGroupMembers)
        .where(and(eq(unitGroupMembers.groupId, id), inArray(unitGroupMembers.unitId, removed)));
      await tx
        .delete(taskAssignments)
        .where(and(eq(taskAssignments.viaGroupId, id), inArray(taskAssignments.unitId, removed)));
    }
    if (added.length) {
      await tx.insert(unitGroupMembers).values(added.map((unitId) => ({ groupId: id, unitId })));
      const uses = await tx
        .selectDistinct({
          taskId: taskAssignments.taskId,
          role: taskAssignments.role,
          regionCode: taskAssignments.regionCode,
        })
        .from(taskAssignments)
        .where(eq(taskAssignments.viaGroupId, id));
      // As when a task is saved: a unit already named on a task in its own right is not added again.
      const named = uses.length
        ? await tx
            .select({ taskId: taskAssignments.taskId, unitId: taskAssignments.unitId })
            .from(taskAssignments)
            .where(
              and(
                inArray(taskAssignments.taskId, [...new Set(uses.map((u) => u.taskId))]),
                inArray(taskAssignments.unitId, added),
                isNull(taskAssignments.viaGroupId),
              ),
            )
        : [];
      const isNamed = new Set(named.map((n) => `${n.taskId}:${n.unitId}`));
      const rows = uses.flatMap((u) =>
        added
          .filter((unitId) => !isNamed.has(`${u.taskId}:${unitId}`))
          .map((unitId) => ({ ...u, unitId, viaGroupId: id })),
      );
      if (rows.length) await tx.insert(taskAssignments).values(rows).onConflictDoNothing();
    }
    const after = { ...group, memberIds };
    await recordAudit(tx, actor, {
      action: "group.update",
      entityType: "unitGroup",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteGroup(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const before = await requireGroupInScope(tx, actor, id);
    await tx.delete(unitGroups).where(eq(unitGroups.id, id));
    await recordAudit(tx, actor, { action: "group.delete", entityType: "unitGroup", entityId: id, before });
  });
}

// ---------------------------------------------------------------- import

export type UnitImportRow = DirectoryRow;

const kindByLabel = new Map<string, UnitKind>([
  ...unitKinds.map((k) => [k, k] as const),
  ...unitKinds.map((k) => [unitKindLabels[k], k] as const),
  ["政府", "government"],
  ["部门", "department"],
  ["科室", "department"],
  ["乡镇", "town"],
  ["街道", "town"],
  ["镇", "town"],
  ["村", "village"],
  ["社区", "community"],
  ["居委", "community"],
  ["居委会", "community"],
  ["企业", "enterprise"],
  ["事业单位", "enterprise"],
]);

export type UnitImportResult = {
  created: number;
  updated: number;
  groupsCreated: number;
  memberships: number;
};

/**
 * Import a directory from rows (a .xlsx or .csv read by @gongkai/files): units are created or
 * updated by (parent, name); a parent may be an existing unit or a row above or below. All rows
 * are checked first; any problem refuses the whole file with every problem listed, and nothing
 * is written. Groups named in the rows are created under the actor's government.
 */
export async function importUnits(db: Db, actor: Actor, rows: UnitImportRow[]): Promise<UnitImportResult> {
  return db.transaction(async (tx) => {
    const existing = await listUnits(tx, actor.scopePath);
    const byName = new Map<string, UnitRow[]>();
    for (const u of existing) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
    const rowByName = new Map<string, UnitImportRow>();
    const problems: string[] = [];
    for (const r of rows) {
      if (rowByName.has(r.name)) problems.push(`第${r.line}行:单位「${r.name}」在文件中重复出现。`);
      rowByName.set(r.name, r);
    }
    for (const r of rows) {
      if (r.kind && !kindByLabel.has(r.kind)) {
        problems.push(
          `第${r.line}行:单位类型「${r.kind}」无法识别,可填:${Object.values(unitKindLabels).join("、")}。`,
        );
      }
      if (r.parentName) {
        const candidates = byName.get(r.parentName) ?? [];
        if (candidates.length > 1 && !rowByName.has(r.parentName)) {
          problems.push(`第${r.line}行:上级单位「${r.parentName}」有重名,请在目录中先改名以区分。`);
        } else if (candidates.length === 0 && !rowByName.has(r.parentName)) {
          problems.push(`第${r.line}行:上级单位「${r.parentName}」既不在目录中,也不在本文件中。`);
        }
      } else if (actor.scopePath !== null && !existing.some((u) => u.name === r.name)) {
        problems.push(`第${r.line}行:「${r.name}」没有填写上级单位。`);
      }
    }
    // Cycles among the file's own rows.
    for (const r of rows) {
      const seen = new Set<string>([r.name]);
      let p = r.parentName;
      while (p && rowByName.has(p)) {
        if (seen.has(p)) {
          problems.push(`第${r.line}行:上级单位关系成环(${[...seen].join(" → ")})。`);
          break;
        }
        seen.add(p);
        p = rowByName.get(p)?.parentName ?? null;
      }
    }
    if (problems.length) {
      throw new DomainError(
        "INVALID_INPUT",
        `文件中有 ${problems.length} 处问题,未导入任何单位:\n${problems.slice(0, 20).join("\n")}`,
        {
          details: { problems },
        },
      );
    }

    let created = 0;
    let updated = 0;
    const resolved = new Map<string, UnitRow>();
    const resolve = async (r: UnitImportRow, depth = 0): Promise<UnitRow> => {
      const done = resolved.get(r.name);
      if (done) return done;
      let parentId: number | null = null;
      if (r.parentName) {
        const parentRow = rowByName.get(r.parentName);
        const parent =
          parentRow && depth < 64 ? await resolve(parentRow, depth + 1) : byName.get(r.parentName)?.[0];
        parentId = parent?.id ?? null;
      }
      const kind = (r.kind && kindByLabel.get(r.kind)) || "department";
      const current =
        (byName.get(r.name) ?? []).find((u) => u.parentId === parentId) ?? byName.get(r.name)?.[0];
      const input: UnitInput = {
        parentId: r.parentName ? parentId : (current?.parentId ?? null),
        name: r.name,
        shortName: r.shortName ?? current?.shortName ?? null,
        kind: r.kind ? kind : (current?.kind ?? kind),
        regionCode: r.regionCode ?? current?.regionCode ?? null,
        aliases: [...new Set([...(current?.aliases ?? []), ...r.aliases])],
      };
      let unit: UnitRow;
      if (current) {
        unit = await updateUnit(tx, actor, current.id, input);
        updated++;
      } else {
        unit = await createUnit(tx, actor, input);
        created++;
      }
      resolved.set(r.name, unit);
      return unit;
    };
    for (const r of rows) await resolve(r);

    let groupsCreated = 0;
    let memberships = 0;
    const groupNames = [...new Set(rows.flatMap((r) => r.groups))];
    if (groupNames.length) {
      const ownerUnitId = actor.scopePath === null ? null : actor.unitId;
      const groups = await listGroups(tx, actor.scopePath);
      for (const name of groupNames) {
        const memberIds = rows
          .filter((r) => r.groups.includes(name))
          .map((r) => resolved.get(r.name)?.id)
          .filter((id): id is number => id !== undefined);
        const group = groups.find((g) => g.name === name);
        if (group) {
          const all = [...new Set([...group.memberIds, ...memberIds])];
          memberships += all.length - group.memberIds.length;
          await updateGroup(tx, actor, group.id, { ...group, memberIds: all });
        } else {
          await createGroup(tx, actor, { ownerUnitId, name, memberIds });
          groupsCreated++;
          memberships += memberIds.length;
        }
      }
    }
    return { created, updated, groupsCreated, memberships };
  });
}
