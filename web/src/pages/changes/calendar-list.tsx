import { Badge, Box, Group, List, Paper, Stack, Table, Text, ThemeIcon } from "@mantine/core";
import { IconAlertTriangleFilled, IconLock, IconShieldCheck, IconTool } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import type { CalendarBlackout, CalendarChange, CalendarMaintenance } from "../../api/change-admin.ts";
import {
  CHANGE_STATE_LABELS,
  CHANGE_TYPE_COLORS,
  CHANGE_TYPE_LABELS,
  CONFLICT_RULE_LABELS,
  conflictCount,
  RISK_COLORS,
  RISK_LABELS,
} from "./calendar-labels.ts";
import { changeName, openConflicts, type Range, spanLabel, within } from "./calendar-model.ts";

function Conflicts({ change: c }: { change: CalendarChange }) {
  const open = openConflicts(c);
  if (open.length === 0 && c.conflicts.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        None
      </Text>
    );
  }
  if (open.length === 0) {
    return (
      <Group gap={6} wrap="nowrap">
        <IconShieldCheck size={16} aria-hidden color="var(--mantine-color-teal-filled)" />
        <Text fz="sm" c="dimmed">
          {conflictCount(c.conflicts.length)}, accepted
        </Text>
      </Group>
    );
  }
  return (
    <Stack gap={4}>
      <Group gap={6} wrap="nowrap">
        <IconAlertTriangleFilled size={16} aria-hidden color="var(--mantine-color-red-filled)" />
        <Text fz="sm" fw={700} c="red">
          {conflictCount(open.length)}
        </Text>
      </Group>
      <List size="sm" spacing={2} aria-label={`Conflicts of ${c.number}`}>
        {open.map((x) => (
          <List.Item key={`${x.rule}-${x.message}`}>
            <Text span fz="sm" fw={600}>
              {CONFLICT_RULE_LABELS[x.rule] ?? x.rule}:
            </Text>{" "}
            <Text span fz="sm">
              {x.message}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

function Windows({ blackouts, maintenance }: { blackouts: CalendarBlackout[]; maintenance: CalendarMaintenance[] }) {
  if (blackouts.length + maintenance.length === 0) return null;
  return (
    <Paper withBorder radius="lg" p="md" mb="md">
      <Text fz="sm" fw={650} mb="xs" id="calendar-windows-title">
        Freezes and maintenance in this period
      </Text>
      <Stack gap={6} role="list" aria-labelledby="calendar-windows-title">
        {blackouts.map((b) => (
          <Group key={`b-${b.windowId}-${b.start}`} gap="sm" wrap="nowrap" role="listitem">
            <ThemeIcon size={24} radius="sm" color="red" variant="light">
              <IconLock size={14} aria-hidden />
            </ThemeIcon>
            <Text fz="sm">
              <Text span inherit fw={600}>
                Blackout{b.global ? " (global)" : ""}:
              </Text>{" "}
              {b.name} · {spanLabel(b.start, b.end)}
            </Text>
          </Group>
        ))}
        {maintenance.map((m) => (
          <Group key={`m-${m.windowId}-${m.start}`} gap="sm" wrap="nowrap" role="listitem">
            <ThemeIcon size={24} radius="sm" color="teal" variant="light">
              <IconTool size={14} aria-hidden />
            </ThemeIcon>
            <Text fz="sm">
              <Text span inherit fw={600}>
                Maintenance window:
              </Text>{" "}
              {m.name} · {spanLabel(m.start, m.end)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

const Empty = () => (
  <Text c="dimmed" ta="center" py="xl" fz="sm">
    No changes are planned in this period.
  </Text>
);

function Badges({ change: c }: { change: CalendarChange }) {
  return (
    <Group gap={4}>
      <Badge variant="light" color={CHANGE_TYPE_COLORS[c.type]} tt="none">
        {CHANGE_TYPE_LABELS[c.type]}
      </Badge>
      <Badge variant="outline" color="gray" tt="none">
        {CHANGE_STATE_LABELS[c.state]}
      </Badge>
      <Badge variant="dot" color={RISK_COLORS[c.riskLevel]} tt="none">
        {RISK_LABELS[c.riskLevel]} risk
      </Badge>
    </Group>
  );
}

/** On a phone: one card per change. */
function Cards({ changes }: { changes: CalendarChange[] }) {
  return (
    <Stack gap="sm" hiddenFrom="sm" role="list" aria-label="Changes in this period">
      {changes.map((c) => (
        <Paper
          key={c.id}
          withBorder
          radius="lg"
          p="md"
          role="listitem"
          aria-label={changeName(c)}
          className="steward-cal-card"
          data-conflict={openConflicts(c).length ? true : undefined}
        >
          <Text fz="xs" c="dimmed">
            {spanLabel(c.start, c.end)}
          </Text>
          <Text fz="xs" ff="monospace" c="dimmed" mt={4}>
            {c.number}
          </Text>
          <Link to="/changes/$id" params={{ id: c.id }} className="steward-row-link">
            {c.title}
          </Link>
          <Box mt="xs">
            <Badges change={c} />
          </Box>
          {c.conflicts.length > 0 && (
            <Box mt="xs">
              <Conflicts change={c} />
            </Box>
          )}
        </Paper>
      ))}
    </Stack>
  );
}

/** Every change of the month in start order, with its conflicts spelled out. */
export function ListView(props: {
  range: Range;
  changes: CalendarChange[];
  blackouts: CalendarBlackout[];
  maintenance: CalendarMaintenance[];
}) {
  const { range } = props;
  const changes = within(props.changes, range.start, range.end).sort(
    (a, b) => Date.parse(a.start) - Date.parse(b.start) || a.number.localeCompare(b.number),
  );
  return (
    <div data-testid="calendar-list">
      <Windows
        blackouts={within(props.blackouts, range.start, range.end)}
        maintenance={within(props.maintenance, range.start, range.end)}
      />
      <Cards changes={changes} />
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }} visibleFrom="sm">
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <caption className="steward-visually-hidden">Changes in this period</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th w={230}>When</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th w={200}>Type, state, risk</Table.Th>
                <Table.Th w="38%">Conflicts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr
                  key={c.id}
                  className="steward-cal-row"
                  data-conflict={openConflicts(c).length ? true : undefined}
                  aria-label={changeName(c)}
                >
                  <Table.Td>
                    <Text fz="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                      {spanLabel(c.start, c.end)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text fz="xs" ff="monospace" c="dimmed">
                      {c.number}
                    </Text>
                    <Link to="/changes/$id" params={{ id: c.id }} className="steward-row-link">
                      {c.title}
                    </Link>
                  </Table.Td>
                  <Table.Td>
                    <Badges change={c} />
                  </Table.Td>
                  <Table.Td>
                    <Conflicts change={c} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {changes.length === 0 && <Empty />}
      </Paper>
      {changes.length === 0 && (
        <Paper withBorder radius="lg" hiddenFrom="sm">
          <Empty />
        </Paper>
      )}
    </div>
  );
}
