import { Badge, Center, Group, Loader, Paper, Text, Title } from "@mantine/core";
import type { Ci } from "../../api/cmdb.ts";
import { errorMessage } from "../../lib/notify.ts";
import { TicketList, useImpact } from "./ci-impact.tsx";

/** Open tickets that name this CI, or a CI one hop downstream of it, as affected. */
export function CiTickets({ ci }: { ci: Ci }) {
  const impact = useImpact(ci.id, "downstream", 1);
  const tickets = impact.data?.tickets ?? [];
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-tickets-title">
      <Group gap={6} mb="xs">
        <Title order={2} fz="md" id="ci-tickets-title">
          Open tickets on this CI and what depends on it
        </Title>
        <Badge variant="light" color="gray" size="sm">
          {tickets.length}
        </Badge>
      </Group>
      <Text fz="sm" c="dimmed" mb="md">
        Incidents, requests and problems that list this CI, or a CI that directly depends on it, as affected.
      </Text>
      {impact.isLoading ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading tickets" />
        </Center>
      ) : impact.isError ? (
        <Text c="red" fz="sm">
          {errorMessage(impact.error)}
        </Text>
      ) : tickets.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No open tickets.
        </Text>
      ) : (
        <TicketList tickets={tickets} label="Open tickets" />
      )}
    </Paper>
  );
}
