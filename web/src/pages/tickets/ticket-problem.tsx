import { Anchor, Paper, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { getTicket, listTickets } from "../../api/tickets.ts";
import { stateLabel } from "./labels.ts";
import { ticketKey } from "./use-ticket.ts";

const serverFiltered = ({ options }: { options: unknown[] }) => options as never;

/** An incident's problem: pick one, and see its number, state and workaround when it is readable. */
export function ProblemLink(props: {
  ticket: Ticket;
  disabled: boolean;
  error?: string | undefined;
  onChange: (problemId: string | null) => void;
}) {
  const { ticket } = props;
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const problem = useQuery({
    queryKey: ticketKey(ticket.problemId ?? ""),
    queryFn: () => getTicket(ticket.problemId ?? ""),
    enabled: !!ticket.problemId,
    retry: false,
  });
  const options = useQuery({
    queryKey: [...keys.tickets, "problem-options", q],
    queryFn: () => listTickets({ type: "problem", q: q || undefined, limit: 20 }),
    enabled: !props.disabled,
    placeholderData: keepPreviousData,
  });
  const data = new Map<string, string>();
  if (problem.data) data.set(problem.data.id, `${problem.data.number} · ${problem.data.title}`);
  else if (ticket.problemId) data.set(ticket.problemId, problem.isError ? "A problem you cannot see" : "Loading…");
  for (const p of options.data?.items ?? []) if (!data.has(p.id)) data.set(p.id, `${p.number} · ${p.title}`);

  return (
    <Stack gap={6}>
      <Select
        label="Problem"
        placeholder="Not linked"
        searchable
        clearable
        data={[...data].map(([value, label]) => ({ value, label }))}
        value={ticket.problemId}
        onChange={(v) => v !== ticket.problemId && props.onChange(v)}
        onSearchChange={setSearch}
        filter={serverFiltered}
        nothingFoundMessage={options.isFetching ? "Searching…" : "No problem found"}
        error={props.error}
        disabled={props.disabled}
        comboboxProps={{ withinPortal: true }}
      />
      {problem.data && (
        <Paper withBorder p="xs" radius="md" bg="var(--mantine-color-default-hover)">
          <Anchor
            renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id: problem.data.id }} />}
            fz="sm"
            fw={600}
          >
            {problem.data.number}
          </Anchor>
          <Text span fz="xs" c="dimmed" ml={6}>
            {stateLabel(problem.data.state)}
          </Text>
          <Text fz="xs" c="dimmed" mt={4}>
            Workaround
          </Text>
          <Text fz="sm" style={{ whiteSpace: "pre-wrap" }}>
            {problem.data.workaround ?? "None recorded yet."}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
