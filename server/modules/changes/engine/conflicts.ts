/**
 * Schedule conflicts of one change against the other active changes, the
 * maintenance windows and the blackout windows. Pure: the caller loads
 * everything (and the CMDB's 2-hop neighbourhoods) and passes it in.
 *
 * Every interval is half-open: [a, b) and [c, d) overlap iff a < d && c < b,
 * so back-to-back changes (one ends at 02:00, the next starts at 02:00) do not
 * conflict.
 */
import { formatWall, type Instant, isTimeZone, overlaps, toMs } from "./time.ts";
import { firstUncovered, occurrences, type WindowSpec } from "./windows.ts";

export const CONFLICT_RULES = ["same_ci", "related_ci", "outside_maintenance", "blackout", "assignee_busy"] as const;
export type ConflictRule = (typeof CONFLICT_RULES)[number];

export interface Conflict {
  rule: ConflictRule;
  /**
   * same_ci: the CI both changes touch. related_ci: this change's CI. outside_maintenance: the CI or
   * service whose windows the change leaves. blackout: the change's service the blackout is on (absent
   * for a global blackout; the first by id when several match). assignee_busy: absent.
   */
  ciId?: string;
  /** related_ci only: the other change's CI, within 2 hops of `ciId`. */
  relatedCiId?: string;
  /** same_ci, related_ci, assignee_busy. */
  otherChangeId?: string;
  /** blackout: the blackout window. outside_maintenance: the CI's first maintenance window by name (all are named in the message). */
  windowId?: string;
  message: string;
}

/** The change being checked. */
export interface ChangeUnderTest {
  id: string;
  start: Instant;
  end: Instant;
  /** Affected CIs (business services included, as the change stores them). */
  ciIds: readonly string[];
  /** Business services the change affects: blackouts on them and maintenance windows on them apply. */
  serviceIds: readonly string[];
  assigneeId?: string | null;
}

/** Another active change with a planned window (the caller leaves out closed, rejected and canceled ones). */
export interface OtherChange {
  id: string;
  /** As shown to people, e.g. "CHG-000042". */
  number: string;
  title?: string;
  start: Instant;
  end: Instant;
  ciIds: readonly string[];
  assigneeId?: string | null;
}

/** A maintenance window on CIs and/or services; a one-off or a recurrence (windows.ts). */
export type MaintenanceWindow = WindowSpec & {
  id: string;
  name: string;
  ciIds: readonly string[];
  serviceIds: readonly string[];
};

/** A blackout (change freeze): global when serviceIds is empty; usually a one-off, a recurrence works too. */
export type BlackoutWindow = WindowSpec & {
  id: string;
  name: string;
  serviceIds: readonly string[];
};

export interface ConflictInput {
  change: ChangeUnderTest;
  otherChanges: readonly OtherChange[];
  /**
   * For each of the change's CIs (at least), the CIs within 2 hops of it over CMDB relations of any type,
   * followed in either direction (the CI itself may be in its set or not). A missing key means "no
   * relations". Checked both ways: an other change's CI d conflicts with the change's CI c when
   * d ∈ map(c) or c ∈ map(d). relatedWithin() builds this from a list of relations.
   */
  relatedWithin2Hops: ReadonlyMap<string, ReadonlySet<string>>;
  maintenanceWindows: readonly MaintenanceWindow[];
  blackoutWindows: readonly BlackoutWindow[];
  /** Names for messages: CI id → name. Missing ones show as the id. */
  ciNames?: ReadonlyMap<string, string>;
  /** Names for messages: user id → name. */
  userNames?: ReadonlyMap<string, string>;
  /** The zone the messages show times in (IANA; default "UTC"). */
  timezone?: string;
}

type SortKey = (string | number)[];

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * The change's conflicts, in a deterministic order: by rule (same_ci, related_ci,
 * outside_maintenance, blackout, assignee_busy), then by the other change's start and
 * number, or by CI name / window start and name. Never the change against itself
 * (an other change with the same id is skipped).
 * Throws RangeError when the change ends before it starts, on an instant without an
 * offset, or on an invalid window (check windows with validateWindow when they are saved).
 */
