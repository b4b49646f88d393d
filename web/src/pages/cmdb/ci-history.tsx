import {
  Avatar,
  Badge,
  Center,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  type AttributeDefinition,
  type Ci,
  type CiVersion,
  cmdbKeys,
  getClassVersion,
  listCiVersions,
} from "../../api/cmdb.ts";
import { initials } from "../../layout/user-menu.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { collectRefs, emptyRefs, type Lookups, type Refs, useLookups, valueText } from "./attribute-values.tsx";
import { INCIDENT_LABELS, SourceBadge } from "./cmdb-badges.tsx";

type Snapshot = Record<string, unknown>;

/** The fields a version stores, in the order they are shown; class bookkeeping is left out. */
const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  deploymentStateId: "Deployment state",
  incidentState: "Incident state",
  organizationId: "Organization",
  groupId: "Group",
  locationId: "Location",
  serviceOrganizationIds: "Subscribed customers",
  locks: "Locked attributes",
};
const FIELDS = Object.keys(FIELD_LABELS);

export interface ChangeRow {
  key: string;
  label: string;
  before: string;
  after: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

type Definitions = (classVersion: unknown) => AttributeDefinition[];

/** A top-level field's value as words. */
function fieldText(key: string, v: unknown, l: Lookups, defs: AttributeDefinition[]): string {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return "—";
  switch (key) {
    case "deploymentStateId":
      return l.catalog.get(String(v))?.name ?? "…";
    case "incidentState":
      return INCIDENT_LABELS[v as keyof typeof INCIDENT_LABELS] ?? String(v);
    case "organizationId":
      return l.orgs.get(String(v)) ?? "…";
    case "groupId":
      return l.groups.get(String(v)) ?? "…";
    case "locationId": {
      const ci = l.cis.get(String(v));
      return ci ? `${ci.name} (${ci.number})` : "…";
    }
    case "serviceOrganizationIds":
      return strings(v)
        .map((id) => l.orgs.get(id) ?? "…")
        .join(", ");
    case "locks":
      return strings(v)
        .map((k) => (k === "name" ? "Name" : (defs.find((d) => d.key === k)?.label ?? k)))
        .join(", ");
    default:
      return String(v);
  }
}

/**
 * What differs between two snapshots, field by field and attribute by attribute. `before` null: the
 * first version, whose rows list what it was created with.
 */
export function changeRows(before: Snapshot | null, after: Snapshot, l: Lookups, defsAt: Definitions): ChangeRow[] {
  const defsAfter = defsAt(after.classVersion);
  const defsBefore = before ? defsAt(before.classVersion) : [];
  const rows: ChangeRow[] = [];
  for (const key of FIELDS) {
    if (!(key in after) && !(before && key in before)) continue;
    if (same(before?.[key], after[key])) continue;
    rows.push({
      key,
      label: FIELD_LABELS[key] ?? key,
      before: before ? fieldText(key, before[key], l, defsBefore) : "—",
      after: fieldText(key, after[key], l, defsAfter),
    });
  }
  const a = isObject(before?.attributes) ? before.attributes : {};
  const b = isObject(after.attributes) ? after.attributes : {};
  const order = [...defsAfter.map((d) => d.key), ...defsBefore.map((d) => d.key), ...Object.keys(a), ...Object.keys(b)];
  for (const key of [...new Set(order)]) {
    if (!(key in a) && !(key in b)) continue;
    if (same(a[key], b[key])) continue;
    const def = defsAfter.find((d) => d.key === key) ?? defsBefore.find((d) => d.key === key);
    rows.push({
      key: `attributes.${key}`,
      label: def?.label ?? key,
      before: valueText(def, a[key], l),
      after: valueText(def, b[key], l),
    });
  }
  // A new CI lists what it was created with, not the fields it left empty.
  return before ? rows : rows.filter((r) => r.after !== "—");
}

/** The snapshot a version's diff describes: what changed, before and after. */
function sides(v: CiVersion): [Snapshot | null, Snapshot] {
  if (v.version === 1) return [null, v.snapshot];
  const before: Snapshot = { classVersion: v.snapshot.classVersion };
  const after: Snapshot = { classVersion: v.snapshot.classVersion };
  for (const [k, [old, next]] of Object.entries(v.diff)) {
    before[k] = old;
    after[k] = next;
  }
  return [before, after];
}

function refsOf(versions: CiVersion[], defsAt: Definitions): Refs {
  const refs = emptyRefs();
  refs.lists.push("deployment_state");
  for (const v of versions) {
    const s = v.snapshot;
    const attrs = isObject(s.attributes) ? s.attributes : {};
    collectRefs(refs, defsAt(s.classVersion), attrs);
    for (const side of Object.values(v.diff)) {
      for (const value of side) if (isObject(value)) collectRefs(refs, defsAt(s.classVersion), value);
    }
    refs.orgs.push(...strings(s.serviceOrganizationIds));
    for (const k of ["organizationId"]) if (typeof s[k] === "string") refs.orgs.push(s[k] as string);
    if (typeof s.locationId === "string") refs.cis.push(s.locationId);
  }
  return refs;
}

export function ChangeList({ rows, created }: { rows: ChangeRow[]; created?: boolean }) {
  if (rows.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        No visible changes.
      </Text>
    );
  }
  return (
    <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: "none" }}>
      {rows.map((r) => (
        <Group component="li" key={r.key} gap={6} wrap="wrap" align="baseline">
          <Text fz="sm" fw={600}>
            {r.label}:
          </Text>
          {created ? (
            <Text fz="sm">{r.after}</Text>
          ) : (
            <>
              <Text fz="sm" c="red.8" td={r.before === "—" ? undefined : "line-through"}>
                {r.before}
              </Text>
              <Text fz="sm" c="dimmed" aria-label="changed to">
                →
              </Text>
              <Text fz="sm" c="teal.8" fw={500}>
                {r.after}
              </Text>
            </>
          )}
        </Group>
      ))}
    </Stack>
  );
}

