import "@xyflow/react/dist/style.css";
import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { IconInfoCircle, IconList, IconTopologyRing3 } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import {
  Background,
  BackgroundVariant,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from "@xyflow/react";
import { type KeyboardEvent, useEffect, useMemo, useState } from "react";
import { type Ci, cmdbKeys, type Graph, getCiGraph, type IncidentState, type RelationType } from "../../api/cmdb.ts";
import { errorMessage } from "../../lib/notify.ts";
import { CiLink, INCIDENT_LABELS, IncidentBadge } from "./cmdb-badges.tsx";
import { useRelationTypeMap } from "./use-cmdb.ts";

type GraphNode = Graph["nodes"][number];
type CiNodeData = GraphNode & { root: boolean };
type CiFlowNode = Node<CiNodeData, "ci">;

const COLUMN = 350;
const ROW = 96;
const STATE_COLOR: Record<IncidentState, string> = { operational: "green", warning: "yellow", incident: "red" };

const hiddenHandle = { opacity: 0, pointerEvents: "none" } as const;

/** One CI: its name, number and class, coloured by incident state; the root stands out. */
function CiNode({ data }: NodeProps<CiFlowNode>) {
  const color = STATE_COLOR[data.incidentState];
  return (
    <Box
      w={230}
      px="sm"
      py={8}
      pos="relative"
      bg={data.root ? "var(--mantine-color-indigo-light)" : "var(--mantine-color-body)"}
      style={{
        borderRadius: 10,
        border: data.root ? "2px solid var(--mantine-color-indigo-6)" : "1px solid var(--mantine-color-default-border)",
        borderLeft: `5px solid var(--mantine-color-${color}-6)`,
        boxShadow: data.root ? "0 4px 14px rgba(76, 110, 245, 0.25)" : "0 1px 3px rgba(0, 0, 0, 0.08)",
        cursor: "pointer",
      }}
    >
      <Handle type="target" position={Position.Left} id="l" style={hiddenHandle} isConnectable={false} />
      <Handle type="source" position={Position.Right} id="r" style={hiddenHandle} isConnectable={false} />
      <Handle type="source" position={Position.Left} id="sl" style={hiddenHandle} isConnectable={false} />
      <Handle type="target" position={Position.Right} id="tr" style={hiddenHandle} isConnectable={false} />
      {data.root && (
        <Badge
          size="xs"
          color="indigo"
          variant="filled"
          style={{ position: "absolute", top: -9, left: 12, boxShadow: "0 0 0 2px var(--mantine-color-body)" }}
        >
          This CI
        </Badge>
      )}
      <Text fz="sm" fw={650} truncate title={data.name} data-testid="graph-node-label">
        {data.name}
      </Text>
      <Group gap={6} wrap="nowrap" mt={2}>
        <Box
          w={8}
          h={8}
          style={{ borderRadius: "50%", flexShrink: 0, background: `var(--mantine-color-${color}-6)` }}
          aria-hidden
        />
        <Text fz={11} c="dimmed" truncate>
          {data.number} · {data.className}
        </Text>
      </Group>
    </Box>
  );
}

const nodeTypes = { ci: CiNode };
const FIT = { padding: 0.2, maxZoom: 1.1 };

/** Fits the drawing into view once its nodes have their sizes (and again when the graph changes). */
function FitWhenReady({ signature }: { signature: string }) {
  const ready = useNodesInitialized();
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (!ready || !signature) return;
    // After React Flow has taken in the new positions.
    const frame = requestAnimationFrame(() => void fitView(FIT));
    return () => cancelAnimationFrame(frame);
  }, [ready, signature, fitView]);
  return null;
}

/**
 * A layered layout: a node's column is its distance from the root, signed by which end of the
 * relation to its parent it sits (sources to the left, targets to the right); rows spread each column.
 */
