import { Anchor, Button, Center, Container, Group, Loader, Stack, Tabs, Text, Title } from "@mantine/core";
import { useDisclosure, useDocumentTitle } from "@mantine/hooks";
import {
  IconArrowLeft,
  IconChartDots3,
  IconHistory,
  IconLink,
  IconList,
  IconPencil,
  IconTicket,
  IconTopologyRing3,
} from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";
import { isApiError } from "../../api/client.ts";
import { type Ci, cmdbKeys } from "../../api/cmdb.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { FormDrawer } from "../admin/form-drawer.tsx";
import { CiAttributes } from "./ci-attributes.tsx";
import { CiForm } from "./ci-form.tsx";
import { CiHistory } from "./ci-history.tsx";
import { CiImpact } from "./ci-impact.tsx";
import { CiRedundancy } from "./ci-redundancy.tsx";
import { CiRelations } from "./ci-relations.tsx";
import type { CiTab } from "./ci-search.ts";
import { CiTickets } from "./ci-tickets.tsx";
import { ClassBadge, DeploymentBadge, IncidentBadge } from "./cmdb-badges.tsx";
import { ciQuery } from "./use-cmdb.ts";

// React Flow is big and only the Graph tab needs it.
const CiGraph = lazy(() => import("./ci-graph.tsx").then((m) => ({ default: m.CiGraph })));

const route = getRouteApi("/agent/cmdb/cis/$id");

export function CiPage() {
  const { id } = route.useParams();
  const ci = useQuery(ciQuery(id));
  if (ci.isLoading) {
    return (
      <Center mih="40dvh">
        <Loader aria-label="Loading the configuration item" />
      </Center>
    );
  }
  if (!ci.data) {
    const missing = isApiError(ci.error, 404);
    return (
      <Container size="sm" px={0} py="xl">
        <Title order={1} fz={24} mb="sm">
          {missing ? "Configuration item not found" : "This configuration item could not be loaded"}
        </Title>
        <Text c="dimmed" mb="md">
          {missing ? "It does not exist, or you may not see it." : errorMessage(ci.error)}
        </Text>
        <Button component={Link} to="/cmdb" variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
          Back to the CMDB
        </Button>
      </Container>
    );
  }
  // Another CI is another page: nothing typed or chosen for one carries over to the next.
  return <CiView key={ci.data.id} ci={ci.data} />;
}

const TABS: { value: CiTab; label: string; icon: typeof IconList }[] = [
  { value: "attributes", label: "Attributes", icon: IconList },
  { value: "history", label: "History", icon: IconHistory },
  { value: "relations", label: "Relations", icon: IconLink },
  { value: "graph", label: "Graph", icon: IconTopologyRing3 },
  { value: "impact", label: "Impact", icon: IconChartDots3 },
  { value: "tickets", label: "Tickets", icon: IconTicket },
];

function CiView({ ci }: { ci: Ci }) {
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tab: CiTab = search.tab ?? "attributes";
  const [editing, edit] = useDisclosure(false);
  const [formKey, setFormKey] = useState(0);
  useDocumentTitle(`${ci.number} ${ci.name} · Steward`);
  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: cmdbKeys.ci(ci.id) });
    setFormKey((k) => k + 1);
  };

  return (
    <Container size="xl" px={0}>
      <Anchor component={Link} to="/cmdb" fz="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          CMDB
        </Group>
      </Anchor>
      <Group component="header" justify="space-between" align="flex-end" mt="xs" mb="lg" gap="md">
        <Stack gap="xs" miw={0}>
          <Group gap="xs">
            <Text ff="monospace" fz="sm" c="dimmed" fw={600}>
              {ci.number}
            </Text>
            <ClassBadge name={ci.className} />
            <DeploymentBadge state={ci.deploymentState} />
            <IncidentBadge state={ci.incidentState} size="lg" />
          </Group>
          <Title order={1} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: "anywhere" }}>
            {ci.name}
          </Title>
          <Text fz="sm" c="dimmed">
            Version {ci.version} · updated {formatRelative(ci.updatedAt)}
          </Text>
        </Stack>
        {ci.abilities.update && (
          <Button leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
            Edit
          </Button>
        )}
      </Group>
      <Tabs
        value={tab}
        onChange={(v) => v && void navigate({ search: { tab: v === "attributes" ? undefined : (v as CiTab) } })}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} stroke={1.7} aria-hidden />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="attributes">
          <CiAttributes ci={ci} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <CiHistory ci={ci} />
        </Tabs.Panel>
        <Tabs.Panel value="relations">
          <Stack gap="lg">
            <CiRelations ci={ci} />
            <CiRedundancy ci={ci} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="graph">
          <Suspense
            fallback={
              <Center py="xl">
                <Loader size="sm" aria-label="Loading the graph" />
              </Center>
            }
          >
            <CiGraph ci={ci} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="impact">
          <CiImpact ci={ci} />
        </Tabs.Panel>
        <Tabs.Panel value="tickets">
          <CiTickets ci={ci} />
        </Tabs.Panel>
      </Tabs>
      <FormDrawer opened={editing} onClose={edit.close} title={`Edit ${ci.name}`} size={680}>
        {editing && <CiForm key={formKey} ci={ci} onCancel={edit.close} onDone={edit.close} onReload={reload} />}
      </FormDrawer>
    </Container>
  );
}
