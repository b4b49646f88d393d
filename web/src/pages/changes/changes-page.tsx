import {
  Anchor,
  Badge,
  Button,
  Center,
  Container,
  Group,
  Loader,
  Menu,
  MultiSelect,
  Paper,
  Select,
  Table,
  Text,
} from "@mantine/core";
import {
  IconCalendarEvent,
  IconChartBar,
  IconChecklist,
  IconChevronDown,
  IconFilterOff,
  IconPlus,
  IconTemplate,
} from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type MouseEvent, useMemo, useState } from "react";
import {
  type Change,
  type ChangeListFilters,
  type ChangeState,
  type ChangeType,
  changeKeys,
  listChanges,
  listChangeTemplates,
  listMyApprovals,
  type RiskLevel,
} from "../../api/changes.ts";
import { can, useMe } from "../../auth.tsx";
import { PageHeader } from "../page-header.tsx";
import { useUserNames } from "../tickets/use-names.ts";
import {
  ChangeStateBadge,
  ChangeTypeBadge,
  PlannedWindow,
  RISK_OPTIONS,
  RiskBadge,
  STATE_OPTIONS,
  TYPE_OPTIONS,
} from "./change-badges.tsx";

const PAGE_SIZE = 50;
const nowrap = { whiteSpace: "nowrap" } as const;

