import { useQuery } from "@tanstack/react-query";
import { isApiError } from "../../api/client.ts";
import { listViews, type SavedView } from "../../api/views.ts";
import { viewsKey } from "./use-ticket.ts";

/**
 * Saved views with live counts, refreshed every 30 s (and after every ticket change, through
 * `viewsKey`). `available` is false while the server has no views API (404) or it fails: the work list
 * then offers its built-in quick views. `settled` is false until the first answer (or failure).
 */
export function useSavedViews(): { views: SavedView[]; available: boolean; settled: boolean; missing: boolean } {
  const query = useQuery({
    queryKey: viewsKey,
    queryFn: listViews,
    refetchInterval: (q) => (isApiError(q.state.error, 404) ? false : 30_000),
    staleTime: 10_000,
  });
  const views = query.data?.items ?? [];
  return {
    views,
    available: views.length > 0,
    settled: !query.isPending,
    missing: isApiError(query.error, 404),
  };
}

/** "1000+" when the server stopped counting. */
export const countText = (v: SavedView) => (v.countCapped ? `${v.count}+` : String(v.count));
