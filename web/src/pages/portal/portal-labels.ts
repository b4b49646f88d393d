import type { Ticket } from "../../../../common/tickets.ts";
import { STATE_TYPE_COLORS } from "../tickets/labels.ts";

/** A request's state in the customer's words. */
export function customerState(t: Pick<Ticket, "state" | "stateType" | "holdReason">): { label: string; color: string } {
  const color = STATE_TYPE_COLORS[t.stateType];
  switch (t.stateType) {
    case "new":
      return { label: "Received", color };
    case "open":
      return { label: "In progress", color };
    case "pending":
      return t.holdReason === "awaiting_customer"
        ? { label: "Waiting for your reply", color: "grape" }
        : { label: "On hold", color };
    case "resolved":
      return { label: "Resolved", color };
    default:
      return { label: t.state === "canceled" ? "Canceled" : "Closed", color };
  }
}

export const CUSTOMER_TYPES = [
  { value: "incident", label: "Something is broken", hint: "An error, an outage, something that stopped working" },
  { value: "service_request", label: "I need something", hint: "Access, equipment, software or a change" },
] as const;

export const IMPACT_OPTIONS = [
  { value: "3", label: "Just me" },
  { value: "2", label: "Several people or my team" },
  { value: "1", label: "Many people or the whole company" },
];

export const URGENCY_OPTIONS = [
  { value: "3", label: "It can wait a few days" },
  { value: "2", label: "I can work, but it slows me down" },
  { value: "1", label: "I cannot work at all" },
];
