import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { IconBuildingSkyscraper, IconInfoCircle, IconStack2, IconTicket } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { type Ci, cmdbKeys, getCiImpact, type Impact } from "../../api/cmdb.ts";
import { errorMessage } from "../../lib/notify.ts";
import { stateLabel } from "../tickets/labels.ts";
import { CiLink, ClassBadge, IncidentBadge } from "./cmdb-badges.tsx";

export type Direction = "downstream" | "upstream";

export function useImpact(ciId: string, direction: Direction, depth: number) {
  return useQuery({
    queryKey: cmdbKeys.impact(ciId, direction, depth),
    queryFn: () => getCiImpact(ciId, direction, depth),
    // Another direction or depth keeps the old answer on screen until the new one arrives.
    placeholderData: (previous, query) => (query?.queryKey[3] === ciId ? previous : undefined),
  });
}

function Panel(props: {
  title: string;
  icon: ReactNode;
  color: string;
  count: number;
  empty: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby={props.id}>
      <Group gap="xs" mb="sm" wrap="nowrap">
        <ThemeIcon variant="light" color={props.color} radius="md" size={30}>
          {props.icon}
        </ThemeIcon>
        <Title order={3} fz="md" id={props.id}>
          {props.title}
        </Title>
        <Badge variant="light" color={props.count ? props.color : "gray"} size="sm" ml="auto">
          {props.count}
        </Badge>
      </Group>
      {props.count === 0 ? (
        <Text fz="sm" c="dimmed">
          {props.empty}
        </Text>
      ) : (
        props.children
      )}
    </Paper>
  );
}

/** Open tickets as links: number, title and state. */
export function TicketList({ tickets, label }: { tickets: Impact["tickets"]; label: string }) {
  return (
    <Stack component="ul" gap={8} p={0} m={0} aria-label={label} style={{ listStyle: "none" }}>
      {tickets.map((t) => (
        <Group component="li" key={t.id} gap={8} wrap="nowrap" align="baseline">
          <Anchor
            renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id: t.id }} />}
            fz="sm"
            fw={600}
            ff="monospace"
            style={{ whiteSpace: "nowrap" }}
          >
            {t.number}
          </Anchor>
          <Text fz="sm" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
            {t.title}
          </Text>
          <Badge variant="dot" color="gray" size="sm" tt="none" ml="auto" style={{ minWidth: "max-content" }}>
            {stateLabel(t.state)}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}

const DEPTHS = Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));

/**
 * What this CI's failure reaches (downstream) or what it needs to work (upstream): the CIs by distance
 * with how they are reached, and the services, customers and open tickets among them.
 */
