import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { PageParams } from "../../../api/settings.ts";
import type { Page } from "../use-paged-list.ts";

/** A cursor-paginated list with an optional name search (settings lists have no active filter). */
export function useSearchList<T>(resource: readonly unknown[], fetchPage: (params: PageParams) => Promise<Page<T>>) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = useInfiniteQuery({
    queryKey: [...resource, "list", { q }],
    queryFn: ({ pageParam }) => fetchPage({ q: q || undefined, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { search, setSearch, q, items, query };
}
