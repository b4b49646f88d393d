import { Button, Center, Group, Loader, type MantineBreakpoint, Paper, Table, Text } from "@mantine/core";
import { Link, useNavigate } from "@tanstack/react-router";
import type { MouseEvent, ReactNode } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { formatRelative } from "../../lib/format.ts";
import { PriorityBadge, StateBadge } from "./ticket-badges.tsx";

interface TicketTableProps {
  tickets: Ticket[];
  groupNames: Map<string, string>;
  userNames: Map<string, string>;
  isLoading: boolean;
  emptyText: string;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
}

const nowrap = { whiteSpace: "nowrap" } as const;

function Name({ names, id, none = "—" }: { names: Map<string, string>; id: string | null; none?: string }) {
  if (!id) {
    return (
      <Text span c="dimmed" fz="sm" fs={none === "—" ? undefined : "italic"} style={nowrap}>
        {none}
      </Text>
    );
  }
  return (
    <Text fz="sm" maw={160} truncate title={names.get(id)}>
      {names.get(id) ?? "…"}
    </Text>
  );
}

interface Column {
  header: string;
  visibleFrom?: MantineBreakpoint;
  width?: number;
  cell: (t: Ticket) => ReactNode;
}

/**
 * The work list. Each row has one link (its title), so Tab, j/k and the arrow keys land on a row,
 * Enter opens it, and a click anywhere on the row opens it too. On a phone the row folds into its
 * title cell.
 */
export function TicketTable(props: TicketTableProps) {
  const { tickets, groupNames, userNames } = props;
  const navigate = useNavigate();
  const openRow = (event: MouseEvent, ticket: Ticket) => {
    if ((event.target as HTMLElement).closest("a, button")) return;
    void navigate({ to: "/tickets/$id", params: { id: ticket.id } });
  };
  const columns: Column[] = [
    {
      header: "Number",
      visibleFrom: "md",
      width: 110,
      cell: (t) => (
        <Text ff="monospace" fz="xs" c="dimmed" style={nowrap}>
          {t.number}
        </Text>
      ),
    },
    {
      header: "Title",
      cell: (t) => (
        <>
          <Link to="/tickets/$id" params={{ id: t.id }} className="steward-row-link" data-row-link>
            {t.title}
          </Link>
          <Group gap={6} mt={4} hiddenFrom="sm">
            <PriorityBadge priority={t.priority} size="sm" />
            <StateBadge state={t.state} stateType={t.stateType} holdReason={t.holdReason} size="sm" />
            <Text fz="xs" c="dimmed">
              {t.number} · {formatRelative(t.createdAt)}
            </Text>
          </Group>
          <Text fz="xs" c="dimmed" mt={2} visibleFrom="sm" hiddenFrom="md">
            {t.number}
          </Text>
        </>
      ),
    },
    { header: "Priority", visibleFrom: "sm", width: 80, cell: (t) => <PriorityBadge priority={t.priority} /> },
    {
      header: "State",
      visibleFrom: "sm",
      cell: (t) => <StateBadge state={t.state} stateType={t.stateType} holdReason={t.holdReason} />,
    },
    { header: "Group", visibleFrom: "lg", cell: (t) => <Name names={groupNames} id={t.groupId} /> },
    {
      header: "Assignee",
      visibleFrom: "md",
      cell: (t) => <Name names={userNames} id={t.assigneeId} none="Unassigned" />,
    },
    { header: "Requester", visibleFrom: "lg", cell: (t) => <Name names={userNames} id={t.requesterId} /> },
    {
      header: "Created",
      visibleFrom: "md",
      width: 110,
      cell: (t) => (
        <Text fz="sm" c="dimmed" title={new Date(t.createdAt).toLocaleString()} style={nowrap}>
          {formatRelative(t.createdAt)}
        </Text>
      ),
    },
  ];
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
      <Table.ScrollContainer minWidth={320}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
          <caption className="steward-visually-hidden">Tickets</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th
                  key={c.header}
                  visibleFrom={c.visibleFrom}
                  w={c.width}
                  miw={c.header === "Title" ? 220 : undefined}
                >
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tickets.map((t) => (
              <Table.Tr key={t.id} className="steward-row steward-ticket-row" onClick={(e) => openRow(e, t)}>
                {columns.map((c) => (
                  <Table.Td key={c.header} visibleFrom={c.visibleFrom}>
                    {c.cell(t)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.isLoading && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading tickets" />
        </Center>
      )}
      {!props.isLoading && tickets.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" fz="sm">
          {props.emptyText}
        </Text>
      )}
      {props.hasMore && (
        <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Button variant="subtle" onClick={props.onLoadMore} loading={props.isLoadingMore}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}
