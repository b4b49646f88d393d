import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { getUser, listGroups } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";

/** Every group (there are few), for names in lists and pickers. Agents only: customers may not list groups. */
export function useGroups(enabled = true) {
  return useQuery({
    queryKey: [...keys.groups, "all"],
    queryFn: () => listGroups({ limit: 200 }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useGroupNames(enabled = true): Map<string, string> {
  const groups = useGroups(enabled);
  return useMemo(() => new Map((groups.data ?? []).map((g) => [g.id, g.name])), [groups.data]);
}

export function userQuery(id: string) {
  return {
    queryKey: [...keys.users, "detail", id],
    queryFn: () => getUser(id),
    staleTime: 5 * 60_000,
    retry: false,
  };
}

/** Names of the users behind these ids, fetched once each and shared with every other screen. */
export function useUserNames(ids: readonly (string | null | undefined)[], enabled = true): Map<string, string> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))].sort();
  const results = useQueries({ queries: unique.map((id) => ({ ...userQuery(id), enabled })) });
  const names = new Map<string, string>();
  unique.forEach((id, i) => {
    const user = results[i]?.data;
    if (user) names.set(id, user.name);
  });
  return names;
}
