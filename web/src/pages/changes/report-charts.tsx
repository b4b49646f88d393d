import { Box, Button, Group, Paper, Stack, Table, Text } from "@mantine/core";
import { IconChartBar, IconTable } from "@tabler/icons-react";
import { type ReactNode, useId, useState } from "react";
import type { ChangeReport } from "../../api/change-admin.ts";
import { CHANGE_TYPE_LABELS } from "./calendar-labels.ts";
import { formatShare, type MonthRow, monthLabel, monthName, otherOf, ticks } from "./report-model.ts";

const COLORS = {
  successful: "var(--mantine-color-teal-6)",
  failed: "var(--mantine-color-red-6)",
  other: "var(--mantine-color-indigo-2)",
  emergency: "var(--mantine-color-orange-5)",
  partially_successful: "var(--mantine-color-yellow-5)",
  rolled_back: "var(--mantine-color-grape-6)",
};

function Swatch({ color, label, strong }: { color: string; label: string; strong?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span style={{ width: 12, height: 12, borderRadius: 3, background: color, flexShrink: 0 }} aria-hidden />
      <Text fz={strong ? "sm" : "xs"} c={strong ? undefined : "dimmed"}>
        {label}
      </Text>
    </Group>
  );
}

export function ChartCard(props: { title: string; description?: string; children: ReactNode; extra?: ReactNode }) {
  const titleId = useId();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <div>
          <Text fw={650} id={titleId}>
            {props.title}
          </Text>
          {props.description && (
            <Text fz="xs" c="dimmed">
              {props.description}
            </Text>
          )}
        </div>
        {props.extra}
      </Group>
      {props.children}
    </Paper>
  );
}

const W = 720;
const H = 260;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

