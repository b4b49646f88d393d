import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import {
  cmdbAdminKeys,
  type DiscoveryLogEntry,
  type DiscoveryOutcome,
  listDiscoveryLog,
  listInventoryKeys,
} from "../../../api/cmdb-admin.ts";
import { formatDateTime, formatMoment, formatRelative } from "../../../lib/format.ts";
import { errorMessage } from "../../../lib/notify.ts";

const PAGE_SIZE = 50;
const nowrap = { whiteSpace: "nowrap" } as const;

const OUTCOMES: Record<DiscoveryOutcome, { label: string; color: string }> = {
  created: { label: "Created", color: "green" },
  updated: { label: "Updated", color: "blue" },
  unchanged: { label: "Unchanged", color: "gray" },
  conflict: { label: "Conflict", color: "orange" },
  rejected: { label: "Rejected", color: "red" },
};
const OUTCOME_FILTER = [
  { value: "all", label: "Every outcome" },
  ...(Object.keys(OUTCOMES) as DiscoveryOutcome[]).map((o) => ({ value: o, label: OUTCOMES[o].label })),
];

const PROTOCOLS: Record<string, { label: string; color: string }> = {
  fusion: { label: "FusionInventory", color: "teal" },
  ocs: { label: "OCS Inventory", color: "grape" },
  glpi: { label: "GLPI agent", color: "indigo" },
};

export function OutcomeBadge({ outcome }: { outcome: DiscoveryOutcome }) {
  const o = OUTCOMES[outcome];
  return (
    <Badge color={o.color} variant="light" tt="none" fw={600} style={{ minWidth: "max-content" }}>
      {o.label}
    </Badge>
  );
}

export function ProtocolBadge({ protocol }: { protocol: string }) {
  const p = PROTOCOLS[protocol];
  return (
    <Badge color={p?.color ?? "gray"} variant="outline" tt="none" fw={500} style={{ minWidth: "max-content" }}>
      {p?.label ?? protocol}
    </Badge>
  );
}

/** A CI the entry names, as the log answers it (number and name), or by id alone when it no longer exists. */
function CiRef({ id, ci }: { id: string; ci: { number: string; name: string } | undefined }) {
  return (
    <Group gap={6} wrap="nowrap" component="span" display="inline-flex" miw={0}>
      <Anchor
        renderRoot={(p) => <Link {...p} to="/cmdb/cis/$id" params={{ id }} />}
        fz="sm"
        fw={600}
        style={{ overflowWrap: "anywhere" }}
      >
        {ci?.name ?? "Open the CI"}
      </Anchor>
      {ci && (
        <Text span ff="monospace" fz="xs" c="dimmed" style={nowrap}>
          {ci.number}
        </Text>
      )}
    </Group>
  );
}

function LogRow({ entry, keyNames }: { entry: DiscoveryLogEntry; keyNames: Map<string, string> }) {
  const candidates = new Map(entry.candidates.map((c) => [c.id, c]));
  return (
    <Table.Tr data-log-id={entry.id} data-outcome={entry.outcome}>
      <Table.Td>
        <Text
          fz="sm"
          component="time"
          dateTime={entry.at}
          title={`${formatDateTime(entry.at)} (${formatRelative(entry.at)})`}
        >
          {formatMoment(entry.at)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text fz="sm" ff="monospace" style={{ overflowWrap: "anywhere" }}>
          {entry.deviceId}
        </Text>
        {entry.keyId && keyNames.has(entry.keyId) && (
          <Text fz="xs" c="dimmed">
            Key: {keyNames.get(entry.keyId)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <ProtocolBadge protocol={entry.protocol} />
      </Table.Td>
      <Table.Td>
        <OutcomeBadge outcome={entry.outcome} />
      </Table.Td>
      <Table.Td>
        {entry.ciId ? (
          <CiRef id={entry.ciId} ci={entry.ci ?? undefined} />
        ) : entry.candidateIds.length > 0 ? (
          <Stack gap={2}>
            <Text fz="xs" c="dimmed" id={`candidates-${entry.id}`}>
              Candidates
            </Text>
            <Stack
              gap={2}
              component="ul"
              p={0}
              m={0}
              style={{ listStyle: "none" }}
              aria-labelledby={`candidates-${entry.id}`}
            >
              {entry.candidateIds.map((id) => (
                <li key={id}>
                  <CiRef id={id} ci={candidates.get(id)} />
                </li>
              ))}
            </Stack>
          </Stack>
        ) : (
          <Text fz="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text fz="sm" style={{ overflowWrap: "anywhere" }}>
          {entry.detail}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** What every inventory run did, newest first: created, updated, unchanged, a conflict to resolve, or rejected. */
export function DiscoveryLog() {
  const [outcome, setOutcome] = useState<DiscoveryOutcome | "all">("all");
  const query = useInfiniteQuery({
    queryKey: [...cmdbAdminKeys.discoveryLog, { outcome }],
    queryFn: ({ pageParam }) =>
      listDiscoveryLog({ outcome: outcome === "all" ? undefined : outcome, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const keys = useQuery({ queryKey: cmdbAdminKeys.inventoryKeys, queryFn: listInventoryKeys, select: (d) => d.items });
  const keyNames = useMemo(() => new Map((keys.data ?? []).map((k) => [k.id, k.name])), [keys.data]);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} component="section" aria-labelledby="discovery-log">
      <Group justify="space-between" p="md" pb="sm" gap="sm" align="flex-end">
        <Stack gap={2}>
          <Title order={2} fz="md" id="discovery-log">
            Discovery log
          </Title>
          <Text fz="sm" c="dimmed">
            Every inventory an agent sent. A conflict writes nothing: open its candidates and decide which CI the
            machine is.
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Tooltip label="Refresh" withArrow>
            <ActionIcon
              variant="default"
              size={36}
              onClick={() => void query.refetch()}
              loading={query.isRefetching && !query.isFetchingNextPage}
              aria-label="Refresh the discovery log"
            >
              <IconRefresh size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Select
            aria-label="Outcome"
            data={OUTCOME_FILTER}
            value={outcome}
            onChange={(v) => setOutcome((v ?? "all") as DiscoveryOutcome | "all")}
            allowDeselect={false}
            w={200}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="sm" horizontalSpacing="md">
          <caption className="steward-visually-hidden">Discovery log</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th w={130}>Time</Table.Th>
              <Table.Th w={190}>Device</Table.Th>
              <Table.Th w={150}>Agent</Table.Th>
              <Table.Th w={115}>Outcome</Table.Th>
              <Table.Th w={200}>CI</Table.Th>
              <Table.Th>Detail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <LogRow key={e.id} entry={e} keyNames={keyNames} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {query.isLoading && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the discovery log" />
        </Center>
      )}
      {query.isError && (
        <Text c="red" ta="center" py="xl" fz="sm">
          {errorMessage(query.error)}
        </Text>
      )}
      {!query.isLoading && !query.isError && items.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" fz="sm">
          {outcome === "all"
            ? "No agent has sent an inventory yet."
            : `No inventory run with the outcome “${OUTCOMES[outcome].label}”.`}
        </Text>
      )}
      {query.hasNextPage && (
        <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Button variant="subtle" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}
