import type { ChangeReport } from "../../api/change-admin.ts";

export type ReportMonths = 3 | 6 | 12;
export const REPORT_RANGES: ReportMonths[] = [3, 6, 12];

/** The last `months` calendar months (UTC), this one included: [first of the first month, first of next month). */
export function reportRange(months: ReportMonths, now = new Date()): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    from: new Date(Date.UTC(y, m - (months - 1), 1)).toISOString(),
    to: new Date(Date.UTC(y, m + 1, 1)).toISOString(),
  };
}

export type MonthRow = ChangeReport["months"][number];

/** Every month of the range in order, zeros where the report has none. */
export function monthRows(report: ChangeReport): MonthRow[] {
  const byMonth = new Map(report.months.map((m) => [m.month, m]));
  const out: MonthRow[] = [];
  const start = new Date(report.from);
  const end = Date.parse(report.to);
  for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); d.getTime() < end; ) {
    const key = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    out.push(
      byMonth.get(key) ?? { month: key, total: 0, emergency: 0, successful: 0, failed: 0, followedByIncidents: 0 },
    );
    d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  // Months the server counted that fall outside (should not happen) are still shown rather than lost.
  for (const m of report.months) if (!out.some((o) => o.month === m.month)) out.push(m);
  return out.sort((a, b) => a.month.localeCompare(b.month));
}

const monthShort = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });
const monthLong = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const toDate = (month: string) => new Date(`${month}-01T00:00:00Z`);
export const monthLabel = (month: string) => monthShort.format(toDate(month));
export const monthName = (month: string) => monthLong.format(toDate(month));

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
export const formatShare = (share: number | null) => (share === null ? "—" : percent.format(share));

/** Other: changes of the month not (yet) counted as successful or failed (not reviewed, or partly successful). */
export const otherOf = (m: MonthRow) => Math.max(0, m.total - m.successful - m.failed);

/** Round numbers for an axis from 0 to at least `max`. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const stepSize = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? magnitude * 10;
  const step = Math.max(1, stepSize);
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}