function MonthBars({ rows }: { rows: MonthRow[] }) {
  const titleId = useId();
  const descId = useId();
  const max = Math.max(1, ...rows.map((r) => Math.max(r.total, r.emergency)));
  const axis = ticks(max);
  const top = axis.at(-1) ?? max;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, rows.length);
  const barW = Math.min(44, slot * 0.42);
  const emW = Math.max(6, barW * 0.35);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const totals = rows.reduce((n, r) => n + r.total, 0);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      style={{ display: "block", maxHeight: 300 }}
    >
      <title id={titleId}>Changes per month</title>
      <desc id={descId}>
        {`${totals} changes over ${rows.length} months. `}
        {rows
          .map(
            (r) =>
              `${monthName(r.month)}: ${r.total} total, ${r.emergency} emergency, ${r.successful} successful, ${r.failed} failed.`,
          )
          .join(" ")}
      </desc>
      {axis.map((t) => (
        <g key={t}>
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(t)}
            y2={y(t)}
            stroke="var(--mantine-color-default-border)"
            strokeDasharray={t === 0 ? undefined : "3 4"}
          />
          <text
            x={PAD.left - 8}
            y={y(t)}
            textAnchor="end"
            dominantBaseline="middle"
            fontSize={11}
            fill="var(--mantine-color-dimmed)"
          >
            {t}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const cx = PAD.left + slot * i + slot / 2;
        const x = cx - (barW + emW + 4) / 2;
        const segments = [
          { key: "successful", value: r.successful, color: COLORS.successful },
          { key: "failed", value: r.failed, color: COLORS.failed },
          { key: "other", value: otherOf(r), color: COLORS.other },
        ];
        let acc = 0;
        return (
          <g key={r.month}>
            <title>
              {`${monthName(r.month)}: ${r.total} changes, ${r.emergency} emergency, ${r.successful} successful, ${r.failed} failed or rolled back`}
            </title>
            {segments.map((s) => {
              if (s.value <= 0) return null;
              const y0 = y(acc + s.value);
              const h = y(acc) - y0;
              acc += s.value;
              return <rect key={s.key} x={x} y={y0} width={barW} height={Math.max(0, h - 1)} rx={3} fill={s.color} />;
            })}
            {r.emergency > 0 && (
              <rect
                x={x + barW + 4}
                y={y(r.emergency)}
                width={emW}
                height={y(0) - y(r.emergency)}
                rx={2}
                fill={COLORS.emergency}
              />
            )}
            {r.total > 0 && (
              <text
                x={x + barW / 2}
                y={y(r.total) - 5}
                textAnchor="middle"
                fontSize={11}
                fontWeight={600}
                fill="var(--mantine-color-text)"
              >
                {r.total}
              </text>
            )}
            <text x={cx} y={H - 8} textAnchor="middle" fontSize={11} fill="var(--mantine-color-dimmed)">
              {monthLabel(r.month)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function MonthTable({ rows }: { rows: MonthRow[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing={6} horizontalSpacing="sm" fz="sm" striped>
        <caption className="steward-visually-hidden">Changes per month</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Month</Table.Th>
            <Table.Th scope="col" ta="right">
              Total
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Emergency
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Successful
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Failed or rolled back
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Followed by incidents
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.month}>
              <Table.Th scope="row" fw={500}>
                {monthName(r.month)}
              </Table.Th>
              <Table.Td ta="right">{r.total}</Table.Td>
              <Table.Td ta="right">{r.emergency}</Table.Td>
              <Table.Td ta="right">{r.successful}</Table.Td>
              <Table.Td ta="right">{r.failed}</Table.Td>
              <Table.Td ta="right">{r.followedByIncidents}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Changes per month: outcome as a stacked bar, emergencies beside it; the same figures as a table on request. */
export function MonthlyChart({ rows }: { rows: MonthRow[] }) {
  const [asTable, setAsTable] = useState(false);
  return (
    <ChartCard
      title="Changes per month"
      description="By planned start (UTC). Each bar is the month's changes by outcome; the narrow bar beside it, its emergency changes."
      extra={
        <Button
          variant="subtle"
          size="xs"
          leftSection={asTable ? <IconChartBar size={14} aria-hidden /> : <IconTable size={14} aria-hidden />}
          onClick={() => setAsTable((t) => !t)}
        >
          {asTable ? "Show as chart" : "Show as table"}
        </Button>
      }
    >
      {asTable ? (
        <MonthTable rows={rows} />
      ) : (
        <>
          <MonthBars rows={rows} />
          <Group gap="md" mt="xs" justify="center">
            <Swatch color={COLORS.successful} label="Successful" />
            <Swatch color={COLORS.failed} label="Failed or rolled back" />
            <Swatch color={COLORS.other} label="Not reviewed or partly successful" />
            <Swatch color={COLORS.emergency} label="Emergency" />
          </Group>
        </>
      )}
    </ChartCard>
  );
}

const OUTCOMES = [
  { key: "successful", label: "Successful" },
  { key: "partially_successful", label: "Partially successful" },
  { key: "failed", label: "Failed" },
  { key: "rolled_back", label: "Rolled back" },
] as const;

/** Reviewed changes by outcome: one bar split by share, and a row per outcome with its count. */
export function OutcomeBreakdown({ report }: { report: ChangeReport }) {
  const total = report.reviewed;
  return (
    <ChartCard title="Review outcomes" description={`${total} reviewed change${total === 1 ? "" : "s"}`}>
      {total === 0 ? (
        <Text fz="sm" c="dimmed">
          No change in this period has been reviewed yet.
        </Text>
      ) : (
        <Stack gap="md">
          <Box
            aria-hidden
            style={{
              display: "flex",
              height: 14,
              borderRadius: 7,
              overflow: "hidden",
              background: "var(--mantine-color-default-hover)",
            }}
          >
            {OUTCOMES.map((o) =>
              report.byOutcome[o.key] > 0 ? (
                <div
                  key={o.key}
                  style={{ width: `${(report.byOutcome[o.key] / total) * 100}%`, background: COLORS[o.key] }}
                />
              ) : null,
            )}
          </Box>
          <Table verticalSpacing={6} horizontalSpacing={0} fz="sm">
            <caption className="steward-visually-hidden">Reviewed changes by outcome</caption>
            <Table.Tbody>
              {OUTCOMES.map((o) => (
                <Table.Tr key={o.key}>
                  <Table.Th scope="row" fw={500}>
                    <Swatch color={COLORS[o.key]} label={o.label} strong />
                  </Table.Th>
                  <Table.Td ta="right" fw={600} w={60}>
                    {report.byOutcome[o.key]}
                  </Table.Td>
                  <Table.Td ta="right" c="dimmed" w={60}>
                    {formatShare(report.byOutcome[o.key] / total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </ChartCard>
  );
}

const TYPE_COLORS = {
  standard: "var(--mantine-color-teal-6)",
  normal: "var(--mantine-color-indigo-6)",
  emergency: "var(--mantine-color-orange-5)",
};

/** Changes by type, as bars against the largest. */
export function TypeBreakdown({ report }: { report: ChangeReport }) {
  const max = Math.max(1, report.byType.standard, report.byType.normal, report.byType.emergency);
  return (
    <ChartCard title="By type" description={`${report.total} change${report.total === 1 ? "" : "s"} in this period`}>
      <Table verticalSpacing={8} horizontalSpacing={0} fz="sm">
        <caption className="steward-visually-hidden">Changes by type</caption>
        <Table.Tbody>
          {(["standard", "normal", "emergency"] as const).map((t) => (
            <Table.Tr key={t}>
              <Table.Th scope="row" fw={500} w={110}>
                {CHANGE_TYPE_LABELS[t]}
              </Table.Th>
              <Table.Td>
                <div
                  aria-hidden
                  style={{
                    height: 10,
                    borderRadius: 5,
                    width: `${Math.max(report.byType[t] ? 3 : 0, (report.byType[t] / max) * 100)}%`,
                    background: TYPE_COLORS[t],
                  }}
                />
              </Table.Td>
              <Table.Td ta="right" fw={600} w={50}>
                {report.byType[t]}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ChartCard>
  );
}
