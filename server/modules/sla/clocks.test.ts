import { describe, expect, it } from "vitest";
import { type ClockInput, computeClocks, nextEscalation, type StateChange, type WorkingTime } from "./clocks.ts";

/** A 24×7 calendar: working time is plain time. */
const always: WorkingTime = {
  addWorkingMinutes: (start, minutes) => new Date(start.getTime() + minutes * 60_000),
  workingMinutesBetween: (from, to) => Math.max(0, (to.getTime() - from.getTime()) / 60_000),
};

const T0 = new Date("2026-03-02T09:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const state = (minutes: number, s: string, stateType: StateChange["stateType"], holdReason: string | null = null) => ({
  at: at(minutes),
  state: s,
  stateType,
  holdReason,
});

function input(over: Partial<ClockInput>): ClockInput {
  return {
    calendar: always,
    targets: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    warningPercent: 80,
    pauseOn: [
      { state: "on_hold", reason: "awaiting_customer" },
      { state: "on_hold", reason: "awaiting_vendor" },
    ],
    history: [state(0, "new", "new")],
    firstResponseAt: null,
    customerReplies: [],
    agentReplies: [],
    now: at(10),
    ...over,
  };
}

const byTarget = (i: ClockInput) => Object.fromEntries(computeClocks(i).map((c) => [c.target, c]));

describe("SLA clocks", () => {
  it("run from creation with due and warning times", () => {
    const c = byTarget(input({}));
    expect(c.first_response).toMatchObject({ status: "running", dueAt: at(60), warningAt: at(48), elapsedMinutes: 10 });
    expect(c.resolution).toMatchObject({ status: "running", dueAt: at(480), remainingMinutes: 470 });
  });

  it("first response is met by the first reply and breached when late", () => {
    expect(byTarget(input({ firstResponseAt: at(30), now: at(200) })).first_response).toMatchObject({
      status: "met",
      elapsedMinutes: 30,
      dueAt: null,
    });
    expect(byTarget(input({ firstResponseAt: at(61), now: at(200) })).first_response?.status).toBe("breached");
    expect(byTarget(input({ now: at(61) })).first_response?.status).toBe("breached");
  });

  it("on hold awaiting the customer pauses resolution; the due time moves by the pause", () => {
    const history = [
      state(0, "new", "new"),
      state(20, "in_progress", "open"),
      state(100, "on_hold", "pending", "awaiting_customer"),
      state(400, "in_progress", "open"),
    ];
    const paused = byTarget(input({ history: history.slice(0, 3), now: at(300) })).resolution;
    expect(paused).toMatchObject({ status: "paused", dueAt: null, elapsedMinutes: 100, remainingMinutes: 380 });
    const resumed = byTarget(input({ history, now: at(410) })).resolution;
    expect(resumed).toMatchObject({ status: "running", dueAt: at(780), elapsedMinutes: 110 });
    expect(resumed?.events.map((e) => [e.kind, e.at])).toEqual([
      ["start", at(0)],
      ["pause", at(100)],
      ["resume", at(400)],
    ]);
  });

  it("on hold awaiting a change does not pause (not in pauseOn)", () => {
    const history = [state(0, "new", "new"), state(10, "on_hold", "pending", "awaiting_change")];
    expect(byTarget(input({ history, now: at(100) })).resolution).toMatchObject({ status: "running", dueAt: at(480) });
  });

  it("resolution stops when resolved: met in time, breached when late; reopening runs again", () => {
    const onTime = [state(0, "new", "new"), state(300, "resolved", "resolved")];
    expect(byTarget(input({ history: onTime, now: at(1000) })).resolution).toMatchObject({
      status: "met",
      elapsedMinutes: 300,
    });
    const late = [state(0, "new", "new"), state(500, "resolved", "resolved")];
    expect(byTarget(input({ history: late, now: at(1000) })).resolution?.status).toBe("breached");
    const reopened = [...onTime, state(600, "in_progress", "open")];
    expect(byTarget(input({ history: reopened, now: at(610) })).resolution).toMatchObject({
      status: "running",
      elapsedMinutes: 310,
      dueAt: at(780),
    });
  });

  it("next response runs from the latest unanswered customer reply", () => {
    const targets = { nextResponseMinutes: 30 };
    expect(byTarget(input({ targets })).next_response).toBeUndefined();
    const waiting = byTarget(input({ targets, customerReplies: [at(100)], agentReplies: [at(50)], now: at(110) }));
    expect(waiting.next_response).toMatchObject({ status: "running", dueAt: at(130) });
    const answered = byTarget(
      input({ targets, customerReplies: [at(100)], agentReplies: [at(50), at(120)], now: at(200) }),
    );
    expect(answered.next_response).toMatchObject({ status: "met", elapsedMinutes: 20 });
  });

  it("the next escalation is the earliest future warning or due time of a running clock", () => {
    const clocks = computeClocks(input({ now: at(10) }));
    expect(nextEscalation(clocks, at(10))).toEqual(at(48));
    expect(nextEscalation(clocks, at(50))).toEqual(at(60));
    const done = computeClocks(
      input({
        history: [state(0, "new", "new"), state(5, "resolved", "resolved")],
        firstResponseAt: at(1),
        now: at(10),
      }),
    );
    expect(nextEscalation(done, at(10))).toBeNull();
  });
});
