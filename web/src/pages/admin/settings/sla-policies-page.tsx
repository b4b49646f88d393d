import { Badge, Button, Container, Group, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { SlaPolicy } from "../../../../../common/sla-policies.ts";
import { keys } from "../../../api/queries.ts";
import { getSlaPolicy, listCalendars, listSlaPolicies } from "../../../api/settings.ts";
import { formatMinutes } from "../../../lib/format.ts";
import { PageHeader } from "../../page-header.tsx";
import { TYPE_LABELS } from "../../tickets/labels.ts";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { SlaPolicyForm } from "./sla-policy-form.tsx";
import { useSearchList } from "./use-search-list.ts";

/** "Incident · P1, P2 · 2 organizations", or "Every ticket". */
function matchSummary(p: SlaPolicy): string {
  const { types = [], priorities = [], organizationIds = [], categoryIds = [] } = p.match;
  const parts = [
    types.map((t) => TYPE_LABELS[t as keyof typeof TYPE_LABELS] ?? t).join(", "),
    priorities.join(", "),
    organizationIds.length ? `${organizationIds.length} organization${organizationIds.length > 1 ? "s" : ""}` : "",
    categoryIds.length ? `${categoryIds.length} categor${categoryIds.length > 1 ? "ies" : "y"}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "Every ticket";
}

function Targets({ policy }: { policy: SlaPolicy }) {
  const t = policy.targets;
  const shown: [string, number | undefined][] = [
    ["Response", t.firstResponseMinutes],
    ["Resolution", t.resolutionMinutes],
    ["Next response", t.nextResponseMinutes],
  ];
  return (
    <Group gap={4}>
      {shown
        .filter(([, m]) => m !== undefined)
        .map(([label, m]) => (
          <Badge key={label} variant="default" tt="none" fw={500} title={`${m} working minutes`}>
            {label} {formatMinutes(m ?? 0)}
          </Badge>
        ))}
    </Group>
  );
}

export function SlaPoliciesPage() {
  const list = useSearchList(keys.slaPolicies, ({ cursor, limit }) => listSlaPolicies({ cursor, limit }));
  const editor = useEditor(getSlaPolicy);
  const calendars = useQuery({ queryKey: [...keys.calendars, "all"], queryFn: () => listCalendars({ limit: 200 }) });
  const calendarName = new Map((calendars.data?.items ?? []).map((c) => [c.id, c.name]));
  const nextOrder = list.items.reduce((max, p) => Math.max(max, p.order + 10), 10);
  const columns: Column<SlaPolicy>[] = [
    { header: "Order", width: 80, render: (p) => <Text fz="sm">{p.order}</Text> },
    { header: "Targets", visibleFrom: "sm", render: (p) => <Targets policy={p} /> },
    {
      header: "Calendar",
      visibleFrom: "lg",
      render: (p) => <Text fz="sm">{calendarName.get(p.calendarId) ?? "…"}</Text>,
    },
    { header: "Status", width: 120, visibleFrom: "md", render: (p) => <StatusBadge active={p.active} /> },
  ];
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="SLA policies"
        description="Response and resolution targets. Tickets get the first active policy, in this order, that they match."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New SLA policy
          </Button>
        }
      />
      <ResourceTable
        caption="SLA policies in match order"
        items={list.items}
        columns={columns}
        primary={(p) => ({ label: p.name, detail: matchSummary(p) })}
        onOpen={editor.openEdit}
        isLoading={list.query.isLoading}
        emptyText="No SLA policies yet: tickets have no SLA clocks."
        hasMore={list.query.hasNextPage}
        isLoadingMore={list.query.isFetchingNextPage}
        onLoadMore={() => void list.query.fetchNextPage()}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? "Edit SLA policy" : "New SLA policy"}
        size={600}
      >
        <SlaPolicyForm
          key={editor.formKey}
          policy={editor.record}
          nextOrder={nextOrder}
          onDone={editor.close}
          onReload={editor.reload}
        />
      </FormDrawer>
    </Container>
  );
}
