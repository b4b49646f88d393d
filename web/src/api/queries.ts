import { queryOptions } from "@tanstack/react-query";
import { fetchMe, listRoles } from "./identity.ts";

/** Query keys, one root per resource so a write can invalidate all of its lists. */
export const keys = {
  me: ["me"] as const,
  users: ["users"] as const,
  organizations: ["organizations"] as const,
  groups: ["groups"] as const,
  roles: ["roles"] as const,
  tokens: ["tokens"] as const,
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