export function CiImpact({ ci }: { ci: Ci }) {
  const [direction, setDirection] = useState<Direction>("downstream");
  const [depth, setDepth] = useState(5);
  const impact = useImpact(ci.id, direction, depth);
  const data = impact.data;
  const cis = new Map((data?.cis ?? []).map((c) => [c.id, c]));
  const reached = (data?.nodes ?? [])
    .filter((n) => n.ciId !== ci.id && cis.has(n.ciId))
    .sort((a, b) => a.depth - b.depth || (cis.get(a.ciId)?.name ?? "").localeCompare(cis.get(b.ciId)?.name ?? ""));
  const down = direction === "downstream";

  return (
    <Stack gap="lg">
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          aria-label="Direction"
          value={direction}
          onChange={(v) => setDirection(v as Direction)}
          data={[
            { value: "downstream", label: "Downstream · what it affects" },
            { value: "upstream", label: "Upstream · what it needs" },
          ]}
        />
        <Group gap="xs" wrap="nowrap">
          {impact.isFetching && <Loader size="xs" aria-label="Loading" />}
          <Text fz="sm" c="dimmed" id="impact-depth">
            Depth
          </Text>
          <Select
            aria-labelledby="impact-depth"
            data={DEPTHS}
            value={String(depth)}
            onChange={(v) => v && setDepth(Number(v))}
            allowDeselect={false}
            w={80}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
      </Group>
      {impact.isError && (
        <Text c="red" fz="sm">
          {errorMessage(impact.error)}
        </Text>
      )}
      {data?.truncated && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
          The walk stopped at its limit: more CIs may be affected than listed here.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Panel
          id="impact-services"
          title={down ? "Affected services" : "Services it needs"}
          icon={<IconStack2 size={18} aria-hidden />}
          color="violet"
          count={data?.services.length ?? 0}
          empty={down ? "No business service is affected." : "No business service on the way."}
        >
          <Stack component="ul" gap={8} p={0} m={0} aria-label="Services" style={{ listStyle: "none" }}>
            {(data?.services ?? []).map((s) => (
              <Group component="li" key={s.id} gap="xs" justify="space-between" wrap="nowrap">
                <CiLink id={s.id} name={s.name} number={s.number} />
                <IncidentBadge state={s.incidentState} size="sm" />
              </Group>
            ))}
          </Stack>
        </Panel>
        <Panel
          id="impact-customers"
          title={down ? "Affected customers" : "Customers"}
          icon={<IconBuildingSkyscraper size={18} aria-hidden />}
          color="orange"
          count={data?.organizations.length ?? 0}
          empty="No subscribed customer is reached."
        >
          <Group gap={6} component="ul" p={0} m={0} aria-label="Customers" style={{ listStyle: "none" }}>
            {(data?.organizations ?? []).map((o) => (
              <Badge component="li" key={o.id} variant="light" color="orange" tt="none" fw={500} size="lg">
                {o.name}
              </Badge>
            ))}
          </Group>
        </Panel>
        <Panel
          id="impact-tickets"
          title="Open tickets"
          icon={<IconTicket size={18} aria-hidden />}
          color="blue"
          count={data?.tickets.length ?? 0}
          empty="No open ticket on these CIs."
        >
          <TicketList tickets={data?.tickets ?? []} label="Open tickets" />
        </Panel>
      </SimpleGrid>
      <Paper withBorder radius="lg" component="section" aria-labelledby="impact-cis" style={{ overflow: "hidden" }}>
        <Group gap={6} p="md" pb="xs">
          <Title order={3} fz="md" id="impact-cis">
            {down ? "Affected configuration items" : "What it depends on"}
          </Title>
          <Badge variant="light" color="gray" size="sm">
            {reached.length}
          </Badge>
        </Group>
        {impact.isLoading ? (
          <Center py="lg">
            <Loader size="sm" aria-label="Loading the impact" />
          </Center>
        ) : reached.length === 0 ? (
          <Text fz="sm" c="dimmed" px="md" pb="md">
            {down ? "Nothing depends on this CI within this depth." : "This CI needs nothing else within this depth."}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-labelledby="impact-cis">
              <Table.Thead bg="var(--mantine-color-default-hover)">
                <Table.Tr>
                  <Table.Th w={80}>Depth</Table.Th>
                  <Table.Th>Configuration item</Table.Th>
                  <Table.Th visibleFrom="sm">Class</Table.Th>
                  <Table.Th style={{ whiteSpace: "nowrap" }}>Incident state</Table.Th>
                  <Table.Th visibleFrom="md">Path</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reached.map((n) => {
                  const c = cis.get(n.ciId);
                  if (!c) return null;
                  return (
                    <Table.Tr key={n.ciId} data-ci-id={n.ciId}>
                      <Table.Td>
                        <Badge variant="light" color="indigo" radius="xl" aria-label={`Depth ${n.depth}`}>
                          {n.depth}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <CiLink id={c.id} name={c.name} number={c.number} />
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <ClassBadge name={c.className} />
                      </Table.Td>
                      <Table.Td>
                        <IncidentBadge state={c.incidentState} size="sm" />
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        <Breadcrumbs
                          separator="›"
                          separatorMargin={4}
                          aria-label={`Path to ${c.name}`}
                          styles={{ root: { flexWrap: "wrap" } }}
                        >
                          {n.path
                            .filter((id) => cis.has(id))
                            .map((id) => (
                              <Text
                                key={id}
                                fz="xs"
                                c={id === n.ciId ? undefined : "dimmed"}
                                fw={id === n.ciId ? 600 : 400}
                              >
                                {cis.get(id)?.name}
                              </Text>
                            ))}
                        </Breadcrumbs>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}
