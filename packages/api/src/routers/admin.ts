import { deleteCalendarDays, listAudit, listCalendarDays, upsertCalendarDays } from "@gongkai/db";
import { calendarDaysInput, calendarDeleteInput, year } from "@gongkai/validators";
import { z } from "zod";
import { adminProcedure, officeProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          entityType: z.string().max(50).optional(),
          entityId: z.string().max(50).optional(),
          beforeId: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});

export const calendarRouter = router({
  list: officeProcedure
    .input(z.object({ year }))
    .query(({ ctx, input }) => listCalendarDays(ctx.db, input.year)),
  /**
   * Add or correct holidays and 调休 days (next year's schedule when it is announced). The State
   * Council's schedule is every government's: the system administrator keeps it, not one
   * county's office (which once moved everyone's due dates).
   */
  upsert: adminProcedure
    .input(calendarDaysInput)
    .mutation(({ ctx, input }) => upsertCalendarDays(ctx.db, ctx.actor, input.days)),
  delete: adminProcedure
    .input(calendarDeleteInput)
    .mutation(({ ctx, input }) => deleteCalendarDays(ctx.db, ctx.actor, input.dates)),
});
