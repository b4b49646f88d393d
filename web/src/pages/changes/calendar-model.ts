import type { CalendarChange } from "../../api/change-admin.ts";
import { conflictCount } from "./calendar-labels.ts";

export type CalendarView = "month" | "week" | "list";
export const CALENDAR_VIEWS: CalendarView[] = ["month", "week", "list"];

/** Local midnight of the day `d` falls on. */
export function startOfDay(d: Date): Date {
  const x = new Date(d);
  x.setHours(0, 0, 0, 0);
  return x;
}

/** Calendar days, not 24-hour steps: a day across a DST switch is still one day. */
export function addDays(d: Date, n: number): Date {
  const x = new Date(d);
  x.setDate(x.getDate() + n);
  return x;
}

/** Weeks start on Monday. */
export function startOfWeek(d: Date): Date {
  const x = startOfDay(d);
  return addDays(x, -((x.getDay() + 6) % 7));
}

export const startOfMonth = (d: Date) => new Date(d.getFullYear(), d.getMonth(), 1);
export const addMonths = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth() + n, 1);

export interface Range {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** What a view shows around `anchor`: whole weeks covering the month, one week, or the month itself. */
export function visibleRange(view: CalendarView, anchor: Date): Range {
  if (view === "week") {
    const start = startOfWeek(anchor);
    return { start, end: addDays(start, 7) };
  }
  const first = startOfMonth(anchor);
  const next = addMonths(anchor, 1);
  if (view === "list") return { start: first, end: next };
  return { start: startOfWeek(first), end: addDays(startOfWeek(addDays(next, -1)), 7) };
}

export function step(view: CalendarView, anchor: Date, direction: 1 | -1): Date {
  return view === "week" ? addDays(startOfWeek(anchor), 7 * direction) : addMonths(anchor, direction);
}

export function daysOf(range: Range): Date[] {
  const out: Date[] = [];
  for (let d = range.start; d < range.end; d = addDays(d, 1)) out.push(d);
  return out;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

const monthTitle = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** "March 2026", or "2 Mar – 8 Mar 2026" for a week. */
export function periodTitle(view: CalendarView, anchor: Date): string {
  if (view !== "week") return monthTitle.format(anchor);
  const { start, end } = visibleRange("week", anchor);
  return `${dayMonth.format(start)} – ${dayMonthYear.format(addDays(end, -1))}`;
}

const periodNoun = (view: CalendarView) => (view === "week" ? "week" : "month");
export const previousLabel = (view: CalendarView) => `Previous ${periodNoun(view)}`;
export const nextLabel = (view: CalendarView) => `Next ${periodNoun(view)}`;

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const dayOnly = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });

export const formatTime = (d: Date) => time.format(d);
export const formatDay = (d: Date) => dayOnly.format(d);

/** "Tue 3 Mar, 22:00–23:30", or "Tue 3 Mar, 22:00 – Wed 4 Mar, 02:00". */
export function spanLabel(startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (sameDay(start, end)) return `${dayTime.format(start)}–${time.format(end)}`;
  return `${dayTime.format(start)} – ${dayTime.format(end)}`;
}

/** Conflicts that still matter: the owner has not accepted them. */
export const openConflicts = (c: CalendarChange) => (c.overridden ? [] : c.conflicts);

/** The accessible name of a change on the calendar: "CHG-000012 Patch DB — 2 conflicts". */
export function changeName(c: CalendarChange): string {
  const open = openConflicts(c).length;
  if (open > 0) return `${c.number} ${c.title} — ${conflictCount(open)}`;
  if (c.conflicts.length > 0) return `${c.number} ${c.title} — conflicts accepted`;
  return `${c.number} ${c.title}`;
}

export interface Timed {
  start: string;
  end: string;
}

export interface Placed<T> {
  item: T;
  /** Day columns 0–6 within the week, inclusive. */
  startCol: number;
  endCol: number;
  lane: number;
  /** It began before this week, or goes on after it. */
  continuesBefore: boolean;
  continuesAfter: boolean;
}

