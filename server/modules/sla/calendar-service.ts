import type { Selectable } from "kysely";
import type {
  Calendar,
  CalendarAdd,
  CalendarCreate,
  CalendarDefinition,
  CalendarElapsed,
  CalendarListQuery,
  CalendarUpdate,
} from "../../../common/calendars.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import type { CalendarsTable } from "../../db/types.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { page } from "../../platform/pagination.ts";
import { expectedVersion } from "../../platform/versioning.ts";
import { type BusinessCalendar, compileCalendar, InvalidCalendarError, NoWorkingTimeError } from "./calendar.ts";
import * as repo from "./calendar-repository.ts";
import { canManageCalendar, canReadCalendar } from "./policy.ts";

type CalendarRow = Selectable<CalendarsTable>;

const nameTaken = () =>
  new Conflict("A calendar with this name already exists", [{ field: "body.name", message: "already in use" }]);

/** Rows hold what the schema produced (sorted, canonical); jsonb may reorder keys, so rebuild each entry. */
function definitionOf(row: CalendarRow): CalendarDefinition {
  const hours = (row.hours as CalendarDefinition["hours"]).map((h) => ({ day: h.day, start: h.start, end: h.end }));
  const holidays = (row.holidays as CalendarDefinition["holidays"]).map((h) => ({
    date: h.date,
    name: h.name,
    yearly: h.yearly === true,
  }));
  return { timezone: row.timezone, hours, holidays };
}

export function presentCalendar(row: CalendarRow, actor: Actor): Calendar {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    ...definitionOf(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: canManageCalendar(actor) },
  };
}

export async function listCalendars(deps: Deps, ctx: RequestContext, query: CalendarListQuery) {
  if (!canReadCalendar(ctx.actor)) return { items: [], nextCursor: null };
  const rows = await repo.listCalendars(deps.db, query);
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  return { items: result.items.map((r) => presentCalendar(r, ctx.actor)), nextCursor: result.nextCursor };
}

export async function getCalendar(deps: Deps, ctx: RequestContext, id: string): Promise<Calendar> {
  const row = await repo.findCalendar(deps.db, id);
  if (!row || !canReadCalendar(ctx.actor)) throw new NotFound("Calendar");
  return presentCalendar(row, ctx.actor);
}

export async function createCalendar(deps: Deps, ctx: RequestContext, input: CalendarCreate): Promise<Calendar> {
  if (!canManageCalendar(ctx.actor)) throw new Forbidden("You may not create calendars");
  return inTransaction(deps.db, async (tx) => {
    if (await repo.calendarNameTaken(tx, input.name)) throw nameTaken();
    const row = await repo.insertCalendar(tx, input);
    const calendar = presentCalendar(row, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "calendar",
      entityId: row.id,
      action: "created",
      before: null,
      after: calendar,
    });
    return calendar;
  });
}

export async function updateCalendar(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: CalendarUpdate,
  ifMatch?: number,
): Promise<Calendar> {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await repo.findCalendar(tx, id, true);
    if (!row || !canReadCalendar(ctx.actor)) throw new NotFound("Calendar");
    if (!canManageCalendar(ctx.actor)) throw new Forbidden("You may not edit this calendar");
    if (row.version !== expected) throw new StaleVersion("Calendar", row.version);
    const before = presentCalendar(row, ctx.actor);
    const next = {
      name: input.name ?? before.name,
      timezone: input.timezone ?? before.timezone,
      hours: input.hours ?? before.hours,
      holidays: input.holidays ?? before.holidays,
    };
    const same = (k: keyof typeof next) => JSON.stringify(next[k]) === JSON.stringify(before[k]);
    if (same("name") && same("timezone") && same("hours") && same("holidays")) return before;
    if (!same("name") && (await repo.calendarNameTaken(tx, next.name, id))) throw nameTaken();
    const updated = await repo.updateCalendar(tx, id, { ...next, version: row.version + 1, updatedAt: deps.now() });
    const after = presentCalendar(updated, ctx.actor);
    await recordChange(tx, ctx, { entityType: "calendar", entityId: id, action: "updated", before, after });
    return after;
  });
}

// ---- working time ----

const compiled = new Map<string, { version: number; calendar: BusinessCalendar }>();
const MAX_COMPILED = 200;

/**
 * The compiled engine of a stored calendar (compiled once per version and
 * kept, bounded), or null when there is no such calendar. For other modules:
 * no permission check, the caller decides what its actor may see.
 */
export async function businessCalendar(db: Executor, id: string): Promise<BusinessCalendar | null> {
  const row = await repo.findCalendar(db, id);
  return row ? compiledOf(row) : null;
}

function compiledOf(row: CalendarRow): BusinessCalendar {
  const hit = compiled.get(row.id);
  if (hit && hit.version === row.version) return hit.calendar;
  const calendar = compileCalendar(definitionOf(row));
  compiled.delete(row.id);
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(row.id, { version: row.version, calendar });
  return calendar;
}

async function readable(deps: Deps, ctx: RequestContext, id: string): Promise<BusinessCalendar> {
  const row = await repo.findCalendar(deps.db, id);
  if (!row || !canReadCalendar(ctx.actor)) throw new NotFound("Calendar");
  try {
    return compiledOf(row);
  } catch (error) {
    // A stored calendar the rules no longer accept (e.g. a time zone dropped from the zone database).
    if (error instanceof InvalidCalendarError) {
      throw new Invalid(error.issues.map((i) => ({ field: `calendar.${i.path}`, message: i.message })));
    }
    throw error;
  }
}

export async function addMinutes(deps: Deps, ctx: RequestContext, id: string, input: CalendarAdd) {
  const calendar = await readable(deps, ctx, id);
  try {
    return { dueAt: calendar.addWorkingMinutes(input.start, input.minutes).toISOString() };
  } catch (error) {
    if (error instanceof NoWorkingTimeError) throw new Invalid([{ field: "body.minutes", message: error.message }]);
    throw error;
  }
}

export async function elapsedMinutes(deps: Deps, ctx: RequestContext, id: string, input: CalendarElapsed) {
  const calendar = await readable(deps, ctx, id);
  return { minutes: calendar.workingMinutesBetween(input.from, input.to) };
}