export function layout(graph: Graph): { nodes: CiFlowNode[]; edges: Edge[]; column: Map<string, number> } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const column = new Map<string, number>([[graph.rootId, 0]]);
  const parentOf = new Map<string, string>();
  const ordered = [...graph.nodes].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  for (const n of ordered) {
    if (n.id === graph.rootId) continue;
    let col: number | null = null;
    for (const e of graph.edges) {
      const other = e.sourceId === n.id ? e.targetId : e.targetId === n.id ? e.sourceId : null;
      if (!other) continue;
      const parent = byId.get(other);
      if (!parent || parent.depth !== n.depth - 1 || !column.has(other)) continue;
      const parentCol = column.get(other) ?? 0;
      const side = parentCol !== 0 ? Math.sign(parentCol) : e.sourceId === n.id ? -1 : 1;
      col = side * n.depth;
      parentOf.set(n.id, other);
      break;
    }
    column.set(n.id, col ?? n.depth);
  }
  const columns = new Map<number, GraphNode[]>();
  for (const n of ordered) {
    const c = column.get(n.id) ?? 0;
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const y = new Map<string, number>();
  for (const c of [...columns.keys()].sort((a, b) => Math.abs(a) - Math.abs(b))) {
    const list = columns.get(c) ?? [];
    // Children follow their parents' order, which keeps crossings down.
    list.sort((a, b) => {
      const pa = y.get(parentOf.get(a.id) ?? "") ?? 0;
      const pb = y.get(parentOf.get(b.id) ?? "") ?? 0;
      return pa - pb || a.name.localeCompare(b.name);
    });
    list.forEach((n, i) => {
      y.set(n.id, (i - (list.length - 1) / 2) * ROW);
    });
  }
  const nodes: CiFlowNode[] = graph.nodes.map((n) => ({
    id: n.id,
    type: "ci",
    position: { x: (column.get(n.id) ?? 0) * COLUMN, y: y.get(n.id) ?? 0 },
    data: { ...n, root: n.id === graph.rootId },
    ariaLabel: `${n.name}, ${n.className}, ${INCIDENT_LABELS[n.incidentState]}${n.id === graph.rootId ? ", this CI" : ""}. Press Enter to open.`,
  }));
  const edges: Edge[] = graph.edges.map((e) => {
    const from = column.get(e.sourceId) ?? 0;
    const to = column.get(e.targetId) ?? 0;
    const rightward = from <= to;
    return {
      id: e.id,
      source: e.sourceId,
      target: e.targetId,
      sourceHandle: rightward ? "r" : "sl",
      targetHandle: rightward ? (from === to ? "tr" : "l") : "tr",
      data: { type: e.type },
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: "var(--mantine-color-gray-6)" },
      style: { stroke: "var(--mantine-color-gray-5)", strokeWidth: 1.5 },
    };
  });
  return { nodes, edges, column };
}

function label(types: Map<string, RelationType>, key: string) {
  return types.get(key)?.label ?? key.replace(/_/g, " ");
}

/** The same graph for keyboard and screen-reader users: each CI by distance, with its relations as sentences. */
function GraphList({ graph, types }: { graph: Graph; types: Map<string, RelationType> }) {
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const depths = [...new Set(graph.nodes.map((n) => n.depth))].sort((a, b) => a - b);
  return (
    <Stack gap="md" aria-label="Dependency graph as a list">
      {depths.map((d) => (
        <section key={d} aria-label={d === 0 ? "This CI" : `${d} ${d === 1 ? "hop" : "hops"} away`}>
          <Text fz="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
            {d === 0 ? "This CI" : `${d} ${d === 1 ? "hop" : "hops"} away`}
          </Text>
          <Stack component="ul" gap={8} p={0} m={0} style={{ listStyle: "none" }}>
            {graph.nodes
              .filter((n) => n.depth === d)
              .map((n) => (
                <li key={n.id}>
                  <Group gap="xs" wrap="wrap">
                    <CiLink id={n.id} name={n.name} number={n.number} />
                    <Text fz="xs" c="dimmed">
                      {n.className}
                    </Text>
                    <IncidentBadge state={n.incidentState} size="sm" />
                  </Group>
                  {graph.edges
                    .filter((e) => e.sourceId === n.id)
                    .map((e) => (
                      <Text key={e.id} fz="xs" c="dimmed" ml="md">
                        {label(types, e.type)} {names.get(e.targetId) ?? "…"}
                      </Text>
                    ))}
                </li>
              ))}
          </Stack>
        </section>
      ))}
    </Stack>
  );
}

