/**
 * SLA clocks, computed from a ticket's own history: pure, no I/O. Given the
 * policy's targets, its business calendar, the ticket's state changes and
 * replies, and the time now, each clock says whether it runs, is paused, was
 * met or is breached, when it is due, and the moments that explain it.
 */

export interface WorkingTime {
  addWorkingMinutes(start: Date, minutes: number): Date;
  workingMinutesBetween(from: Date, to: Date): number;
}

export type ClockTarget = "first_response" | "resolution" | "next_response";
export type ClockStatus = "running" | "paused" | "met" | "breached";

export interface Targets {
  firstResponseMinutes?: number | undefined;
  resolutionMinutes?: number | undefined;
  nextResponseMinutes?: number | undefined;
}

export interface PauseRule {
  state: string;
  reason?: string | undefined;
}

/** A state the ticket entered at `at` (the first is its creation). */
export interface StateChange {
  at: Date;
  state: string;
  stateType: "new" | "open" | "pending" | "resolved" | "closed";
  holdReason: string | null;
}

export interface ClockEvent {
  at: Date;
  kind: "start" | "pause" | "resume" | "stop";
  detail?: string;
}

export interface Clock {
  target: ClockTarget;
  status: ClockStatus;
  targetMinutes: number;
  dueAt: Date | null;
  warningAt: Date | null;
  elapsedMinutes: number;
  remainingMinutes: number;
  events: ClockEvent[];
}

export interface ClockInput {
  calendar: WorkingTime;
  targets: Targets;
  warningPercent: number;
  pauseOn: readonly PauseRule[];
  history: readonly StateChange[];
  firstResponseAt: Date | null;
  customerReplies: readonly Date[];
  agentReplies: readonly Date[];
  now: Date;
}

interface Segment {
  from: Date;
  to: Date | null; // null: still running
}

const round = (m: number) => Math.round(m * 100) / 100;

function pauses(rules: readonly PauseRule[], s: StateChange): PauseRule | undefined {
  return rules.find((r) => r.state === s.state && (r.reason === undefined || r.reason === s.holdReason));
}

/** Turns running segments into a clock: elapsed, due, warning and status at `now`. */
function settle(
  target: ClockTarget,
  minutes: number,
  segments: Segment[],
  events: ClockEvent[],
  input: ClockInput,
  stopped: boolean,
): Clock {
  const { calendar, now } = input;
  let elapsed = 0;
  let running: Segment | undefined;
  for (const seg of segments) {
    if (seg.to === null) running = seg;
    else elapsed += calendar.workingMinutesBetween(seg.from, seg.to);
  }
  const warnAt = (minutes * input.warningPercent) / 100;
  let dueAt: Date | null = null;
  let warningAt: Date | null = null;
  if (running) {
    // The calendar adds whole minutes: time already spent counts to the nearest minute (SLAs are kept in minutes).
    const spent = Math.round(elapsed);
    dueAt = calendar.addWorkingMinutes(running.from, Math.max(0, minutes - spent));
    warningAt = spent < warnAt ? calendar.addWorkingMinutes(running.from, Math.ceil(warnAt - spent)) : running.from;
    elapsed += now > running.from ? calendar.workingMinutesBetween(running.from, now) : 0;
  }
  const over = elapsed > minutes || (dueAt !== null && now > dueAt);
  const status: ClockStatus = stopped
    ? over
      ? "breached"
      : "met"
    : over
      ? "breached"
      : running
        ? "running"
        : "paused";
  return {
    target,
    status,
    targetMinutes: minutes,
    dueAt,
    warningAt,
    elapsedMinutes: round(elapsed),
    remainingMinutes: round(Math.max(0, minutes - elapsed)),
    events,
  };
}

