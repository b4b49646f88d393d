import { formatMinutes } from "../../../lib/format.ts";

export const WEEKDAYS = [
  { code: "MO", short: "Mon", long: "Monday" },
  { code: "TU", short: "Tue", long: "Tuesday" },
  { code: "WE", short: "Wed", long: "Wednesday" },
  { code: "TH", short: "Thu", long: "Thursday" },
  { code: "FR", short: "Fri", long: "Friday" },
  { code: "SA", short: "Sat", long: "Saturday" },
  { code: "SU", short: "Sun", long: "Sunday" },
] as const;
export type Weekday = (typeof WEEKDAYS)[number]["code"];

export type Repeat =
  | { kind: "weekly"; interval: number; days: Weekday[] }
  | { kind: "monthly"; interval: number; day: number }
  | { kind: "custom"; rule: string };

/** The RRULE (without the "RRULE:" prefix) a repeat stands for. */
export function toRrule(r: Repeat): string {
  if (r.kind === "custom") return r.rule.trim().replace(/^RRULE:/i, "");
  const every = r.interval > 1 ? `;INTERVAL=${r.interval}` : "";
  if (r.kind === "weekly") {
    const days = WEEKDAYS.filter((d) => r.days.includes(d.code)).map((d) => d.code);
    return `FREQ=WEEKLY${every};BYDAY=${days.join(",")}`;
  }
  return `FREQ=MONTHLY${every};BYMONTHDAY=${r.day}`;
}

/** The weekday of a local "YYYY-MM-DDTHH:MM", as RRULE names it. */
export function weekdayOf(local: string): Weekday | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return WEEKDAYS[(d.getUTCDay() + 6) % 7]?.code ?? null;
}

export function dayOfMonthOf(local: string): number | null {
  const m = /^\d{4}-\d{2}-(\d{2})/.exec(local);
  return m ? Number(m[1]) : null;
}

const ordinal = (n: number) => {
  if (n === -1) return "last day";
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${s}`;
};

function parts(rrule: string): Map<string, string> {
  return new Map(
    rrule
      .replace(/^RRULE:/i, "")
      .split(";")
      .map((p) => p.split("=") as [string, string])
      .filter(([k, v]) => k && v !== undefined)
      .map(([k, v]) => [k.toUpperCase(), v.toUpperCase()]),
  );
}

/** "Every Sunday", "Every 2 weeks on Mon, Thu", "Monthly on the 1st"; null when it is beyond these words. */
export function describeRrule(rrule: string): string | null {
  const p = parts(rrule);
  const interval = Number(p.get("INTERVAL") ?? "1");
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY"]);
  if ([...p.keys()].some((k) => !known.has(k)) || !Number.isInteger(interval) || interval < 1) return null;
  const freq = p.get("FREQ");
  if (freq === "DAILY" && !p.has("BYDAY") && !p.has("BYMONTHDAY")) {
    return interval === 1 ? "Every day" : `Every ${interval} days`;
  }
  if (freq === "WEEKLY" && !p.has("BYMONTHDAY")) {
    const codes = (p.get("BYDAY") ?? "").split(",").filter(Boolean);
    const days = codes.map((c) => WEEKDAYS.find((d) => d.code === c));
    if (days.some((d) => !d)) return null;
    if (days.length === 0) return interval === 1 ? "Every week" : `Every ${interval} weeks`;
    if (interval === 1 && days.length === 1) return `Every ${days[0]?.long}`;
    const names = days.map((d) => d?.short).join(", ");
    return interval === 1 ? `Every week on ${names}` : `Every ${interval} weeks on ${names}`;
  }
  if (freq === "MONTHLY" && !p.has("BYDAY")) {
    const day = Number(p.get("BYMONTHDAY") ?? "");
    if (!Number.isInteger(day) || day === 0) return null;
    const on = `on the ${ordinal(day)}`;
    return interval === 1 ? `Monthly ${on}` : `Every ${interval} months ${on}`;
  }
  return null;
}

/** "Every Sunday at 02:00 for 4 h (Europe/Berlin)". */
export function describeRecurrence(w: {
  rrule: string;
  dtstart: string | null;
  durationMinutes: number | null;
  timezone: string | null;
}): string {
  const rule = describeRrule(w.rrule) ?? w.rrule;
  const at = w.dtstart ? ` at ${w.dtstart.slice(11, 16)}` : "";
  const span = w.durationMinutes ? ` for ${formatMinutes(w.durationMinutes, { days: true })}` : "";
  const zone = w.timezone ? ` (${w.timezone})` : "";
  const from = w.dtstart ? `, from ${w.dtstart.slice(0, 10)}` : "";
  return `${rule}${at}${span}${zone}${from}`;
}

/** "2026-03-01T02:00" (a datetime-local value, the browser's zone) → an ISO instant; null if not a time. */
export function localToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
