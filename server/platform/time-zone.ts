/**
 * Wall clock ↔ instant in an IANA time zone, from Intl alone (the SLA
 * calendars and the change windows both count on it). Pure: no I/O;
 * the only state is a memo of offset tables (one per zone and year).
 *
 * A year's table lists the zone's offset changes between 30 December of the
 * year before and 3 January of the year after, found by sampling the offset
 * at every UTC midnight and bisecting each change to the second. Two changes
 * that undo each other within one day would go unseen; no zone has them.
 */

export const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

/** Offsets in force over a span of UTC: `offsets[k]` applies from `from[k]` (inclusive) to `from[k + 1]`. */
export interface OffsetTable {
  from: number[];
  offsets: number[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Milliseconds since the epoch of a proleptic-Gregorian date and time read as UTC (years 0–99 too). */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** The zone's UTC offset (ms, east positive) at an instant; second precision. */
export function offsetAt(zone: string, instant: number): number {
  const t = Math.floor(instant / SECOND_MS) * SECOND_MS;
  const p: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(t)) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === "BC" || p.era === "B") year = 1 - year;
  return wallMs(year, Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t;
}

/** First second in (lo, hi] whose offset differs from `offsetLo`; lo has offsetLo, hi does not. */
function bisect(zone: string, lo: number, hi: number, offsetLo: number): number {
  let a = lo / SECOND_MS;
  let b = hi / SECOND_MS;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(zone, mid * SECOND_MS) === offsetLo) a = mid;
    else b = mid;
  }
  return b * SECOND_MS;
}

function buildTable(zone: string, year: number): OffsetTable {
  const start = wallMs(year - 1, 12, 30);
  const end = wallMs(year + 1, 1, 3);
  const table: OffsetTable = { from: [Number.NEGATIVE_INFINITY], offsets: [offsetAt(zone, start)] };
  let prev = start;
  let prevOffset = table.offsets[0] as number;
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const offset = offsetAt(zone, t);
    // Several changes within one day: bisect again from each change found.
    while (offset !== prevOffset) {
      const at = bisect(zone, prev, t, prevOffset);
      prevOffset = offsetAt(zone, at);
      table.from.push(at);
      table.offsets.push(prevOffset);
      prev = at;
    }
    prev = t;
  }
  return table;
}

const tables = new Map<string, OffsetTable>();
const MAX_TABLES = 4096;

/** The offset table covering local year `year` (memoized; bounded). */
export function offsetTable(zone: string, year: number): OffsetTable {
  const key = `${zone}|${year}`;
  let table = tables.get(key);
  if (!table) {
    table = buildTable(zone, year);
    if (tables.size >= MAX_TABLES) tables.delete(tables.keys().next().value as string);
    tables.set(key, table);
  }
  return table;
}

/**
 * The instant a wall-clock time (`wall`, as from wallMs) happens, within the table's span.
 * In an overlap (clocks turned back) the first occurrence; in a gap (clocks
 * turned forward) the first instant after it, the moment of the change, so
 * that later wall times never map to earlier instants.
 */
export function wallToInstant(table: OffsetTable, wall: number): number {
  const { from, offsets } = table;
  const n = offsets.length;
  for (let k = 0; k < n; k++) {
    const u = wall - (offsets[k] as number);
    const next = k + 1 < n ? (from[k + 1] as number) : Number.POSITIVE_INFINITY;
    if (u >= (from[k] as number) && u < next) return u;
  }
  for (let k = 1; k < n; k++) {
    const at = from[k] as number;
    if (wall >= at + (offsets[k - 1] as number) && wall < at + (offsets[k] as number)) return at;
  }
  return wall - (offsets[n - 1] as number);
}
