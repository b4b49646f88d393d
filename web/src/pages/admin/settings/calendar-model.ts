import { DAY_NAMES, minutesOfDay } from "../../../../../common/calendars.ts";
import type { FieldErrors } from "../../../lib/form-errors.ts";

/** One weekly working interval as the form edits it (text until it is sent). */
export interface HourRow {
  key: number;
  day: string;
  start: string;
  end: string;
}

export interface HolidayRow {
  key: number;
  date: string;
  name: string;
  yearly: boolean;
}

export const DAY_OPTIONS = DAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));
export const DAY_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

let nextKey = 1;
export const rowKey = () => nextKey++;

export const toHourRows = (hours: { day: number; start: string; end: string }[]): HourRow[] =>
  hours.map((h) => ({ key: rowKey(), day: String(h.day), start: h.start, end: h.end }));
export const toHolidayRows = (holidays: { date: string; name: string; yearly: boolean }[]): HolidayRow[] =>
  holidays.map((h) => ({ key: rowKey(), ...h }));

export const hoursBody = (rows: HourRow[]) =>
  rows.map((r) => ({ day: Number(r.day), start: r.start.trim(), end: r.end.trim() }));
export const holidaysBody = (rows: HolidayRow[]) =>
  rows.map((r) => ({ date: r.date, name: r.name.trim(), yearly: r.yearly }));

/** Monday to Friday, 09:00–17:00. */
export const officeHours = (): HourRow[] =>
  [1, 2, 3, 4, 5].map((day) => ({ key: rowKey(), day: String(day), start: "09:00", end: "17:00" }));

/** "9:5" and "0930" become "09:05" and "09:30" when they leave the field. */
export function tidyTime(value: string): string {
  const v = value.trim();
  const parts = /^(\d{1,2})[:.h]?(\d{2})?$/.exec(v) ?? /^(\d{1,2}):(\d{1,2})$/.exec(v);
  if (!parts) return v;
  const [, h = "", m = "00"] = parts;
  return `${h.padStart(2, "0")}:${m.padStart(2, "0")}`;
}

/** The checks the server makes that need no other row, so the obvious mistakes show at once. */
export function validateRows(hours: HourRow[], holidays: HolidayRow[]): FieldErrors {
  const errors: FieldErrors = {};
  hours.forEach((h, i) => {
    if (!START.test(h.start.trim())) errors[`hours.${i}.start`] = "Use HH:MM, 00:00–23:59";
    if (!END.test(h.end.trim())) errors[`hours.${i}.end`] = "Use HH:MM, up to 24:00";
    else if (START.test(h.start.trim()) && minutesOfDay(h.end) <= minutesOfDay(h.start)) {
      errors[`hours.${i}.end`] = "Must be after the start";
    }
  });
  holidays.forEach((h, i) => {
    if (!DATE.test(h.date)) errors[`holidays.${i}.date`] = "Pick a date";
    if (!h.name.trim()) errors[`holidays.${i}.name`] = "Name the holiday";
  });
  return errors;
}

/** "Mon–Fri 09:00–17:00; Sat 10:00–14:00", or "24×7" when there are no hours. */
export function hoursSummary(hours: { day: number; start: string; end: string }[]): string {
  if (hours.length === 0) return "24×7";
  const perDay = DAY_NAMES.map((_, i) =>
    hours
      .filter((h) => h.day === i + 1)
      .map((h) => `${h.start}–${h.end}`)
      .join(", "),
  );
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    const spans = perDay[i];
    let j = i;
    while (j + 1 < 7 && perDay[j + 1] === spans) j++;
    if (spans) parts.push(`${DAY_NAMES[i]}${j > i ? `–${DAY_NAMES[j]}` : ""} ${spans}`);
    i = j + 1;
  }
  return parts.join("; ");
}

/** The browser's own zone. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

let zones: string[] | null = null;
/** Every IANA zone the browser knows, UTC included. */
export function timeZones(): string[] {
  if (!zones) {
    const listed = Intl.supportedValuesOf("timeZone");
    zones = listed.includes("UTC") ? listed : ["UTC", ...listed];
  }
  return zones;
}
