import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";

/**
 * Business calendars (SLA): an IANA time zone, weekly working intervals and
 * holidays. Every rule is checked here, by the schema, so the API, the web
 * form and the engine (server/modules/sla/calendar.ts) agree on what a valid
 * calendar is. Empty `hours` means 24×7 (holidays still apply).
 */

/** Upper bound of `minutes` in /add: ten years of minutes. */
export const MAX_ADD_MINUTES = 5_259_600;
/** /elapsed refuses spans longer than this many years. */
export const MAX_ELAPSED_YEARS = 100;
/** Instants the API takes: from 1900 up to (not including) 3000. */
export const INSTANT_MIN = Date.UTC(1900, 0, 1);
export const INSTANT_MAX = Date.UTC(3000, 0, 1);

export const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** "HH:MM" → minutes of the day; "24:00" is 1440. */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** An IANA zone name Intl knows (aliases included; bare offsets like "+01:00" are not zones). */
export function isKnownTimeZone(zone: string): boolean {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's spelling as IANA writes it ("europe/berlin" → "Europe/Berlin"); aliases stay aliases. */
export function canonicalTimeZone(zone: string): string {
  const lower = zone.toLowerCase();
  const listed = Intl.supportedValuesOf("timeZone").find((z) => z.toLowerCase() === lower);
  if (listed) return listed;
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === lower ? resolved : zone;
}

export const TimeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isKnownTimeZone, "unknown time zone: use an IANA name like Europe/Berlin")
  .transform(canonicalTimeZone);

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const WorkingIntervalSchema = z.strictObject({
  day: z.number().int().min(1).max(7).describe("1 = Monday … 7 = Sunday"),
  start: z.string().regex(START, 'must be "HH:MM" from 00:00 to 23:59'),
  end: z.string().regex(END, 'must be "HH:MM" from 00:01 to 24:00 (24:00 = end of day)'),
});
export type WorkingInterval = z.infer<typeof WorkingIntervalSchema>;

const label = (h: WorkingInterval) => `${DAY_NAMES[h.day - 1]} ${h.start}–${h.end}`;

/** Weekly working intervals, sorted by day and start; no inverted or overlapping ones (touching is fine). */
export const WorkingHoursSchema = z
  .array(WorkingIntervalSchema)
  .max(200)
  .superRefine((hours, ctx) => {
    // Intervals with a malformed field already have their issue; judge the rest.
    const wellFormed = hours.map((h, i) => ({ h, i })).filter(({ h }) => START.test(h.start) && END.test(h.end));
    for (const { h, i } of wellFormed) {
      if (minutesOfDay(h.start) >= minutesOfDay(h.end)) {
        ctx.addIssue({ code: "custom", path: [i, "end"], message: `must be after start (${h.start})` });
      }
    }
    const order = wellFormed.filter(({ h }) => minutesOfDay(h.start) < minutesOfDay(h.end));
    order.sort((a, b) => a.h.day - b.h.day || minutesOfDay(a.h.start) - minutesOfDay(b.h.start) || a.i - b.i);
    for (let k = 1; k < order.length; k++) {
      const prev = order[k - 1];
      const cur = order[k];
      if (!prev || !cur || prev.h.day !== cur.h.day) continue;
      if (minutesOfDay(cur.h.start) < minutesOfDay(prev.h.end)) {
        ctx.addIssue({
          code: "custom",
          path: [Math.max(prev.i, cur.i), "start"],
          message: `${label(cur.h)} overlaps hours[${Math.min(prev.i, cur.i)}] (${label(prev.h)})`,
        });
      }
    }
  })
  .transform((hours) =>
    hours
      .map((h) => ({ day: h.day, start: h.start, end: h.end }))
      .sort((a, b) => a.day - b.day || minutesOfDay(a.start) - minutesOfDay(b.start)),
  );