export function findConflicts(input: ConflictInput): Conflict[] {
  const { change } = input;
  const zone = input.timezone ?? "UTC";
  if (!isTimeZone(zone)) throw new RangeError(`timezone ${JSON.stringify(zone)} is not an IANA time zone`);
  const start = toMs(change.start, "change.start");
  const end = toMs(change.end, "change.end");
  if (!(start < end)) throw new RangeError("change: end must be after start");

  const ciName = (id: string) => input.ciNames?.get(id) ?? id;
  const span = (s: number, e: number) => `${formatWall(zone, s)} – ${formatWall(zone, e)} ${zone}`;
  const changeLabel = (o: OtherChange) => (o.title ? `${o.number} "${o.title}"` : o.number);

  const ours = new Set(change.ciIds);
  const oursSorted = [...ours].sort();
  const services = new Set(change.serviceIds);
  const related = (a: string, b: string) =>
    input.relatedWithin2Hops.get(a)?.has(b) === true || input.relatedWithin2Hops.get(b)?.has(a) === true;

  const found: { conflict: Conflict; key: SortKey }[] = [];
  const add = (conflict: Conflict, key: SortKey) =>
    found.push({ conflict, key: [CONFLICT_RULES.indexOf(conflict.rule), ...key] });

  for (const other of input.otherChanges) {
    if (other.id === change.id) continue;
    const oStart = toMs(other.start, `change ${other.number} start`);
    const oEnd = toMs(other.end, `change ${other.number} end`);
    if (!overlaps(start, end, oStart, oEnd)) continue;
    const when = span(Math.max(start, oStart), Math.min(end, oEnd));
    const otherKey = [oStart, other.number, other.id];
    const theirs = new Set(other.ciIds);

    // (1) same CI
    for (const ci of oursSorted) {
      if (!theirs.has(ci)) continue;
      add(
        {
          rule: "same_ci",
          ciId: ci,
          otherChangeId: other.id,
          message: `${changeLabel(other)} also changes ${ciName(ci)} at an overlapping time (${when}).`,
        },
        [...otherKey, ciName(ci), ci],
      );
    }

    // (2) a CI within 2 hops; pairs already reported as same_ci on either side are left out.
    const theirsOnly = [...theirs].filter((d) => !ours.has(d)).sort();
    for (const c of oursSorted) {
      if (theirs.has(c)) continue;
      for (const d of theirsOnly) {
        if (!related(c, d)) continue;
        add(
          {
            rule: "related_ci",
            ciId: c,
            relatedCiId: d,
            otherChangeId: other.id,
            message: `${changeLabel(other)} changes ${ciName(d)}, related to ${ciName(c)} (within 2 hops), at an overlapping time (${when}).`,
          },
          [...otherKey, ciName(c), c, ciName(d), d],
        );
      }
    }

    // (5) the assignee on two changes at once
    if (change.assigneeId && other.assigneeId === change.assigneeId) {
      const who = input.userNames?.get(change.assigneeId);
      add(
        {
          rule: "assignee_busy",
          otherChangeId: other.id,
          message: `The assignee${who ? ` (${who})` : ""} is also booked on ${changeLabel(other)} at an overlapping time (${when}).`,
        },
        otherKey,
      );
    }
  }

  // (3) outside the maintenance windows of a CI or service that has some
  const targets = [...new Set([...change.ciIds, ...change.serviceIds])];
  for (const target of targets) {
    const windows = input.maintenanceWindows
      .filter((w) => w.ciIds.includes(target) || w.serviceIds.includes(target))
      .sort((a, b) => compareKeys([a.name, a.id], [b.name, b.id]));
    const first = windows[0];
    if (!first) continue;
    const gap = firstUncovered(windows, new Date(start), new Date(end));
    if (gap === null) continue;
    const names = windows.map((w) => `"${w.name}"`).join(", ");
    add(
      {
        rule: "outside_maintenance",
        ciId: target,
        windowId: first.id,
        message: `${ciName(target)} is changed outside its maintenance window${windows.length > 1 ? "s" : ""} (${names}) from ${formatWall(zone, gap.getTime())} ${zone}.`,
      },
      [ciName(target), target],
    );
  }

  // (4) blackouts: global, or on one of the change's services
  for (const b of input.blackoutWindows) {
    const on = [...new Set(b.serviceIds)].filter((s) => services.has(s)).sort();
    if (b.serviceIds.length > 0 && on.length === 0) continue;
    const hit = occurrences(b, new Date(start), new Date(end))[0];
    if (!hit) continue;
    const where = on.length ? ` on ${on.map(ciName).join(", ")}` : "";
    const conflict: Conflict = {
      rule: "blackout",
      windowId: b.id,
      message: `The change falls in the blackout "${b.name}"${where} (${span(hit.start.getTime(), hit.end.getTime())}).`,
    };
    if (on[0] !== undefined) conflict.ciId = on[0];
    add(conflict, [hit.start.getTime(), b.name, b.id]);
  }

  return found.sort((a, b) => compareKeys(a.key, b.key)).map((f) => f.conflict);
}

/**
 * The neighbourhoods findConflicts takes, from a list of relations: for each source CI, the CIs
 * reachable in 1 … `hops` steps along relations of any type, in either direction (the source
 * itself left out). For callers that have the relations in memory; with SQL, a recursive CTE
 * from the change's CIs to depth 2 gives the same.
 */
export function relatedWithin(
  relations: Iterable<{ from: string; to: string }>,
  sources: Iterable<string>,
  hops = 2,
): Map<string, Set<string>> {
  const adjacent = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    const set = adjacent.get(a);
    if (set) set.add(b);
    else adjacent.set(a, new Set([b]));
  };
  for (const r of relations) {
    link(r.from, r.to);
    link(r.to, r.from);
  }
  const out = new Map<string, Set<string>>();
  for (const source of sources) {
    const seen = new Set([source]);
    let frontier = [source];
    for (let step = 0; step < hops && frontier.length; step++) {
      const next: string[] = [];
      for (const ci of frontier) {
        for (const n of adjacent.get(ci) ?? []) {
          if (!seen.has(n)) {
            seen.add(n);
            next.push(n);
          }
        }
      }
      frontier = next;
    }
    seen.delete(source);
    out.set(source, seen);
  }
  return out;
}
