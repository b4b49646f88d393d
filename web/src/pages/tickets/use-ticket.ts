import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { getTicketSla } from "../../api/settings.ts";
import { getTicket, listArticles } from "../../api/tickets.ts";

export const ticketKey = (id: string) => [...keys.tickets, "detail", id] as const;
export const articlesKey = (id: string) => [...keys.tickets, "articles", id] as const;
export const slaKey = (id: string) => [...keys.tickets, "sla", id] as const;
export const attachmentsKey = (id: string) => [...keys.tickets, "attachments", id] as const;
/** Every ticket's links: a link shows on both of its tickets, so a change refreshes them all. */
export const linksRoot = [...keys.tickets, "links"] as const;
export const linksKey = (id: string) => [...linksRoot, id] as const;
/** Saved views carry live counts, so they sit under tickets and refresh with the work lists. */
export const viewsKey = [...keys.tickets, "views"] as const;

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKey(id), queryFn: () => getTicket(id), retry: false });
}

export function useArticles(id: string) {
  return useQuery({ queryKey: articlesKey(id), queryFn: () => listArticles(id), select: (d) => d.items });
}

/** The ticket's SLA clocks, refreshed every minute while the page is open (and after every change). */
export function useTicketSla(id: string) {
  return useQuery({
    queryKey: slaKey(id),
    queryFn: () => getTicketSla(id),
    retry: false,
    staleTime: 0,
    refetchInterval: 60_000,
  });
}

/** After any change to a ticket: its timeline, its SLA clocks, the work lists and the views' counts. */
export async function refreshAround(queryClient: QueryClient, id: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: articlesKey(id) }),
    queryClient.invalidateQueries({ queryKey: slaKey(id) }),
    queryClient.invalidateQueries({ queryKey: [...keys.tickets, "list"] }),
    queryClient.invalidateQueries({ queryKey: viewsKey }),
  ]);
}

/**
 * After a write: show the ticket the server answered with, then refresh its timeline (system events),
 * its SLA clocks and the work lists. `reload` fetches the latest version after a 409.
 */
export function useTicketUpdates(id: string) {
  const queryClient = useQueryClient();
  const saved = useCallback(
    async (ticket?: Ticket) => {
      if (ticket) queryClient.setQueryData(ticketKey(id), ticket);
      else await queryClient.invalidateQueries({ queryKey: ticketKey(id) });
      await refreshAround(queryClient, id);
    },
    [queryClient, id],
  );
  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ticketKey(id) });
    await queryClient.invalidateQueries({ queryKey: articlesKey(id) });
    await queryClient.invalidateQueries({ queryKey: slaKey(id) });
  }, [queryClient, id]);
  return { saved, reload };
}

/**
 * Writes to one ticket from the side panels share this mutation scope, so they run one after another;
 * each builds its request from the ticket as it is when the request leaves (`useLatestTicket`), with
 * that version, not from the one the page was rendered with.
 */
export const ticketWriteScope = (id: string) => ({ id: `ticket-write-${id}` });

export function useLatestTicket(ticket: Ticket): () => Ticket {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.getQueryData<Ticket>(ticketKey(ticket.id)) ?? ticket, [queryClient, ticket]);
}
