import { Badge, Button, Container, Group as MantineGroup, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { Group, Role } from "../../../../common/identity.ts";
import { getGroup, listGroups } from "../../api/identity.ts";
import { keys, rolesQuery } from "../../api/queries.ts";
import { can, useMe } from "../../auth.tsx";
import { PageHeader } from "../page-header.tsx";
import { FormDrawer, StatusBadge } from "./form-drawer.tsx";
import { GroupForm } from "./group-form.tsx";
import { ListToolbar } from "./list-toolbar.tsx";
import { type Column, ResourceTable } from "./resource-table.tsx";
import { useEditor } from "./use-editor.ts";
import { usePagedList } from "./use-paged-list.ts";

const NO_FILTERS = {};

function columnsFor(roles: Map<string, Role>): Column<Group>[] {
  return [
    {
      header: "Members",
      render: (g) => <Text fz="sm">{g.memberIds.length}</Text>,
      width: 100,
    },
    {
      header: "Roles",
      visibleFrom: "sm",
      render: (g) => (
        <MantineGroup gap={4}>
          {g.roleIds.length === 0 && (
            <Text fz="sm" c="dimmed">
              —
            </Text>
          )}
          {g.roleIds.map((id) => (
            <Badge key={id} variant="light" color="gray" tt="none" fw={500}>
              {roles.get(id)?.name ?? "Unknown role"}
            </Badge>
          ))}
        </MantineGroup>
      ),
    },
    { header: "Status", width: 120, render: (g) => <StatusBadge active={g.active} /> },
  ];
}

export function GroupsPage() {
  const me = useMe();
  const roles = useQuery(rolesQuery);
  const list = usePagedList(keys.groups, listGroups, NO_FILTERS);
  const editor = useEditor(getGroup);
  const columns = columnsFor(new Map((roles.data ?? []).map((r) => [r.id, r])));

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Groups"
        description="Teams of agents. Tickets are routed to groups, and a group's roles apply to all of its members."
        actions={
          can(me, "group.create") && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
              New group
            </Button>
          )
        }
      />
      <ListToolbar
        searchLabel="Search groups"
        search={list.search}
        onSearch={list.setSearch}
        status={list.status}
        onStatus={list.setStatus}
      />
      <ResourceTable
        caption="Groups"
        items={list.items}
        columns={columns}
        primary={(g) => ({ label: g.name, detail: g.description || undefined })}
        onOpen={editor.openEdit}
        isLoading={list.query.isLoading}
        emptyText={list.q ? `No group matches “${list.q}”.` : "No groups here yet."}
        hasMore={list.query.hasNextPage}
        isLoadingMore={list.query.isFetchingNextPage}
        onLoadMore={() => void list.query.fetchNextPage()}
      />
      <FormDrawer opened={editor.opened} onClose={editor.close} title={editor.record ? "Edit group" : "New group"}>
        <GroupForm key={editor.formKey} group={editor.record} onDone={editor.close} onReload={editor.reload} />
      </FormDrawer>
    </Container>
  );
}
