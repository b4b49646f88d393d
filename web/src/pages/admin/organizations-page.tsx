import { Badge, Button, Container, Group, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import type { Organization } from "../../../../common/identity.ts";
import { getOrganization, listOrganizations } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { can, useMe } from "../../auth.tsx";
import { formatDate } from "../../lib/format.ts";
import { PageHeader } from "../page-header.tsx";
import { FormDrawer, StatusBadge } from "./form-drawer.tsx";
import { ListToolbar } from "./list-toolbar.tsx";
import { OrganizationForm } from "./organization-form.tsx";
import { type Column, ResourceTable } from "./resource-table.tsx";
import { useEditor } from "./use-editor.ts";
import { usePagedList } from "./use-paged-list.ts";

const NO_FILTERS = {};

const columns: Column<Organization>[] = [
  {
    header: "Domains",
    visibleFrom: "sm",
    render: (o) =>
      o.domains.length ? (
        <Group gap={4}>
          {o.domains.slice(0, 3).map((d) => (
            <Badge key={d} variant="default" tt="none" fw={500}>
              {d}
            </Badge>
          ))}
          {o.domains.length > 3 && (
            <Text fz="xs" c="dimmed">
              +{o.domains.length - 3}
            </Text>
          )}
        </Group>
      ) : (
        <Text fz="sm" c="dimmed">
          —
        </Text>
      ),
  },
  { header: "Status", width: 120, render: (o) => <StatusBadge active={o.active} /> },
  {
    header: "Created",
    visibleFrom: "md",
    render: (o) => (
      <Text fz="sm" c="dimmed">
        {formatDate(o.createdAt)}
      </Text>
    ),
  },
];

export function OrganizationsPage() {
  const me = useMe();
  const list = usePagedList(keys.organizations, listOrganizations, NO_FILTERS);
  const editor = useEditor(getOrganization);

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Organizations"
        description="The customer companies you serve. Customers belong to one organization."
        actions={
          can(me, "organization.create") && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
              New organization
            </Button>
          )
        }
      />
      <ListToolbar
        searchLabel="Search organizations"
        search={list.search}
        onSearch={list.setSearch}
        status={list.status}
        onStatus={list.setStatus}
      />
      <ResourceTable
        caption="Organizations"
        items={list.items}
        columns={columns}
        primary={(o) => ({ label: o.name })}
        onOpen={editor.openEdit}
        isLoading={list.query.isLoading}
        emptyText={list.q ? `No organization matches “${list.q}”.` : "No organizations here yet."}
        hasMore={list.query.hasNextPage}
        isLoadingMore={list.query.isFetchingNextPage}
        onLoadMore={() => void list.query.fetchNextPage()}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? "Edit organization" : "New organization"}
      >
        <OrganizationForm key={editor.formKey} org={editor.record} onDone={editor.close} onReload={editor.reload} />
      </FormDrawer>
    </Container>
  );
}
