import { Button, Center, Group, Loader, Paper, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconChevronRight, IconPlus } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { listTickets } from "../../api/tickets.ts";
import { useMe } from "../../auth.tsx";
import { formatRelative } from "../../lib/format.ts";
import { RequestStateBadge } from "./request-state-badge.tsx";

function RequestRow({ ticket }: { ticket: Ticket }) {
  return (
    <UnstyledButton
      renderRoot={(rootProps) => <Link {...rootProps} to="/portal/requests/$id" params={{ id: ticket.id }} />}
      className="steward-request-row"
      aria-label={`${ticket.number} ${ticket.title}`}
    >
      <Group justify="space-between" wrap="nowrap" gap="md" px="md" py="sm">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} fz="sm" truncate>
            {ticket.title}
          </Text>
          <Text fz="xs" c="dimmed">
            {ticket.number} · opened {formatRelative(ticket.createdAt)} · updated {formatRelative(ticket.updatedAt)}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <RequestStateBadge ticket={ticket} />
          <IconChevronRight size={16} aria-hidden color="var(--mantine-color-dimmed)" />
        </Group>
      </Group>
    </UnstyledButton>
  );
}

export function PortalHomePage() {
  useDocumentTitle("Support portal · Steward");
  const me = useMe();
  const firstName = me?.name.split(/\s+/)[0] ?? "";
  // Customers see their own (and, where shared, their organization's) requests; an agent here sees theirs.
  const requesterId = me?.kind === "agent" ? me.id : undefined;
  const query = useInfiniteQuery({
    queryKey: [...keys.tickets, "list", "portal", requesterId],
    queryFn: ({ pageParam }) => listTickets({ requesterId, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  return (
    <>
      <Paper
        p={{ base: "lg", sm: 40 }}
        mb="xl"
        radius="lg"
        bg="var(--mantine-primary-color-light)"
        style={{ border: "1px solid var(--mantine-primary-color-light-hover)" }}
      >
        <Title order={1} fz={{ base: 26, sm: 32 }}>
          Welcome, {firstName}
        </Title>
        <Text mt="sm" maw={620}>
          Tell us what is wrong or what you need, and follow every request here until it is done.
        </Text>
        <Button component={Link} to="/portal/new" mt="lg" size="md" leftSection={<IconPlus size={18} aria-hidden />}>
          New request
        </Button>
      </Paper>
      <Stack gap="sm" component="section" aria-labelledby="my-requests">
        <Title order={2} fz="lg" id="my-requests">
          My requests
        </Title>
        <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
          {query.isLoading && (
            <Center py="xl">
              <Loader size="sm" aria-label="Loading your requests" />
            </Center>
          )}
          {!query.isLoading && items.length === 0 && (
            <Text c="dimmed" ta="center" py="xl" fz="sm">
              You have no requests yet.
            </Text>
          )}
          <Stack component="ul" gap={0} m={0} p={0} style={{ listStyle: "none" }} aria-label="My requests">
            {items.map((t) => (
              <li key={t.id}>
                <RequestRow ticket={t} />
              </li>
            ))}
          </Stack>
          {query.hasNextPage && (
            <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
              <Button variant="subtle" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                Load more
              </Button>
            </Center>
          )}
        </Paper>
      </Stack>
    </>
  );
}
