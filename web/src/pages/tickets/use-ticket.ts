import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { getTicket, listArticles } from "../../api/tickets.ts";

export const ticketKey = (id: string) => [...keys.tickets, "detail", id] as const;
export const articlesKey = (id: string) => [...keys.tickets, "articles", id] as const;

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKey(id), queryFn: () => getTicket(id), retry: false });
}

export function useArticles(id: string) {
  return useQuery({ queryKey: articlesKey(id), queryFn: () => listArticles(id), select: (d) => d.items });
}

/**
 * After a write: show the ticket the server answered with, then refresh its timeline (system events)
 * and the work lists. `reload` fetches the latest version after a 409.
 */
export function useTicketUpdates(id: string) {
  const queryClient = useQueryClient();
  const saved = useCallback(
    async (ticket?: Ticket) => {
      if (ticket) queryClient.setQueryData(ticketKey(id), ticket);
      else await queryClient.invalidateQueries({ queryKey: ticketKey(id) });
      await queryClient.invalidateQueries({ queryKey: articlesKey(id) });
      await queryClient.invalidateQueries({ queryKey: [...keys.tickets, "list"] });
    },
    [queryClient, id],
  );
  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ticketKey(id) });
    await queryClient.invalidateQueries({ queryKey: articlesKey(id) });
  }, [queryClient, id]);
  return { saved, reload };
}
