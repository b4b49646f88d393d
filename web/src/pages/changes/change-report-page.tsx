import {
  Alert,
  Button,
  Container,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
} from "@mantine/core";
import {
  IconAlertTriangle,
  IconCalendarEvent,
  IconCircleCheck,
  IconFlame,
  IconListCheck,
  IconUrgent,
} from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useId, useMemo, useState } from "react";
import { changeAdminKeys, getChangeReport } from "../../api/change-admin.ts";
import { errorMessage } from "../../lib/notify.ts";
import { PageHeader } from "../page-header.tsx";
import { MonthlyChart, OutcomeBreakdown, TypeBreakdown } from "./report-charts.tsx";
import { formatShare, monthRows, REPORT_RANGES, type ReportMonths, reportRange } from "./report-model.ts";

function StatCard(props: { label: string; value: string; detail: string; icon: ReactNode; color: string }) {
  const labelId = useId();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby={labelId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Text fz="sm" c="dimmed" fw={500} id={labelId}>
            {props.label}
          </Text>
          <Text fz={32} fw={700} lh={1.1} style={{ fontVariantNumeric: "tabular-nums" }}>
            {props.value}
          </Text>
          <Text fz="xs" c="dimmed">
            {props.detail}
          </Text>
        </Stack>
        <ThemeIcon size={40} radius="md" variant="light" color={props.color}>
          {props.icon}
        </ThemeIcon>
      </Group>
    </Paper>
  );
}

const utcDay = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How changes went: success rate, emergency share, incidents after changes, month by month. */
export function ChangeReportPage() {
  const [months, setMonths] = useState<ReportMonths>(6);
  const { from, to } = useMemo(() => reportRange(months), [months]);
  const report = useQuery({
    queryKey: changeAdminKeys.report(from, to),
    queryFn: () => getChangeReport(from, to),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const data = report.data;
  const rows = useMemo(() => (data ? monthRows(data) : []), [data]);
  const implemented = data ? data.reviewed : 0;

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Change report"
        description="How changes went: how many succeeded, how many were emergencies, and how many were followed by incidents on the CIs they touched."
        actions={
          <Button
            component={Link}
            to="/changes/calendar"
            variant="default"
            leftSection={<IconCalendarEvent size={16} aria-hidden />}
          >
            Change calendar
          </Button>
        }
      />
      <Group justify="space-between" mb="md" gap="sm">
        <SegmentedControl
          aria-label="Period"
          data={REPORT_RANGES.map((m) => ({ value: String(m), label: `Last ${m} months` }))}
          value={String(months)}
          onChange={(v) => setMonths(Number(v) as ReportMonths)}
        />
        <Group gap="xs">
          {report.isFetching && <Loader size="xs" aria-label="Loading the report" />}
          <Text fz="sm" c="dimmed" role="status">
            {utcDay.format(new Date(from))} – {utcDay.format(new Date(Date.parse(to) - 1))} (UTC)
          </Text>
        </Group>
      </Group>
      {report.isError && !data ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} aria-hidden />} title="The report could not be loaded">
          <Text fz="sm" mb="xs">
            {errorMessage(report.error)}
          </Text>
          <Button size="xs" variant="light" color="red" onClick={() => void report.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : !data ? (
        <Stack>
          <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
            {[1, 2, 3, 4].map((i) => (
              <Skeleton key={i} h={120} radius="lg" />
            ))}
          </SimpleGrid>
          <Skeleton h={340} radius="lg" />
        </Stack>
      ) : (
        <Stack gap="md" aria-busy={report.isFetching}>
          <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md">
            <StatCard
              label="Changes"
              value={String(data.total)}
              detail={`${data.byType.standard} standard · ${data.byType.normal} normal · ${data.byType.emergency} emergency`}
              icon={<IconListCheck size={22} aria-hidden />}
              color="indigo"
            />
            <StatCard
              label="Success rate"
              value={formatShare(data.successRate)}
              detail={
                data.reviewed
                  ? `${data.byOutcome.successful} of ${plural(data.reviewed, "reviewed change")} successful`
                  : "No reviewed changes yet"
              }
              icon={<IconCircleCheck size={22} aria-hidden />}
              color="teal"
            />
            <StatCard
              label="Emergency share"
              value={data.total ? formatShare(data.emergencyShare) : "—"}
              detail={`${plural(data.byType.emergency, "emergency change")} of ${data.total}`}
              icon={<IconUrgent size={22} aria-hidden />}
              color="orange"
            />
            <StatCard
              label="Followed by incidents"
              value={String(data.followedByIncidents)}
              detail={`${plural(data.followedByIncidents, "implemented change")} with incidents on their CIs in the review window`}
              icon={<IconFlame size={22} aria-hidden />}
              color={data.followedByIncidents ? "red" : "gray"}
            />
          </SimpleGrid>
          <MonthlyChart rows={rows} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <OutcomeBreakdown report={data} />
            <TypeBreakdown report={data} />
          </SimpleGrid>
          {implemented === 0 && data.total > 0 && (
            <Text fz="xs" c="dimmed">
              Outcomes come from post-implementation reviews; changes count once their review names an outcome.
            </Text>
          )}
        </Stack>
      )}
    </Container>
  );
}
