import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

export type StatusFilter = "active" | "inactive" | "all";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedListParams {
  q?: string;
  active?: boolean;
  cursor?: string;
  limit: number;
}

const PAGE_SIZE = 25;

/** A searchable, filterable, cursor-paginated list: the state behind every admin table. */
export function usePagedList<T, F extends object>(
  resource: readonly unknown[],
  fetchPage: (params: PagedListParams & F) => Promise<Page<T>>,
  filters: F,
) {
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<StatusFilter>("active");
  const [q] = useDebouncedValue(search.trim(), 300);
  const active = status === "all" ? undefined : status === "active";

  const query = useInfiniteQuery({
    queryKey: [...resource, "list", { q, active, ...filters }],
    queryFn: ({ pageParam }) =>
      fetchPage({ ...filters, q: q || undefined, active, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { search, setSearch, status, setStatus, q, items, query };
}
