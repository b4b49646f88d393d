import { Anchor, Badge, type BadgeProps, Group, Text } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import type { CatalogItem, IncidentState } from "../../api/cmdb.ts";

const nowrap = { minWidth: "max-content" } as const;
const dot = { display: "block", width: 6, height: 6, borderRadius: "50%", background: "currentColor" } as const;

export const INCIDENT_LABELS: Record<IncidentState, string> = {
  operational: "Operational",
  warning: "Warning",
  incident: "Incident",
};
export const INCIDENT_COLORS: Record<IncidentState, string> = {
  operational: "green",
  warning: "yellow",
  incident: "red",
};
export const INCIDENT_OPTIONS = (Object.keys(INCIDENT_LABELS) as IncidentState[]).map((s) => ({
  value: s,
  label: INCIDENT_LABELS[s],
}));

/** Operational green, warning amber, incident red. */
export function IncidentBadge({ state, size }: { state: IncidentState; size?: BadgeProps["size"] }) {
  return (
    <Badge
      color={INCIDENT_COLORS[state]}
      variant="light"
      c={state === "warning" ? "yellow.9" : undefined}
      size={size}
      tt="none"
      fw={600}
      style={nowrap}
      data-testid="incident-badge"
      leftSection={<span style={dot} aria-hidden />}
    >
      {INCIDENT_LABELS[state]}
    </Badge>
  );
}

export const DEPLOYMENT_GROUPS = [
  { value: "preproductive", label: "Pre-productive" },
  { value: "productive", label: "Productive" },
  { value: "postproductive", label: "Post-productive" },
] as const;
const GROUP_COLORS: Record<string, string> = { preproductive: "cyan", productive: "indigo", postproductive: "gray" };

export function DeploymentBadge({
  state,
  size,
}: {
  state: { name: string; group: string };
  size?: BadgeProps["size"];
}) {
  return (
    <Badge
      color={GROUP_COLORS[state.group] ?? "gray"}
      variant="outline"
      size={size}
      tt="none"
      fw={500}
      style={nowrap}
      title={DEPLOYMENT_GROUPS.find((g) => g.value === state.group)?.label}
    >
      {state.name || "—"}
    </Badge>
  );
}

/** Deployment states grouped pre-productive / productive / post-productive, for a Select. */
export function deploymentOptions(items: readonly CatalogItem[], keep?: string | null) {
  return DEPLOYMENT_GROUPS.map((g) => ({
    group: g.label,
    items: items
      .filter((i) => String(i.properties.group ?? "") === g.value && (i.active || i.id === keep))
      .map((i) => ({ value: i.id, label: i.name })),
  })).filter((g) => g.items.length > 0);
}

const SOURCE_COLORS: Record<string, string> = {
  web: "blue",
  api: "violet",
  import: "grape",
  discovery: "cyan",
  system: "gray",
};
const SOURCE_LABELS: Record<string, string> = {
  web: "Web",
  api: "API",
  import: "Import",
  discovery: "Discovery",
  system: "System",
};

export function SourceBadge({ source }: { source: string }) {
  return (
    <Badge color={SOURCE_COLORS[source] ?? "gray"} variant="light" size="sm" tt="none" style={nowrap}>
      {SOURCE_LABELS[source] ?? source}
    </Badge>
  );
}

export function ClassBadge({ name }: { name: string }) {
  return (
    <Badge color="gray" variant="default" tt="none" fw={500} style={nowrap}>
      {name}
    </Badge>
  );
}

/** A link to a CI, by name, with its number beside it when asked. */
export function CiLink(props: { id: string; name: string; number?: string | undefined; fw?: number }) {
  return (
    <Group gap={6} wrap="nowrap" component="span" display="inline-flex" miw={0}>
      <Anchor
        renderRoot={(rootProps) => <Link {...rootProps} to="/cmdb/cis/$id" params={{ id: props.id }} />}
        fz="sm"
        fw={props.fw ?? 600}
        style={{ overflowWrap: "anywhere" }}
      >
        {props.name}
      </Anchor>
      {props.number && (
        <Text span ff="monospace" fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          {props.number}
        </Text>
      )}
    </Group>
  );
}