function firstResponse(input: ClockInput, minutes: number): Clock {
  const created = input.history[0];
  if (!created) throw new Error("a ticket's history starts with its creation");
  const resolved = input.history.find((s) => s.stateType === "resolved" || s.stateType === "closed");
  const candidates = [input.firstResponseAt, resolved?.at].filter((d): d is Date => d instanceof Date);
  const end = candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
  const events: ClockEvent[] = [{ at: created.at, kind: "start", detail: "ticket created" }];
  if (end) {
    events.push({
      at: end,
      kind: "stop",
      detail: input.firstResponseAt?.getTime() === end.getTime() ? "first reply" : "resolved",
    });
  }
  return settle("first_response", minutes, [{ from: created.at, to: end }], events, input, end !== null);
}

function resolution(input: ClockInput, minutes: number): Clock {
  const segments: Segment[] = [];
  const events: ClockEvent[] = [];
  let open: Date | null = null;
  for (const [i, s] of input.history.entries()) {
    const stops = s.stateType === "resolved" || s.stateType === "closed";
    const rule = pauses(input.pauseOn, s);
    const runs = !stops && !rule;
    if (runs && open === null) {
      open = s.at;
      events.push({
        at: s.at,
        kind: i === 0 ? "start" : "resume",
        detail: i === 0 ? "ticket created" : `state ${s.state}`,
      });
    } else if (!runs && open !== null) {
      segments.push({ from: open, to: s.at });
      open = null;
      events.push({
        at: s.at,
        kind: stops ? "stop" : "pause",
        detail: stops ? `state ${s.state}` : `${s.state}${s.holdReason ? ` (${s.holdReason})` : ""}`,
      });
    } else if (i === 0 && !runs) {
      events.push({ at: s.at, kind: "pause", detail: `created ${s.state}` });
    }
  }
  if (open !== null) segments.push({ from: open, to: null });
  const last = input.history[input.history.length - 1];
  const stopped = last !== undefined && (last.stateType === "resolved" || last.stateType === "closed");
  return settle("resolution", minutes, segments, events, input, stopped);
}

function nextResponse(input: ClockInput, minutes: number): Clock | null {
  const lastCustomer = [...input.customerReplies].sort((a, b) => b.getTime() - a.getTime())[0];
  if (!lastCustomer) return null;
  const answer = input.agentReplies.filter((a) => a > lastCustomer).sort((a, b) => a.getTime() - b.getTime())[0];
  const last = input.history[input.history.length - 1];
  const closedAt = last && (last.stateType === "resolved" || last.stateType === "closed") ? last.at : undefined;
  const end = answer ?? (closedAt && closedAt > lastCustomer ? closedAt : null);
  const events: ClockEvent[] = [{ at: lastCustomer, kind: "start", detail: "customer replied" }];
  if (end) events.push({ at: end, kind: "stop", detail: answer ? "agent replied" : "resolved" });
  return settle("next_response", minutes, [{ from: lastCustomer, to: end }], events, input, end !== null);
}

/** Every clock the policy defines, in a fixed order. */
export function computeClocks(input: ClockInput): Clock[] {
  const clocks: Clock[] = [];
  const t = input.targets;
  if (t.firstResponseMinutes !== undefined) clocks.push(firstResponse(input, t.firstResponseMinutes));
  if (t.resolutionMinutes !== undefined) clocks.push(resolution(input, t.resolutionMinutes));
  if (t.nextResponseMinutes !== undefined) {
    const next = nextResponse(input, t.nextResponseMinutes);
    if (next) clocks.push(next);
  }
  return clocks;
}

/** The next instant a worker must look at the ticket: an unwarned warning or an unbreached due time. */
export function nextEscalation(clocks: readonly Clock[], now: Date): Date | null {
  let next: number | null = null;
  for (const c of clocks) {
    if (c.status !== "running") continue;
    for (const at of [c.warningAt, c.dueAt]) {
      if (at && at.getTime() > now.getTime() && (next === null || at.getTime() < next)) next = at.getTime();
    }
  }
  return next === null ? null : new Date(next);
}