/** The CI's neighbourhood as an interactive graph (or a list), a chosen number of hops deep. */
export function CiGraph({ ci }: { ci: Ci }) {
  const navigate = useNavigate();
  const types = useRelationTypeMap();
  const [depth, setDepth] = useState(2);
  const [asList, setAsList] = useState(false);
  const graph = useQuery({
    queryKey: cmdbKeys.graph(ci.id, depth),
    queryFn: () => getCiGraph(ci.id, depth),
    // Another depth of the same CI keeps the old drawing until the new one arrives; another CI does not.
    placeholderData: (previous, query) => (query?.queryKey[3] === ci.id ? previous : undefined),
  });
  const drawn = useMemo(() => {
    if (!graph.data) return null;
    const { nodes, edges } = layout(graph.data);
    return {
      nodes,
      edges: edges.map((e) => ({
        ...e,
        label: label(types, String(e.data?.type ?? "")),
        labelStyle: { fontSize: 11, fill: "var(--mantine-color-dimmed)", fontWeight: 500 },
        labelBgStyle: { fill: "var(--mantine-color-body)" },
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 4,
      })),
    };
  }, [graph.data, types]);
  const open = (id: string) => {
    if (id !== ci.id) void navigate({ to: "/cmdb/cis/$id", params: { id }, search: { tab: "graph" } });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Enter") return;
    const id = (event.target as HTMLElement).closest<HTMLElement>(".react-flow__node")?.dataset.id;
    if (id) open(id);
  };
  const count = graph.data?.nodes.length ?? 0;

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-graph-title">
      <Group justify="space-between" mb="md" gap="sm">
        <Group gap={6}>
          <Title order={2} fz="md" id="ci-graph-title">
            Dependency graph
          </Title>
          <Badge variant="light" color="gray" size="sm" tt="none">
            {count} {count === 1 ? "CI" : "CIs"}
          </Badge>
          {graph.isFetching && <Loader size="xs" aria-label="Loading" />}
        </Group>
        <Group gap="sm">
          <Group gap={6} wrap="nowrap">
            <Text fz="sm" c="dimmed" id="ci-graph-depth">
              Depth
            </Text>
            <SegmentedControl
              size="xs"
              aria-labelledby="ci-graph-depth"
              value={String(depth)}
              onChange={(v) => setDepth(Number(v))}
              data={["1", "2", "3", "4", "5", "6"]}
            />
          </Group>
          <Button
            size="xs"
            variant="default"
            leftSection={asList ? <IconTopologyRing3 size={14} aria-hidden /> : <IconList size={14} aria-hidden />}
            onClick={() => setAsList((v) => !v)}
            aria-pressed={asList}
          >
            {asList ? "Show as graph" : "Show as list"}
          </Button>
        </Group>
      </Group>
      {graph.data?.truncated && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} mb="md">
          More CIs are related than the graph shows (300 at most). Lower the depth to see a part in full.
        </Alert>
      )}
      {graph.isLoading ? (
        <Center h={420}>
          <Loader size="sm" aria-label="Loading the graph" />
        </Center>
      ) : graph.isError ? (
        <Text c="red" fz="sm">
          {errorMessage(graph.error)}
        </Text>
      ) : graph.data && asList ? (
        <GraphList graph={graph.data} types={types} />
      ) : drawn ? (
        <Box
          h={560}
          role="region"
          aria-label={`Dependency graph of ${ci.name}: ${count} configuration items. Use Show as list for a text version.`}
          onKeyDown={onKeyDown}
          style={{
            border: "1px solid var(--mantine-color-default-border)",
            borderRadius: "var(--mantine-radius-md)",
            overflow: "hidden",
          }}
          data-testid="ci-graph"
        >
          <ReactFlow
            key={`${ci.id}-${depth}`}
            nodes={drawn.nodes}
            edges={drawn.edges}
            nodeTypes={nodeTypes}
            onNodeClick={(_, node) => open(node.id)}
            nodesConnectable={false}
            edgesFocusable={false}
            fitView
            fitViewOptions={FIT}
            minZoom={0.2}
            maxZoom={2}
          >
            <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
            <Controls showInteractive={false} fitViewOptions={FIT} />
            <FitWhenReady signature={drawn.nodes.map((n) => `${n.id}:${n.position.x}:${n.position.y}`).join(",")} />
          </ReactFlow>
        </Box>
      ) : null}
      <Group gap="md" mt="sm">
        {(Object.keys(STATE_COLOR) as IncidentState[]).map((s) => (
          <Group key={s} gap={6} wrap="nowrap">
            <Box w={10} h={10} style={{ borderRadius: 3, background: `var(--mantine-color-${STATE_COLOR[s]}-6)` }} />
            <Text fz="xs" c="dimmed">
              {INCIDENT_LABELS[s]}
            </Text>
          </Group>
        ))}
        <Text fz="xs" c="dimmed">
          Arrows point from a CI to what it relates to. Click a CI to open it; drag to move, scroll to zoom.
        </Text>
      </Group>
    </Paper>
  );
}