/** Pick any two versions and see what differs between their snapshots (computed here, not by the server). */
function Compare({ versions, l, defsAt }: { versions: CiVersion[]; l: Lookups; defsAt: Definitions }) {
  const newest = versions[0]?.version ?? 1;
  const [from, setFrom] = useState<string | null>(String(versions[1]?.version ?? newest));
  const [to, setTo] = useState<string | null>(String(newest));
  const a = versions.find((v) => String(v.version) === from);
  const b = versions.find((v) => String(v.version) === to);
  const options = versions.map((v) => ({
    value: String(v.version),
    label: `Version ${v.version}`,
  }));
  const rows = a && b ? changeRows(a.snapshot, b.snapshot, l, defsAt) : [];
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-compare-title">
      <Title order={2} fz="md" mb="sm" id="ci-compare-title">
        Compare two versions
      </Title>
      <Group gap="sm" grow mb="md" align="flex-start">
        <Select
          label="From"
          data={options}
          value={from}
          onChange={setFrom}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="To"
          data={options}
          value={to}
          onChange={setTo}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {a && b && a.version === b.version ? (
        <Text fz="sm" c="dimmed">
          Choose two different versions.
        </Text>
      ) : rows.length === 0 ? (
        <Text fz="sm" c="dimmed">
          These versions do not differ.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={300}>
          <Table fz="sm" verticalSpacing={6} aria-label={`Differences between version ${from} and version ${to}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Version {from}</Table.Th>
                <Table.Th>Version {to}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td fw={600}>{r.label}</Table.Td>
                  <Table.Td c="red.8">{r.before}</Table.Td>
                  <Table.Td c="teal.8">{r.after}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** Every version of the CI, newest first, with who changed what from where; and any two compared. */
export function CiHistory({ ci }: { ci: Ci }) {
  const versions = useQuery({
    queryKey: [...cmdbKeys.versions(ci.id), ci.version],
    queryFn: () => listCiVersions(ci.id),
    select: (d) => d.items,
  });
  const items = versions.data ?? [];
  const classVersions = [...new Set(items.map((v) => v.classVersion))].sort((a, b) => a - b);
  const definitions = useQueries({
    queries: classVersions.map((v) => ({
      queryKey: cmdbKeys.classVersion(ci.classId, v),
      queryFn: () => getClassVersion(ci.classId, v),
      staleTime: Number.POSITIVE_INFINITY,
    })),
  });
  const byVersion = new Map<number, AttributeDefinition[]>();
  classVersions.forEach((v, i) => {
    byVersion.set(v, definitions[i]?.data?.attributes ?? []);
  });
  const defsAt: Definitions = (v) => byVersion.get(Number(v)) ?? [];
  const l = useLookups(refsOf(items, defsAt));

  if (versions.isLoading) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading the history" />
      </Center>
    );
  }
  if (versions.isError) {
    return (
      <Text c="red" fz="sm">
        {errorMessage(versions.error)}
      </Text>
    );
  }
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: items.length > 1 ? 7 : 12 }}>
        <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-history-title">
          <Group gap={6} mb="md">
            <Title order={2} fz="md" id="ci-history-title">
              Versions
            </Title>
            <Badge variant="light" color="gray" size="sm">
              {items.length}
            </Badge>
          </Group>
          <Timeline
            bulletSize={28}
            lineWidth={2}
            active={0}
            component="ol"
            aria-label="Versions"
            p={0}
            m={0}
            style={{ listStyle: "none" }}
          >
            {items.map((v) => {
              const [before, after] = sides(v);
              // The server names the actor; someone it can no longer name is still someone, not Steward.
              const who = v.actorId ? (v.actorName ?? "Unknown user") : "Steward";
              return (
                <Timeline.Item
                  key={v.version}
                  component="li"
                  aria-label={`Version ${v.version}`}
                  bullet={
                    <Text fz={11} fw={700}>
                      {v.version}
                    </Text>
                  }
                  title={
                    <Group gap="xs" wrap="wrap">
                      <Text fw={650} fz="sm">
                        {v.version === 1 ? "Created" : `Version ${v.version}`}
                      </Text>
                      <SourceBadge source={v.source} />
                      <Group gap={6} wrap="nowrap">
                        <Avatar size={20} radius="xl" color="indigo">
                          {v.actorId ? initials(who) : "S"}
                        </Avatar>
                        <Text fz="sm">{who}</Text>
                      </Group>
                      <Text fz="xs" c="dimmed" title={formatDateTime(v.createdAt)}>
                        {formatRelative(v.createdAt)}
                      </Text>
                    </Group>
                  }
                >
                  <Paper bg="var(--mantine-color-default-hover)" p="sm" radius="md" mt={6}>
                    <ChangeList rows={changeRows(before, after, l, defsAt)} created={v.version === 1} />
                  </Paper>
                </Timeline.Item>
              );
            })}
          </Timeline>
        </Paper>
      </Grid.Col>
      {items.length > 1 && (
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Compare versions={items} l={l} defsAt={defsAt} />
        </Grid.Col>
      )}
    </Grid>
  );
}
