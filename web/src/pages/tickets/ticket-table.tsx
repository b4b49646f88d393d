import {
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  type MantineBreakpoint,
  Paper,
  Table,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconSelector } from "@tabler/icons-react";
import { Link, useNavigate } from "@tanstack/react-router";
import type { KeyboardEvent, MouseEvent, ReactNode } from "react";
import type { Ticket, TicketSort } from "../../../../common/tickets.ts";
import { formatRelative } from "../../lib/format.ts";
import { PriorityBadge, StateBadge } from "./ticket-badges.tsx";
import { SORT_LABELS } from "./ticket-views.ts";

interface TicketTableProps {
  tickets: Ticket[];
  sort: TicketSort;
  onSort: (sort: TicketSort) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (checked: boolean) => void;
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

/** A sortable column's two orders, and the one a first click picks. */
interface ColumnSort {
  asc: TicketSort;
  desc: TicketSort;
  first: "asc" | "desc";
}

function When({ at }: { at: string }) {
  return (
    <Text fz="sm" c="dimmed" title={new Date(at).toLocaleString()} style={nowrap}>
      {formatRelative(at)}
    </Text>
  );
}

interface Column {
  header: string;
  visibleFrom?: MantineBreakpoint;
  width?: number;
  sort?: ColumnSort;
  cell: (t: Ticket) => ReactNode;
}

function sortState(column: ColumnSort, sort: TicketSort): "ascending" | "descending" | undefined {
  if (sort === column.asc) return "ascending";
  return sort === column.desc ? "descending" : undefined;
}

/** A header that sorts its column: the first click picks the usual order, the next reverses it. */
function SortButton({ column, sort, onSort }: { column: Column; sort: TicketSort; onSort: (s: TicketSort) => void }) {
  const order = column.sort as ColumnSort;
  const state = sortState(order, sort);
  const next = state === "ascending" ? order.desc : state === "descending" ? order.asc : order[order.first];
  const Icon = state === "ascending" ? IconArrowUp : state === "descending" ? IconArrowDown : IconSelector;
  return (
    <UnstyledButton onClick={() => onSort(next)} title={`Sort: ${SORT_LABELS[next].toLowerCase()}`} fw={700} fz="sm">
      <Group gap={4} wrap="nowrap">
        {column.header}
        <Icon size={14} stroke={state ? 2.2 : 1.6} aria-hidden style={{ opacity: state ? 1 : 0.5 }} />
      </Group>
    </UnstyledButton>
  );
}

const stopClick = (event: MouseEvent) => event.stopPropagation();

/**
 * The work list. Each row has one link (its title), so Tab, j/k and the arrow keys land on a row,
 * Enter opens it, and a click anywhere on the row opens it too. On a phone the row folds into its
 * title cell. A checkbox selects a row for bulk actions; so does x on a focused row. Priority, Created and
 * Updated sort the list from their headers.
 */
export function TicketTable(props: TicketTableProps) {
  const { tickets, groupNames, userNames, selected, onToggle } = props;
  const navigate = useNavigate();
  const openRow = (event: MouseEvent, ticket: Ticket) => {
    if ((event.target as HTMLElement).closest("a, button, input, label")) return;
    void navigate({ to: "/tickets/$id", params: { id: ticket.id } });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "x" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement && target.type !== "checkbox") return;
    const id = target.closest<HTMLElement>("tr[data-ticket-id]")?.dataset.ticketId;
    if (!id) return;
    event.preventDefault();
    onToggle(id);
  };
  const selectedHere = tickets.filter((t) => selected.has(t.id)).length;
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
    {
      header: "Priority",
      visibleFrom: "sm",
      width: 100,
      sort: { asc: "priority", desc: "-priority", first: "asc" },
      cell: (t) => <PriorityBadge priority={t.priority} />,
    },
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
    { header: "Requester", visibleFrom: "xl", cell: (t) => <Name names={userNames} id={t.requesterId} /> },
    {
      header: "Created",
      visibleFrom: "md",
      width: 120,
      sort: { asc: "createdAt", desc: "-createdAt", first: "desc" },
      cell: (t) => <When at={t.createdAt} />,
    },
    {
      header: "Updated",
      visibleFrom: "xl",
      width: 120,
      sort: { asc: "updatedAt", desc: "-updatedAt", first: "desc" },
      cell: (t) => <When at={t.updatedAt} />,
    },
  ];
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} onKeyDown={onKeyDown}>
      <Table.ScrollContainer minWidth={320}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="sm">
          <caption className="steward-visually-hidden">Tickets</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th w={40} pr={0}>
                <Checkbox
                  aria-label="Select all tickets on this page"
                  checked={tickets.length > 0 && selectedHere === tickets.length}
                  indeterminate={selectedHere > 0 && selectedHere < tickets.length}
                  disabled={tickets.length === 0}
                  onChange={(e) => props.onToggleAll(e.currentTarget.checked)}
                />
              </Table.Th>
              {columns.map((c) => (
                <Table.Th
                  key={c.header}
                  visibleFrom={c.visibleFrom}
                  w={c.width}
                  miw={c.header === "Title" ? 220 : undefined}
                  aria-sort={c.sort ? sortState(c.sort, props.sort) : undefined}
                >
                  {c.sort ? <SortButton column={c} sort={props.sort} onSort={props.onSort} /> : c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tickets.map((t) => (
              <Table.Tr
                key={t.id}
                className="steward-row steward-ticket-row"
                data-ticket-id={t.id}
                bg={selected.has(t.id) ? "var(--mantine-primary-color-light)" : undefined}
                onClick={(e) => openRow(e, t)}
              >
                <Table.Td pr={0} onClick={stopClick}>
                  <Checkbox
                    aria-label={`Select ${t.number}`}
                    checked={selected.has(t.id)}
                    onChange={() => onToggle(t.id)}
                  />
                </Table.Td>
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
