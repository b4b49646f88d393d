import { queryOptions } from "@tanstack/react-query";
import { fetchMe, listRoles } from "./identity.ts";
import { getPriorityMatrix, listCategories } from "./tickets.ts";

/** Query keys, one root per resource so a write can invalidate all of its lists. */
export const keys = {
  me: ["me"] as const,
  users: ["users"] as const,
  organizations: ["organizations"] as const,
  groups: ["groups"] as const,
  roles: ["roles"] as const,
  tokens: ["tokens"] as const,
  tickets: ["tickets"] as const,
  categories: ["categories"] as const,
  priorityMatrix: ["priority-matrix"] as const,
  calendars: ["calendars"] as const,
  slaPolicies: ["sla-policies"] as const,
};

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: fetchMe,
  staleTime: 5 * 60_000,
  retry: false,
});

export const rolesQuery = queryOptions({
  queryKey: keys.roles,
  queryFn: listRoles,
  staleTime: 10 * 60_000,
  select: (data) => data.items,
});

export const categoriesQuery = queryOptions({
  queryKey: keys.categories,
  queryFn: listCategories,
  staleTime: 10 * 60_000,
  select: (data) => data.items.filter((c) => c.active),
});

/** Impact × urgency → priority, keyed "impact-urgency". */
export const priorityMatrixQuery = queryOptions({
  queryKey: keys.priorityMatrix,
  queryFn: getPriorityMatrix,
  staleTime: 10 * 60_000,
  select: (data) => new Map(data.cells.map((c) => [`${c.impact}-${c.urgency}`, c.priority])),
});