/**
 * Bars across one week, like a wall calendar: each item spans the days it touches (an end at midnight
 * does not touch the next day) and takes the first lane free on all of them. Longer items go first.
 */
export function layoutWeek<T extends Timed>(items: readonly T[], week: readonly Date[]): Placed<T>[] {
  const first = week[0];
  const last = week.at(-1);
  if (!first || !last) return [];
  const weekStart = first.getTime();
  const weekEnd = addDays(last, 1).getTime();
  const column = (t: number) => {
    let col = 0;
    week.forEach((d, i) => {
      if (d.getTime() <= t) col = i;
    });
    return col;
  };
  const placed: Omit<Placed<T>, "lane">[] = [];
  for (const item of items) {
    const s = Date.parse(item.start);
    const e = Math.max(Date.parse(item.end), s + 1);
    if (e <= weekStart || s >= weekEnd) continue;
    placed.push({
      item,
      startCol: column(Math.max(s, weekStart)),
      endCol: column(Math.min(e, weekEnd) - 1),
      continuesBefore: s < weekStart,
      continuesAfter: e > weekEnd,
    });
  }
  placed.sort(
    (a, b) =>
      a.startCol - b.startCol ||
      b.endCol - b.startCol - (a.endCol - a.startCol) ||
      Date.parse(a.item.start) - Date.parse(b.item.start),
  );
  const laneEnds: number[] = [];
  return placed.map((p) => {
    let lane = laneEnds.findIndex((end) => end < p.startCol);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = p.endCol;
    return { ...p, lane };
  });
}

export interface DayBlock<T> {
  item: T;
  /** Minutes after local midnight. */
  top: number;
  bottom: number;
  /** Side-by-side columns among the items it overlaps. */
  col: number;
  cols: number;
  continuesBefore: boolean;
  continuesAfter: boolean;
}

const minutesOf = (d: Date) => d.getHours() * 60 + d.getMinutes();

/** Items of one day on a 24-hour grid; overlapping ones share the width. */
export function layoutDay<T extends Timed>(items: readonly T[], day: Date): DayBlock<T>[] {
  const dayStart = day.getTime();
  const dayEnd = addDays(day, 1).getTime();
  const blocks: Omit<DayBlock<T>, "col" | "cols">[] = [];
  for (const item of items) {
    const s = Date.parse(item.start);
    const e = Date.parse(item.end);
    if (e <= dayStart || s >= dayEnd) continue;
    const top = s <= dayStart ? 0 : minutesOf(new Date(s));
    const bottom = e >= dayEnd ? 24 * 60 : minutesOf(new Date(e));
    blocks.push({
      item,
      top,
      bottom: Math.max(bottom, top + 15),
      continuesBefore: s < dayStart,
      continuesAfter: e > dayEnd,
    });
  }
  blocks.sort((a, b) => a.top - b.top || b.bottom - a.bottom);
  const out: DayBlock<T>[] = [];
  // Clusters of transitively overlapping blocks share one column count.
  let cluster: DayBlock<T>[] = [];
  let clusterEnd = -1;
  const flush = () => {
    const cols = Math.max(1, ...cluster.map((b) => b.col + 1));
    for (const b of cluster) out.push({ ...b, cols });
    cluster = [];
  };
  for (const b of blocks) {
    if (b.top >= clusterEnd && cluster.length) flush();
    const colEnds: number[] = [];
    for (const c of cluster) colEnds[c.col] = Math.max(colEnds[c.col] ?? -1, c.bottom);
    let col = 0;
    while ((colEnds[col] ?? -1) > b.top) col++;
    cluster.push({ ...b, col, cols: 1 });
    clusterEnd = Math.max(clusterEnd, b.bottom);
  }
  if (cluster.length) flush();
  return out;
}

/** Items touching [start, end). */
export function within<T extends Timed>(items: readonly T[], start: Date, end: Date): T[] {
  return items.filter((i) => Date.parse(i.end) > start.getTime() && Date.parse(i.start) < end.getTime());
}
