const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : "—";
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 days ago", "in 2 hours", "now"; "Never" for null. */
export function formatRelative(iso: string | null | undefined, never = "Never"): string {
  if (!iso) return never;
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, "minute");
}

/**
 * A span of minutes in words: "45 min", "2 h 10 min", "8 h". Working time stays in hours (a working
 * "day" has no fixed length); with `days`, wall-clock spans of a day or more read "2 d 3 h".
 */
export function formatMinutes(total: number, options: { days?: boolean } = {}): string {
  const minutes = Math.max(0, Math.round(total));
  if (options.days && minutes >= 24 * 60) {
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 25 Nov 2025, 09:00", in `timeZone` (default: the browser's). */
export function formatDateTime(iso: string | Date, timeZone?: string): string {
  const key = timeZone ?? "";
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    dateTimeFormats.set(key, format);
  }
  return format.format(typeof iso === "string" ? new Date(iso) : iso);
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "09:30" today, "Tue 25 Nov, 09:30" on any other day. */
export function formatMoment(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dayAndTime.format(date);
}