/** Approved, active templates: each makes a pre-approved standard change. */
function TemplateMenu() {
  const [opened, setOpened] = useState(false);
  // Asked for when the menu opens: a template approved a minute ago is offered.
  const templates = useQuery({
    queryKey: changeKeys.templates,
    queryFn: listChangeTemplates,
    enabled: opened,
    staleTime: 0,
    select: (d) => d.items.filter((t) => t.approved && t.active),
  });
  return (
    <Menu position="bottom-end" width={300} shadow="md" withinPortal opened={opened} onChange={setOpened}>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconTemplate size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
        >
          From template
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Standard changes: pre-approved, no CAB</Menu.Label>
        {templates.isLoading && <Menu.Item disabled>Loading…</Menu.Item>}
        {templates.isError && <Menu.Item disabled>The templates could not be loaded</Menu.Item>}
        {templates.data?.length === 0 && <Menu.Item disabled>No approved template yet</Menu.Item>}
        {templates.data?.map((t) => (
          <Menu.Item
            key={t.id}
            renderRoot={(props) => <Link {...props} to="/changes/new" search={{ templateId: t.id }} />}
          >
            {t.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function ChangeTable(props: {
  items: Change[];
  isLoading: boolean;
  emptyText: string;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
}) {
  const { items } = props;
  const navigate = useNavigate();
  const owners = useUserNames(items.map((c) => c.ownerId));
  const openRow = (event: MouseEvent, change: Change) => {
    if ((event.target as HTMLElement).closest("a, button, input, label")) return;
    void navigate({ to: "/changes/$id", params: { id: change.id } });
  };
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
      <Table.ScrollContainer minWidth={320}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
          <caption className="steward-visually-hidden">Changes</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th w={120} visibleFrom="sm">
                Number
              </Table.Th>
              <Table.Th>Title</Table.Th>
              <Table.Th visibleFrom="md">Type</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th visibleFrom="sm">Risk</Table.Th>
              <Table.Th visibleFrom="lg">Planned window</Table.Th>
              <Table.Th visibleFrom="md">Owner</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id} className="steward-row" onClick={(e) => openRow(e, c)} data-change-id={c.id}>
                <Table.Td visibleFrom="sm">
                  <Text ff="monospace" fz="sm" c="dimmed" style={nowrap}>
                    {c.number}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor
                    renderRoot={(rootProps) => <Link {...rootProps} to="/changes/$id" params={{ id: c.id }} />}
                    className="steward-row-link"
                  >
                    {c.title}
                  </Anchor>
                  <Text hiddenFrom="sm" fz="xs" c="dimmed">
                    {c.number}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="md">
                  <ChangeTypeBadge type={c.type} />
                </Table.Td>
                <Table.Td>
                  <ChangeStateBadge state={c.state} />
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <RiskBadge level={c.risk.level} />
                </Table.Td>
                <Table.Td visibleFrom="lg">
                  <PlannedWindow start={c.plannedStart} end={c.plannedEnd} />
                </Table.Td>
                <Table.Td visibleFrom="md">
                  <Text fz="sm" c={c.ownerId ? undefined : "dimmed"} truncate maw={180}>
                    {c.ownerId ? (owners.get(c.ownerId) ?? "…") : "—"}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.isLoading && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading changes" />
        </Center>
      )}
      {!props.isLoading && items.length === 0 && (
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

/** Requests for change, newest first, filtered by state, type and risk level, a page at a time. */
export function ChangesPage() {
  const me = useMe();
  const [filters, setFilters] = useState<ChangeListFilters>({});
  const params = useMemo(() => ({ ...filters }), [filters]);
  const query = useInfiniteQuery({
    queryKey: changeKeys.list(params),
    queryFn: ({ pageParam }) => listChanges(params, pageParam, PAGE_SIZE),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const filtered = !!(filters.state?.length || filters.type || filters.riskLevel);
  const canCreate = can(me, "change.create");
  const waiting = useQuery({ queryKey: changeKeys.myApprovals, queryFn: listMyApprovals, staleTime: 30_000 });
  const waitingCount = waiting.data?.items.length ?? 0;

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Changes"
        description="Requests for change: what changes, why, who answers for it, what it impacts, when, and how it is rolled back."
        actions={
          <>
            {canCreate && <TemplateMenu />}
            {canCreate && (
              <Button component={Link} to="/changes/new" leftSection={<IconPlus size={16} aria-hidden />}>
                New change
              </Button>
            )}
          </>
        }
      />
      <Group gap="xs" mb="md" wrap="wrap" component="nav" aria-label="Change management">
        <Button
          component={Link}
          to="/changes/approvals"
          variant="light"
          size="sm"
          leftSection={<IconChecklist size={16} aria-hidden />}
          rightSection={
            waitingCount > 0 ? (
              <Badge size="sm" circle aria-label={`${waitingCount} waiting for you`}>
                {waitingCount}
              </Badge>
            ) : undefined
          }
        >
          My approvals
        </Button>
        <Button
          component={Link}
          to="/changes/calendar"
          variant="light"
          size="sm"
          leftSection={<IconCalendarEvent size={16} aria-hidden />}
        >
          Calendar
        </Button>
        <Button
          component={Link}
          to="/changes/report"
          variant="light"
          size="sm"
          leftSection={<IconChartBar size={16} aria-hidden />}
        >
          Report
        </Button>
      </Group>
      <Group gap="sm" mb="md" wrap="wrap" align="flex-start" role="group" aria-label="Filters">
        <MultiSelect
          aria-label="State"
          placeholder={filters.state?.length ? undefined : "Any state"}
          data={STATE_OPTIONS}
          value={filters.state ?? []}
          onChange={(v) => setFilters((f) => ({ ...f, state: v.length ? (v as ChangeState[]) : undefined }))}
          clearable
          hidePickedOptions
          w={{ base: "100%", sm: 280 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label="Type"
          placeholder="Any type"
          data={TYPE_OPTIONS}
          value={filters.type ?? null}
          onChange={(v) => setFilters((f) => ({ ...f, type: (v as ChangeType | null) ?? undefined }))}
          clearable
          w={{ base: "100%", sm: 160 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label="Risk level"
          placeholder="Any risk"
          data={RISK_OPTIONS}
          value={filters.riskLevel ?? null}
          onChange={(v) => setFilters((f) => ({ ...f, riskLevel: (v as RiskLevel | null) ?? undefined }))}
          clearable
          w={{ base: "100%", sm: 170 }}
          comboboxProps={{ withinPortal: true }}
        />
        {filtered && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} aria-hidden />}
            onClick={() => setFilters({})}
          >
            Clear filters
          </Button>
        )}
      </Group>
      <ChangeTable
        items={items}
        isLoading={query.isLoading}
        emptyText={filtered ? "No change matches these filters." : "No changes yet."}
        hasMore={query.hasNextPage}
        isLoadingMore={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
    </Container>
  );
}
