import {
  HOLD_REASONS,
  RESOLUTION_CODES,
  type StateType,
  TICKET_TYPES,
  type TicketType,
} from "../../../../common/workflows.ts";

/** "in_progress" → "In progress". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const TYPE_LABELS: Record<TicketType, string> = {
  incident: "Incident",
  service_request: "Service request",
  problem: "Problem",
};
export const TYPE_OPTIONS = TICKET_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }));

export const PRIORITY_COLORS: Record<string, string> = { P1: "red", P2: "orange", P3: "yellow", P4: "gray" };
export const PRIORITY_LABELS: Record<string, string> = { P1: "Critical", P2: "High", P3: "Medium", P4: "Low" };
export const PRIORITY_OPTIONS = ["P1", "P2", "P3", "P4"].map((p) => ({
  value: p,
  label: `${p} · ${PRIORITY_LABELS[p]}`,
}));

export const STATE_TYPE_COLORS: Record<StateType, string> = {
  new: "blue",
  open: "indigo",
  pending: "orange",
  resolved: "teal",
  closed: "gray",
};
export const STATE_TYPE_OPTIONS: { value: StateType; label: string }[] = [
  { value: "new", label: "New" },
  { value: "open", label: "Open" },
  { value: "pending", label: "Pending" },
  { value: "resolved", label: "Resolved" },
  { value: "closed", label: "Closed" },
];

export const HOLD_REASON_LABELS: Record<string, string> = {
  awaiting_customer: "awaiting customer",
  awaiting_vendor: "awaiting vendor",
  awaiting_change: "awaiting change",
  awaiting_problem: "awaiting problem",
};
export const HOLD_REASON_OPTIONS = HOLD_REASONS.map((r) => ({ value: r, label: humanize(HOLD_REASON_LABELS[r] ?? r) }));

export const RESOLUTION_CODE_OPTIONS = RESOLUTION_CODES.map((c) => ({ value: c, label: humanize(c) }));

/** Impact and urgency: 1 high … 3 low. */
export const LEVEL_OPTIONS = [
  { value: "1", label: "1 · High" },
  { value: "2", label: "2 · Medium" },
  { value: "3", label: "3 · Low" },
];
export const LEVEL_LABELS: Record<number, string> = { 1: "High", 2: "Medium", 3: "Low" };

/** "On hold (awaiting vendor)". */
export function stateLabel(state: string, holdReason?: string | null): string {
  const label = humanize(state);
  return holdReason ? `${label} (${HOLD_REASON_LABELS[holdReason] ?? holdReason.replace(/_/g, " ")})` : label;
}

/** The button that moves a ticket from `from` to `to`, in words an agent expects. */
export function transitionLabel(from: string, to: string): string {
  switch (to) {
    case "in_progress":
      if (from === "on_hold") return "Resume";
      if (from === "new") return "Start work";
      return "Reopen";
    case "on_hold":
      return "Put on hold";
    case "resolved":
      return "Resolve";
    case "fulfilled":
      return "Mark fulfilled";
    case "closed":
      return "Close";
    case "canceled":
      return "Cancel ticket";
    case "investigating":
      return from === "new" ? "Start investigating" : "Reopen";
    case "known_error":
      return "Mark known error";
    default:
      return humanize(to);
  }
}
