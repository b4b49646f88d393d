import { z } from "zod";
import { TICKET_SORTS, type TicketSort } from "../../../../common/tickets.ts";
import type { TicketListParams } from "../../api/tickets.ts";
import type { SavedView, ViewFilters } from "../../api/views.ts";

/** Built-in quick views: what the work list offers when the server has no saved views. */
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
  /** A saved view (when the server offers them); wins over `view`. */
  viewId: id.catch(undefined),
  type: list.catch(undefined),
  priority: list.catch(undefined),
  stateType: list.catch(undefined),
  groupId: id.catch(undefined),
  assigneeId: id.catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  /** The order chosen here; else the view's own; else the server's (newest first). */
  sort: z.enum(TICKET_SORTS).optional().catch(undefined),
});
export type TicketSearch = z.infer<typeof TicketSearchSchema>;
export type FilterKey = "type" | "priority" | "stateType" | "groupId" | "assigneeId";
export const FILTER_KEYS: FilterKey[] = ["type", "priority", "stateType", "groupId", "assigneeId"];

/** Query keys that take comma-separated lists; a view stores them as arrays. */
const MULTI = new Set(["type", "state", "stateType", "priority"]);

/** A view's filters as the list query takes them: arrays joined with commas. */
export function filtersToParams(filters: SavedView["filters"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    const text = Array.isArray(value)
      ? value.map(String).join(",")
      : typeof value === "object"
        ? ""
        : String(value ?? "");
    if (text) out[key] = text;
  }
  return out;
}

/** The list query's parameters as a view stores them (lists as arrays), its sort included; paging is not kept. */
export function paramsToFilters(params: TicketListParams): ViewFilters {
  const out: ViewFilters = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "" || ["cursor", "limit"].includes(key)) continue;
    out[key] = MULTI.has(key) ? String(value).split(",").filter(Boolean) : String(value);
  }
  return out;
}

/** Whether two filter sets select the same tickets (list order does not matter). */
export function sameFilters(a: Record<string, string>, b: Record<string, string>): boolean {
  const norm = (p: Record<string, string>) =>
    JSON.stringify(
      Object.entries(p)
        .map(([k, v]) => [k, MULTI.has(k) ? v.split(",").sort().join(",") : v])
        .sort(([x = ""], [y = ""]) => x.localeCompare(y)),
    );
  return norm(a) === norm(b);
}

/** What the list shows before its filters refine it: a saved view, or a built-in one. */
export type ActiveView =
  | { kind: "saved"; id: string; label: string; base: Record<string, string> }
  | { kind: "builtin"; key: View; label: string; base: Record<string, string> };

/**
 * The saved view named in the URL; else the one matching the built-in view in the URL (links from
 * Home say `view=mine`); else the first saved view. Without saved views, the built-in ones.
 */
export function resolveView(search: TicketSearch, saved: SavedView[]): ActiveView {
  const builtin = (key: View): ActiveView => ({
    kind: "builtin",
    key,
    label: VIEWS[key].label,
    base: VIEWS[key].params,
  });
  const fromSaved = (v: SavedView): ActiveView => ({
    kind: "saved",
    id: v.id,
    label: v.name,
    base: filtersToParams(v.filters),
  });
  if (saved.length === 0) return builtin(search.view ?? DEFAULT_VIEW);
  const named = saved.find((v) => v.id === search.viewId);
  if (named) return fromSaved(named);
  if (search.view) {
    const key = search.view;
    const twin = saved.find((v) => sameFilters(filtersToParams(v.filters), VIEWS[key].params));
    return twin ? fromSaved(twin) : builtin(key);
  }
  return fromSaved(saved[0] as SavedView);
}

/** The view's preset, refined (or, for assignee and state type, overridden) by the filters. */
export function listParams(search: TicketSearch, base: Record<string, string>): TicketListParams {
  const params: TicketListParams = { ...base };
  for (const key of FILTER_KEYS) {
    const value = search[key];
    if (value) params[key] = value;
  }
  if (search.q?.trim()) params.q = search.q.trim();
  if (search.sort) params.sort = search.sort;
  return params;
}

export function hasFilters(search: TicketSearch): boolean {
  return FILTER_KEYS.some((k) => !!search[k]);
}

export const splitList = (value: string | undefined): string[] => (value ? value.split(",").filter(Boolean) : []);
export const joinList = (values: string[]): string | undefined => (values.length ? values.join(",") : undefined);

export const DEFAULT_SORT: TicketSort = "-createdAt";

/** Each order in words, as the sort menu offers it. */
export const SORT_LABELS: Record<TicketSort, string> = {
  "-createdAt": "Newest first",
  createdAt: "Oldest first",
  "-updatedAt": "Recently updated",
  updatedAt: "Least recently updated",
  priority: "Most urgent first",
  "-priority": "Least urgent first",
  slaDue: "SLA due soonest",
  "-slaDue": "SLA due latest",
};
export const SORT_OPTIONS = TICKET_SORTS.map((value) => ({ value, label: SORT_LABELS[value] }));

/** The order the list is in: the one in the parameters (from the URL or the view), else the server's. */
export function sortOf(params: TicketListParams): TicketSort {
  const sort = params.sort as string | undefined;
  return (TICKET_SORTS as readonly string[]).includes(sort ?? "") ? (sort as TicketSort) : DEFAULT_SORT;
}
