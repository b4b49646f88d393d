import { z } from "zod";
import type { TicketListParams } from "../../api/tickets.ts";

export const VIEWS = {
  mine: { label: "My open tickets", short: "Mine", params: { assigneeId: "me", stateType: "new,open,pending" } },
  unassigned: { label: "Unassigned", short: "Unassigned", params: { assigneeId: "none", stateType: "new,open" } },
  open: { label: "All open", short: "All open", params: { stateType: "new,open,pending" } },
  resolved: { label: "Resolved", short: "Resolved", params: { stateType: "resolved" } },
} as const satisfies Record<string, { label: string; short: string; params: TicketListParams }>;
export type View = keyof typeof VIEWS;
export const DEFAULT_VIEW: View = "open";

const list = z.string().max(200).optional();
const id = z.string().max(40).optional();

/** The work list's state lives in the URL, so Back from a ticket returns to the same list. */
export const TicketSearchSchema = z.object({
  view: z.enum(["mine", "unassigned", "open", "resolved"]).optional().catch(undefined),
  type: list.catch(undefined),
  priority: list.catch(undefined),
  stateType: list.catch(undefined),
  groupId: id.catch(undefined),
  assigneeId: id.catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
});
export type TicketSearch = z.infer<typeof TicketSearchSchema>;
export type FilterKey = "type" | "priority" | "stateType" | "groupId" | "assigneeId";
export const FILTER_KEYS: FilterKey[] = ["type", "priority", "stateType", "groupId", "assigneeId"];

/** The view's preset, refined (or, for assignee and state type, overridden) by the filters. */
export function listParams(search: TicketSearch): TicketListParams {
  const params: TicketListParams = { ...VIEWS[search.view ?? DEFAULT_VIEW].params };
  for (const key of FILTER_KEYS) {
    const value = search[key];
    if (value) params[key] = value;
  }
  if (search.q?.trim()) params.q = search.q.trim();
  return params;
}

export function hasFilters(search: TicketSearch): boolean {
  return FILTER_KEYS.some((k) => !!search[k]);
}

export const splitList = (value: string | undefined): string[] => (value ? value.split(",").filter(Boolean) : []);
export const joinList = (values: string[]): string | undefined => (values.length ? values.join(",") : undefined);
