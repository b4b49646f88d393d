import { type SqlBool, sql } from "kysely";
import type { Executor } from "../../db/database.ts";
import { decodeCursor, likePattern } from "../../platform/pagination.ts";

/** All SQL on the calendars table. */

export interface CalendarFilter {
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Keyset condition for lists ordered by (name, id). */
function afterNameCursor(cursor: string) {
  const [name, id] = decodeCursor(cursor, ["string", "string"]) as [string, string];
  if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
  return sql<SqlBool>`(name, id) > (${name}, ${id}::uuid)`;
}

export async function listCalendars(db: Executor, f: CalendarFilter) {
  let query = db.selectFrom("calendars").selectAll();
  if (f.q) query = query.where("name", "ilike", likePattern(f.q));
  if (f.cursor) query = query.where(afterNameCursor(f.cursor));
  return query
    .orderBy("name")
    .orderBy("id")
    .limit(f.limit + 1)
    .execute();
}

export function findCalendar(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("calendars").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function calendarNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("calendars").select("id").where(sql<SqlBool>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export interface CalendarValues {
  name: string;
  timezone: string;
  hours: unknown[];
  holidays: unknown[];
}

export function insertCalendar(db: Executor, v: CalendarValues) {
  return db
    .insertInto("calendars")
    .values({ ...v, hours: JSON.stringify(v.hours), holidays: JSON.stringify(v.holidays) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateCalendar(db: Executor, id: string, v: CalendarValues & { version: number; updatedAt: Date }) {
  return db
    .updateTable("calendars")
    .set({
      name: v.name,
      timezone: v.timezone,
      hours: JSON.stringify(v.hours),
      holidays: JSON.stringify(v.holidays),
      version: v.version,
      updated_at: v.updatedAt,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
