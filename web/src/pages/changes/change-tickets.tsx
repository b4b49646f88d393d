import { ActionIcon, Anchor, Group, Input, Paper, Select, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconX } from "@tabler/icons-react";
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import type { Change } from "../../api/changes.ts";
import { keys } from "../../api/queries.ts";
import { getTicket, listTickets } from "../../api/tickets.ts";
import { stateLabel, TYPE_LABELS } from "../tickets/labels.ts";
import { ticketKey } from "../tickets/use-ticket.ts";

type TicketLike = Pick<Ticket, "id" | "number" | "title" | "type" | "state">;

/** The tickets behind these ids, fetched once each and shared with the ticket pages' cache. */
export function useTicketSummaries(ids: readonly string[]) {
  const results = useQueries({
    queries: ids.map((id) => ({ queryKey: ticketKey(id), queryFn: () => getTicket(id), retry: false })),
  });
  const map = new Map<string, TicketLike>();
  ids.forEach((id, i) => {
    const t = results[i]?.data;
    if (t) map.set(id, t);
  });
  return map;
}

/** Options are searched on the server, so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

function TicketRow({ ticket, id, onRemove }: { ticket: TicketLike | undefined; id: string; onRemove?: () => void }) {
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start" component="li" miw={0}>
      <Stack gap={0} miw={0}>
        <Anchor
          renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id }} />}
          fz="sm"
          style={{ overflowWrap: "anywhere" }}
        >
          {ticket?.title ?? "Loading…"}
        </Anchor>
        <Text fz="xs" c="dimmed">
          <Text span ff="monospace" fz="xs">
            {ticket?.number ?? "…"}
          </Text>
          {ticket && ` · ${TYPE_LABELS[ticket.type]} · ${stateLabel(ticket.state)}`}
        </Text>
      </Stack>
      {onRemove && (
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          onClick={onRemove}
          aria-label={`Remove ${ticket?.number ?? "ticket"}`}
        >
          <IconX size={14} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

/** Incidents and problems, searched by number or words; picked ones are listed below with a remove button. */
export function ChangeTicketsPicker(props: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const { value, onChange } = props;
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const list = useQuery({
    queryKey: [...keys.tickets, "search", "incident,problem", q],
    queryFn: () => listTickets({ q: q || undefined, type: "incident,problem", limit: 10 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const picked = useTicketSummaries(value);
  const found = (list.data?.items ?? []).filter((t) => !value.includes(t.id));
  const byId = new Map(found.map((t) => [t.id, t]));
  return (
    <Input.Wrapper
      label="Linked incidents and problems"
      description="What this change answers or is related to"
      error={props.error}
    >
      <Stack gap="xs" mt={4}>
        <Select
          aria-label="Link an incident or problem"
          placeholder="Search by number or title"
          searchable
          value={null}
          searchValue={search}
          onSearchChange={setSearch}
          data={found.map((t) => ({ value: t.id, label: `${t.number} · ${t.title}` }))}
          filter={serverFiltered}
          onChange={(id) => {
            if (id && !value.includes(id)) onChange([...value, id]);
            setSearch("");
          }}
          renderOption={({ option }) => {
            const t = byId.get(option.value);
            return (
              <Group gap="xs" wrap="nowrap" miw={0} w="100%">
                <Text ff="monospace" fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                  {t?.number}
                </Text>
                <Text fz="sm" truncate>
                  {t?.title}
                </Text>
                <Text fz="xs" c="dimmed" ml="auto" style={{ whiteSpace: "nowrap" }}>
                  {t && `${TYPE_LABELS[t.type]} · ${stateLabel(t.state)}`}
                </Text>
              </Group>
            );
          }}
          nothingFoundMessage={list.isFetching ? "Searching…" : "No incident or problem found"}
          comboboxProps={{ withinPortal: true }}
        />
        {value.length > 0 && (
          <Stack component="ul" gap={6} m={0} p={0} style={{ listStyle: "none" }} aria-label="Linked tickets">
            {value.map((id) => (
              <TicketRow
                key={id}
                id={id}
                ticket={picked.get(id)}
                onRemove={() => onChange(value.filter((v) => v !== id))}
              />
            ))}
          </Stack>
        )}
      </Stack>
    </Input.Wrapper>
  );
}

/** The incidents and problems linked to a change, each a link to its ticket. */
export function LinkedTickets({ change }: { change: Change }) {
  const tickets = useTicketSummaries(change.ticketIds);
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-tickets-title">
      <Title order={2} fz="md" mb="sm" id="change-tickets-title">
        Linked incidents and problems
      </Title>
      {change.ticketIds.length === 0 ? (
        <Text fz="sm" c="dimmed">
          None linked.
        </Text>
      ) : (
        <Stack component="ul" gap={8} m={0} p={0} style={{ listStyle: "none" }} aria-label="Linked tickets">
          {change.ticketIds.map((id) => (
            <TicketRow key={id} id={id} ticket={tickets.get(id)} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
