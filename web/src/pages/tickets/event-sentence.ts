import { stateLabel } from "./labels.ts";

export interface Names {
  user: (id: string) => string;
  group: (id: string) => string;
}

type Change = [unknown, unknown];
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * A system entry as a sentence: "Grace Agent changed the state from New to On hold (awaiting vendor)
 * and assigned it to Sam". `changes` is `{field: [before, after]}`.
 */
export function eventSentence(
  actor: string,
  changes: Record<string, Change>,
  names: Names,
  mergedInto?: string | null,
): string {
  const parts: string[] = [];
  const [holdBefore, holdAfter] = (changes.holdReason ?? [null, null]).map(str);
  if (changes.mergedIntoId) {
    // A merge also moves the state to Merged: one sentence says both.
    return `${actor} merged it into ${mergedInto ?? "another ticket"}`;
  }
  if (changes.state) {
    const [before, after] = changes.state.map(str);
    parts.push(
      `changed the state from ${stateLabel(before ?? "none", holdBefore)} to ${stateLabel(after ?? "none", holdAfter)}`,
    );
  } else if (changes.holdReason) {
    parts.push(`changed the hold reason to ${stateLabel("on_hold", holdAfter)}`);
  }
  if (changes.priority) {
    const [before, after] = changes.priority.map(str);
    parts.push(`changed the priority from ${before ?? "none"} to ${after ?? "none"}`);
  }
  if (changes.groupId) {
    const [before, after] = changes.groupId.map(str);
    if (before && after) parts.push(`moved it from ${names.group(before)} to ${names.group(after)}`);
    else if (after) parts.push(`moved it to ${names.group(after)}`);
    else parts.push("removed the group");
  }
  if (changes.assigneeId) {
    const [before, after] = changes.assigneeId.map(str);
    if (after && before) parts.push(`reassigned it from ${names.user(before)} to ${names.user(after)}`);
    else if (after) parts.push(`assigned it to ${names.user(after)}`);
    else if (before) parts.push(`unassigned ${names.user(before)}`);
  }
  if (changes.problemId) parts.push(str(changes.problemId[1]) ? "linked it to a problem" : "unlinked the problem");
  return `${actor} ${parts.length ? list(parts) : "updated the ticket"}`;
}

/** The number of the ticket a merge entry names, when the event carries one. */
export function mergedIntoOf(event: Record<string, unknown> | null): string | null {
  const into = event?.mergedInto as { number?: unknown } | undefined;
  return typeof into?.number === "string" ? into.number : null;
}

/** The `{field: [before, after]}` inside an article's event, when it has that shape. */
export function changesOf(event: Record<string, unknown> | null): Record<string, Change> {
  const changes = event?.changes;
  if (!changes || typeof changes !== "object") return {};
  return Object.fromEntries(
    Object.entries(changes as Record<string, unknown>).filter(
      (e): e is [string, Change] => Array.isArray(e[1]) && e[1].length === 2,
    ),
  );
}

const TARGET_LABEL: Record<string, string> = {
  first_response: "first-response",
  resolution: "resolution",
  next_response: "next-response",
};

/**
 * Entries that are not field changes: an SLA clock that reached its warning or
 * breached, or another ticket merged into this one. Null for ordinary changes.
 */
export function specialSentence(event: Record<string, unknown> | null): string | null {
  const sla = event?.sla;
  if (sla && typeof sla === "object") {
    const [target, kind] = Object.entries(sla as Record<string, unknown>)[0] ?? [];
    const label = TARGET_LABEL[target ?? ""] ?? "SLA";
    return kind === "breached"
      ? `The ${label} target was breached`
      : `The ${label} target reached its warning threshold`;
  }
  const merged = event?.merged as { number?: unknown; articles?: unknown; attachments?: unknown } | undefined;
  if (merged && typeof merged === "object") {
    const n = typeof merged.articles === "number" ? merged.articles : 0;
    const files = typeof merged.attachments === "number" ? merged.attachments : 0;
    const moved = `${n} ${n === 1 ? "entry" : "entries"}${files ? ` and ${files} ${files === 1 ? "file" : "files"}` : ""}`;
    return `${String(merged.number ?? "A ticket")} was merged into this ticket (${moved} moved)`;
  }
  return null;
}
