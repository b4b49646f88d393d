import type { z } from "zod";
import type { ReviewUpdateSchema } from "../../../common/changes.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { incidentsOnCis, readableTicketSummaries } from "../tickets/index.ts";
import { changeSettings } from "./risk.ts";

const HOUR = 3_600_000;

type ReviewedChange = {
  id: string;
  planned_start: Date | null;
  planned_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
};

/** From the change's start until the review window after its end; null before it started. */
export function followWindow(c: ReviewedChange, windowHours: number): { from: Date; to: Date } | null {
  const from = c.actual_start;
  if (!from) return null;
  const end = c.actual_end ?? c.planned_end ?? from;
  return { from, to: new Date(end.getTime() + windowHours * HOUR) };
}

async function cisOf(db: Executor, changeIds: string[]) {
  const map = new Map<string, string[]>(changeIds.map((id) => [id, []]));
  for (let i = 0; i < changeIds.length; i += 5000) {
    const rows = await db
      .selectFrom("change_cis")
      .select(["change_id", "ci_id"])
      .where("change_id", "in", changeIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) map.get(r.change_id)?.push(r.ci_id);
  }
  return map;
}

export async function changeReview(deps: Deps, ctx: RequestContext, id: string) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Change");
  const change = await deps.db.selectFrom("changes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!change) throw new NotFound("Change");
  const { reviewWindowHours } = await changeSettings(deps.db);
  const window = followWindow(change, reviewWindowHours);
  const ciIds = (await cisOf(deps.db, [id])).get(id) ?? [];
  const found = window ? await incidentsOnCis(deps.db, ciIds, window.from, window.to) : [];
  const created = new Map(found.map((f) => [f.id, f.createdAt]));
  const tickets = await readableTicketSummaries(deps.db, ctx.actor, [...created.keys()]);
  return {
    outcome: change.review_outcome,
    notes: change.review_notes,
    reviewedById: change.reviewed_by,
    reviewedAt: change.reviewed_at?.toISOString() ?? null,
    windowHours: reviewWindowHours,
    incidents: tickets
      .map((t) => ({
        id: t.id,
        number: t.number,
        title: t.title,
        state: t.state,
        createdAt: (created.get(t.id) as Date).toISOString(),
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** The post-implementation review: outcome and notes, while the change is in review. */
export async function recordReview(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof ReviewUpdateSchema>,
) {
  await inTransaction(deps.db, async (tx) => {
    const change = await tx.selectFrom("changes").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!change || !can(ctx.actor, "change.read")) throw new NotFound("Change");
    if (!can(ctx.actor, "change.update")) throw new Forbidden("You may not review changes");
    if (change.state !== "review") {
      throw new Conflict(`The change is ${change.state.replace("_", " ")}; it is reviewed in review`, [
        { field: "body.outcome", message: "not in review" },
      ]);
    }
    const now = deps.now();
    await tx
      .updateTable("changes")
      .set({
        review_outcome: input.outcome,
        review_notes: input.notes,
        reviewed_by: ctx.actor.id,
        reviewed_at: now,
        version: change.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: id,
      action: "reviewed",
      before: { reviewOutcome: change.review_outcome, reviewNotes: change.review_notes },
      after: { reviewOutcome: input.outcome, reviewNotes: input.notes },
    });
  });
  return changeReview(deps, ctx, id);
}

const month = (d: Date) => d.toISOString().slice(0, 7);

/**
 * `GET /changes/report`: the changes planned to start in [from, to): how
 * many of each type, the emergency share, review outcomes and success rate,
 * and how many were followed by incidents on their CIs within the review
 * window; also per month (UTC).
 */
export async function changeReport(deps: Deps, ctx: RequestContext, query: { from: string; to: string }) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Report");
  const from = new Date(query.from);
  const to = new Date(query.to);
  const rows = await deps.db
    .selectFrom("changes")
    .select([
      "id",
      "number",
      "type",
      "state",
      "planned_start",
      "planned_end",
      "actual_start",
      "actual_end",
      "review_outcome",
    ])
    .where("planned_start", ">=", from)
    .where("planned_start", "<", to)
    .where("state", "<>", "canceled")
    .orderBy("planned_start")
    .limit(100_000)
    .execute();
  const { reviewWindowHours } = await changeSettings(deps.db);
  const cis = await cisOf(
    deps.db,
    rows.map((r) => r.id),
  );
  // One query over the whole span, matched per change in memory.
  const windows = new Map(rows.map((r) => [r.id, followWindow(r, reviewWindowHours)]));
  const spans = [...windows.values()].filter((w): w is { from: Date; to: Date } => w !== null);
  const followed = new Set<string>();
  if (spans.length) {
    const lo = new Date(Math.min(...spans.map((w) => w.from.getTime())));
    const hi = new Date(Math.max(...spans.map((w) => w.to.getTime())));
    const allCis = [...new Set([...cis.values()].flat())];
    const byCi = new Map<string, Date[]>();
    for (const i of await incidentsOnCis(deps.db, allCis, lo, hi)) {
      const list = byCi.get(i.ciId) ?? [];
      list.push(i.createdAt);
      byCi.set(i.ciId, list);
    }
    for (const r of rows) {
      const w = windows.get(r.id);
      if (!w) continue;
      const hit = (cis.get(r.id) ?? []).some((ci) => (byCi.get(ci) ?? []).some((t) => t >= w.from && t < w.to));
      if (hit) followed.add(r.id);
    }
  }
  const byType = { standard: 0, normal: 0, emergency: 0 };
  const byOutcome = { successful: 0, partially_successful: 0, failed: 0, rolled_back: 0 };
  type MonthFigures = {
    total: number;
    emergency: number;
    successful: number;
    failed: number;
    followedByIncidents: number;
  };
  const empty = (): MonthFigures => ({ total: 0, emergency: 0, successful: 0, failed: 0, followedByIncidents: 0 });
  const months = new Map<string, MonthFigures>();
  // Every month of the range is listed, empty ones too (at most ten years of them).
  for (let d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)); d < to && months.size < 120; ) {
    months.set(month(d), empty());
    d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  for (const r of rows) {
    byType[r.type] += 1;
    if (r.review_outcome) byOutcome[r.review_outcome] += 1;
    const key = month(r.planned_start as Date);
    const m = months.get(key) ?? empty();
    m.total += 1;
    if (r.type === "emergency") m.emergency += 1;
    if (r.review_outcome === "successful") m.successful += 1;
    if (r.review_outcome === "failed" || r.review_outcome === "rolled_back") m.failed += 1;
    if (followed.has(r.id)) m.followedByIncidents += 1;
    months.set(key, m);
  }
  const reviewed = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: rows.length,
    byType,
    emergencyShare: rows.length ? byType.emergency / rows.length : 0,
    reviewed,
    byOutcome,
    successRate: reviewed ? byOutcome.successful / reviewed : null,
    followedByIncidents: followed.size,
    months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([m, v]) => ({ month: m, ...v })),
  };
}
