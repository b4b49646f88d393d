import { Group, Select, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { keys } from "../../api/queries.ts";
import { listTickets } from "../../api/tickets.ts";
import { stateLabel } from "./labels.ts";

/** What a picked ticket is shown by; a link's `ticket` has the same shape. */
export interface TicketSummary {
  id: string;
  number: string;
  title: string;
  state: string;
}

const optionLabel = (t: TicketSummary) => `${t.number} · ${t.title}`;

/** Options are searched on the server (title, text or number), so the client shows them as they come. */
const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

/**
 * A ticket searched by number or words (`GET /tickets?q=…&limit=10`); with nothing typed, the most
 * recent tickets. `exclude` leaves out tickets that make no sense here (the ticket itself).
 */
export function TicketSearchPicker(props: {
  label: string;
  description?: string;
  value: TicketSummary | null;
  onChange: (ticket: TicketSummary | null) => void;
  exclude?: readonly string[];
  error?: string | undefined;
  autoFocus?: boolean;
}) {
  const { value, exclude = [] } = props;
  const [search, setSearch] = useState("");
  const [typed] = useDebouncedValue(search.trim(), 250);
  // Picking an option writes its label into the box; that is not a new search.
  const q = value && typed === optionLabel(value) ? "" : typed;
  const list = useQuery({
    queryKey: [...keys.tickets, "search", q],
    queryFn: () => listTickets({ q: q || undefined, limit: 10 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const found = new Map<string, TicketSummary>();
  if (value) found.set(value.id, value);
  for (const t of list.data?.items ?? []) {
    if (!exclude.includes(t.id) && !found.has(t.id)) found.set(t.id, t);
  }
  return (
    <Select
      label={props.label}
      description={props.description}
      placeholder="Search by number or title"
      searchable
      clearable
      data={[...found.values()].map((t) => ({ value: t.id, label: optionLabel(t) }))}
      value={value?.id ?? null}
      onChange={(id) => props.onChange(id ? (found.get(id) ?? null) : null)}
      onSearchChange={setSearch}
      filter={serverFiltered}
      renderOption={({ option }) => {
        const t = found.get(option.value);
        return (
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Text ff="monospace" fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
              {t?.number}
            </Text>
            <Text fz="sm" truncate>
              {t?.title}
            </Text>
            <Text fz="xs" c="dimmed" ml="auto" style={{ whiteSpace: "nowrap" }}>
              {t && stateLabel(t.state)}
            </Text>
          </Group>
        );
      }}
      nothingFoundMessage={list.isFetching ? "Searching…" : "No ticket found"}
      error={props.error}
      comboboxProps={{ withinPortal: true }}
      data-autofocus={props.autoFocus || undefined}
    />
  );
}
