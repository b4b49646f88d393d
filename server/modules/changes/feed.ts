import { randomBytes } from "node:crypto";
import { changeNumber } from "../../../common/changes.ts";
import { inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { sha256 } from "../../platform/secrets.ts";
import { userSummaries } from "../identity/index.ts";
import { type CalendarStatus, calendarFeed } from "./engine/index.ts";

/** A new secret feed address for the caller (the old one stops working); shown once. */
export async function rotateFeedToken(deps: Deps, ctx: RequestContext, origin: string) {
  const token = `cal_${randomBytes(24).toString("hex")}`;
  await inTransaction(deps.db, async (tx) => {
    await tx
      .insertInto("calendar_feed_tokens")
      .values({ user_id: ctx.actor.id, token_hash: sha256(token), created_at: deps.now() })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ token_hash: sha256(token), created_at: deps.now() }))
      .execute();
    await recordChange(tx, ctx, {
      entityType: "calendar_feed_token",
      entityId: ctx.actor.id,
      action: "rotated",
      before: null,
      after: { userId: ctx.actor.id },
    });
  });
  return { url: `${origin}/api/v1/changes/calendar.ics?token=${token}` };
}

const STATUS: Record<string, CalendarStatus> = {
  draft: "tentative",
  assessment: "tentative",
  authorization: "tentative",
  canceled: "cancelled",
  rejected: "cancelled",
};

/**
 * The change calendar as RFC 5545, for the holder of a feed token who may
 * still read changes: changes with a window from 30 days back, cancelled and
 * rejected ones marked cancelled; SEQUENCE follows the plan revision (and one
 * more once cancelled).
 */
export async function calendarIcs(deps: Deps, token: string, origin: string): Promise<string> {
  // Without a well-formed token there is no calendar to speak of (a 404, like a wrong one).
  if (!/^cal_[0-9a-f]{48}$/.test(token)) throw new NotFound("Calendar");
  const row = await deps.db
    .selectFrom("calendar_feed_tokens")
    .select("user_id")
    .where("token_hash", "=", sha256(token))
    .executeTakeFirst();
  const [user] = row ? await userSummaries(deps.db, [row.user_id]) : [];
  if (!user?.active || user.kind !== "agent") throw new NotFound("Calendar");
  const since = new Date(deps.now().getTime() - 30 * 86_400_000);
  const changes = await deps.db
    .selectFrom("changes")
    .selectAll()
    .where("planned_start", "is not", null)
    .where("planned_end", ">", since)
    .orderBy("planned_start")
    .limit(5000)
    .execute();
  // The Host header is the client's to send: a malformed one must not break the feed.
  const host = URL.canParse(origin) ? new URL(origin).hostname || "steward.local" : "steward.local";
  return calendarFeed(
    changes.map((c) => {
      const status = STATUS[c.state] ?? "confirmed";
      return {
        id: c.id,
        number: changeNumber(c.number),
        title: c.title,
        start: c.planned_start as Date,
        end: c.planned_end as Date,
        status,
        sequence: c.plan_revision + (status === "cancelled" ? 1 : 0),
        updatedAt: c.updated_at,
        createdAt: c.created_at,
        description: [c.description, c.rollback_plan ? `Rollback: ${c.rollback_plan}` : ""]
          .filter(Boolean)
          .join("\n\n"),
        url: `${origin}/changes/${c.id}`,
      };
    }),
    { host, name: "Steward changes", refreshMinutes: 15 },
  );
}
