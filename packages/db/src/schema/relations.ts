import { relations } from "drizzle-orm";
import { plans, sections } from "./plans.ts";
import { deadlines, taskAssignments, tasks } from "./tasks.ts";
import { unitGroupMembers, unitGroups, units } from "./units.ts";
import { users } from "./users.ts";

export const unitsRelations = relations(units, ({ one, many }) => ({
  parent: one(units, { fields: [units.parentId], references: [units.id], relationName: "unitTree" }),
  children: many(units, { relationName: "unitTree" }),
}));

export const unitGroupsRelations = relations(unitGroups, ({ many, one }) => ({
  members: many(unitGroupMembers),
  owner: one(units, { fields: [unitGroups.ownerUnitId], references: [units.id] }),
}));

export const unitGroupMembersRelations = relations(unitGroupMembers, ({ one }) => ({
  group: one(unitGroups, { fields: [unitGroupMembers.groupId], references: [unitGroups.id] }),
  unit: one(units, { fields: [unitGroupMembers.unitId], references: [units.id] }),
}));

export const usersRelations = relations(users, ({ one }) => ({
  unit: one(units, { fields: [users.unitId], references: [units.id] }),
}));

export const plansRelations = relations(plans, ({ one, many }) => ({
  issuer: one(units, { fields: [plans.issuerUnitId], references: [units.id] }),
  sections: many(sections),
  tasks: many(tasks),
}));

export const sectionsRelations = relations(sections, ({ one, many }) => ({
  plan: one(plans, { fields: [sections.planId], references: [plans.id] }),
  tasks: many(tasks),
}));

export const tasksRelations = relations(tasks, ({ one, many }) => ({
  plan: one(plans, { fields: [tasks.planId], references: [plans.id] }),
  section: one(sections, { fields: [tasks.sectionId], references: [sections.id] }),
  assignments: many(taskAssignments),
  deadlines: many(deadlines),
}));

export const taskAssignmentsRelations = relations(taskAssignments, ({ one }) => ({
  task: one(tasks, { fields: [taskAssignments.taskId], references: [tasks.id] }),
  unit: one(units, { fields: [taskAssignments.unitId], references: [units.id] }),
  group: one(unitGroups, { fields: [taskAssignments.viaGroupId], references: [unitGroups.id] }),
}));

export const deadlinesRelations = relations(deadlines, ({ one }) => ({
  task: one(tasks, { fields: [deadlines.taskId], references: [tasks.id] }),
}));