/** A real calendar date "YYYY-MM-DD" between 1900 and 2999. */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine((s) => {
    const [y, m, d] = s.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return y >= 1900 && y <= 2999 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, "not a date between 1900-01-01 and 2999-12-31");

export const HolidaySchema = z.strictObject({
  date: DateSchema,
  name: z.string().trim().min(1).max(200),
  yearly: z.boolean().default(false).describe("Every year on this month and day (29 February: leap years only)"),
});
export type Holiday = z.infer<typeof HolidaySchema>;

/** Holidays sorted by date; a date (or a yearly month-day) appears once; some day of the year stays open. */
export const HolidaysSchema = z
  .array(HolidaySchema)
  .max(2000)
  .superRefine((holidays, ctx) => {
    const fixed = new Map<string, number>();
    const yearly = new Map<string, number>();
    holidays.forEach((h, i) => {
      const seen = h.yearly ? yearly : fixed;
      const key = h.yearly ? h.date.slice(5) : h.date;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: [i, "date"], message: `duplicate of holidays[${first}] (${key})` });
      } else seen.set(key, i);
    });
    holidays.forEach((h, i) => {
      const every = yearly.get(h.date.slice(5));
      if (!h.yearly && every !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "date"],
          message: `already a holiday every year (holidays[${every}])`,
        });
      }
    });
    if (yearly.size >= 366) {
      ctx.addIssue({ code: "custom", path: [], message: "every day of the year is a holiday: no working time left" });
    }
  })
  .transform((holidays) =>
    holidays
      .map((h) => ({ date: h.date, name: h.name, yearly: h.yearly }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  );

/** What the engine compiles: zone, hours, holidays. */
export const CalendarDefinitionSchema = z.strictObject({
  timezone: TimeZoneSchema,
  hours: WorkingHoursSchema.describe("Weekly working intervals; empty = 24×7"),
  holidays: HolidaysSchema.default([]),
});
export type CalendarDefinition = z.infer<typeof CalendarDefinitionSchema>;
export type CalendarDefinitionInput = z.input<typeof CalendarDefinitionSchema>;

const name = z.string().trim().min(1).max(200);

export const CalendarCreateSchema = z.strictObject({
  name,
  timezone: TimeZoneSchema,
  hours: WorkingHoursSchema.describe("Weekly working intervals; empty = 24×7"),
  holidays: HolidaysSchema.default([]),
});
export type CalendarCreate = z.infer<typeof CalendarCreateSchema>;

export const CalendarUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  name: name.optional(),
  timezone: TimeZoneSchema.optional(),
  hours: WorkingHoursSchema.optional().describe("Replaces all intervals"),
  holidays: HolidaysSchema.optional().describe("Replaces all holidays"),
});
export type CalendarUpdate = z.infer<typeof CalendarUpdateSchema>;

export const CalendarSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  timezone: z.string(),
  hours: z.array(z.object({ day: z.number().int(), start: z.string(), end: z.string() })),
  holidays: z.array(z.object({ date: z.string(), name: z.string(), yearly: z.boolean() })),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type Calendar = z.infer<typeof CalendarSchema>;
export const CalendarPageSchema = pageOf(CalendarSchema);

export const CalendarListQuerySchema = z.strictObject({
  ...ListQueryBase,
  q: z.string().trim().max(200).optional().describe("Matches the name"),
});
export type CalendarListQuery = z.infer<typeof CalendarListQuerySchema>;

/** An ISO-8601 instant with an offset, from 1900 up to 3000. */
export const InstantSchema = TimestampSchema.refine((s) => {
  const t = Date.parse(s);
  return t >= INSTANT_MIN && t < INSTANT_MAX;
}, "must be between 1900-01-01 and 2999-12-31").transform((s) => new Date(s));

export const CalendarAddSchema = z.strictObject({
  start: InstantSchema,
  minutes: z.number().int().min(0).max(MAX_ADD_MINUTES).describe("Working minutes to add"),
});
export type CalendarAdd = z.infer<typeof CalendarAddSchema>;
export const CalendarAddResultSchema = z.object({
  dueAt: TimestampSchema.describe("When `minutes` working minutes after `start` have passed"),
});

export const CalendarElapsedSchema = z
  .strictObject({ from: InstantSchema, to: InstantSchema })
  .refine((b) => Math.abs(b.to.getTime() - b.from.getTime()) <= MAX_ELAPSED_YEARS * 365.25 * 86_400_000, {
    path: ["to"],
    message: `must be within ${MAX_ELAPSED_YEARS} years of from`,
  });
export type CalendarElapsed = z.infer<typeof CalendarElapsedSchema>;
export const CalendarElapsedResultSchema = z.object({
  minutes: z.number().describe("Working minutes from `from` to `to`; negative when `to` is before `from`"),
});
