/**
 * Ticket workflows as data. States belong to a fixed set of state types; code
 * branches on the type only. The server enforces these transitions and the
 * fields each one requires; the web app reads the same table to offer actions.
 */
export const TICKET_TYPES = ["incident", "service_request", "problem"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const STATE_TYPES = ["new", "open", "pending", "resolved", "closed"] as const;
export type StateType = (typeof STATE_TYPES)[number];

export const HOLD_REASONS = ["awaiting_customer", "awaiting_vendor", "awaiting_change", "awaiting_problem"] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RESOLUTION_CODES = [
  "solved",
  "workaround",
  "not_reproducible",
  "duplicate",
  "user_error",
  "no_fault_found",
  "withdrawn",
] as const;

/** Fields a transition needs beyond `to`. */
export type Requirement = "reason" | "resolutionCode" | "resolution" | "rootCause" | "workaround";

export interface Transition {
  from: readonly string[];
  to: string;
  requires?: readonly Requirement[];
}

/**
 * Every workflow has a `merged` state (type closed) that no transition reaches:
 * only a merge puts a ticket there, and nothing takes it out.
 */
export const MERGED_STATE = "merged";

export interface Workflow {
  prefix: string;
  initial: string;
  states: Readonly<Record<string, StateType>>;
  transitions: readonly Transition[];
}

export const WORKFLOWS: Readonly<Record<TicketType, Workflow>> = {
  incident: {
    prefix: "INC",
    initial: "new",
    states: {
      new: "new",
      in_progress: "open",
      on_hold: "pending",
      resolved: "resolved",
      closed: "closed",
      canceled: "closed",
      merged: "closed",
    },
    transitions: [
      { from: ["new", "on_hold", "resolved"], to: "in_progress" },
      { from: ["new", "in_progress"], to: "on_hold", requires: ["reason"] },
      { from: ["new", "in_progress", "on_hold"], to: "resolved", requires: ["resolutionCode", "resolution"] },
      { from: ["resolved"], to: "closed" },
      { from: ["new", "in_progress", "on_hold"], to: "canceled" },
    ],
  },
  service_request: {
    prefix: "REQ",
    initial: "new",
    states: {
      new: "new",
      in_progress: "open",
      on_hold: "pending",
      fulfilled: "resolved",
      closed: "closed",
      canceled: "closed",
      merged: "closed",
    },
    transitions: [
      { from: ["new", "on_hold", "fulfilled"], to: "in_progress" },
      { from: ["in_progress"], to: "on_hold", requires: ["reason"] },
      { from: ["in_progress"], to: "fulfilled" },
      { from: ["fulfilled"], to: "closed" },
      { from: ["new", "in_progress", "on_hold"], to: "canceled" },
    ],
  },
  problem: {
    prefix: "PRB",
    initial: "new",
    states: {
      new: "new",
      investigating: "open",
      known_error: "open",
      resolved: "resolved",
      closed: "closed",
      merged: "closed",
    },
    transitions: [
      { from: ["new", "resolved"], to: "investigating" },
      { from: ["investigating"], to: "known_error", requires: ["rootCause", "workaround"] },
      { from: ["investigating", "known_error"], to: "resolved", requires: ["resolution"] },
      { from: ["resolved"], to: "closed" },
    ],
  },
};

export function stateType(type: TicketType, state: string): StateType | undefined {
  return WORKFLOWS[type].states[state];
}

/** The transition from `from` to `to`, if the workflow has one. */
export function findTransition(type: TicketType, from: string, to: string): Transition | undefined {
  return WORKFLOWS[type].transitions.find((t) => t.to === to && t.from.includes(from));
}

/** Where a ticket may go from `state`: what the UI offers. */
export function nextStates(type: TicketType, state: string): Transition[] {
  return WORKFLOWS[type].transitions.filter((t) => t.from.includes(state));
}

export function isTerminal(type: TicketType, state: string): boolean {
  return stateType(type, state) === "closed";
}

/** Priority from impact × urgency (1 high … 3 low) when no admin matrix overrides it. */
export const DEFAULT_PRIORITY_MATRIX: Readonly<Record<string, "P1" | "P2" | "P3" | "P4">> = {
  "1-1": "P1",
  "1-2": "P2",
  "2-1": "P2",
  "1-3": "P3",
  "2-2": "P3",
  "3-1": "P3",
  "2-3": "P4",
  "3-2": "P4",
  "3-3": "P4",
};

export function ticketNumber(type: TicketType, n: number): string {
  return `${WORKFLOWS[type].prefix}-${String(n).padStart(6, "0")}`;
}
