import { Avatar, Badge, Button, Container, Group, Select, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import type { User, UserKind } from "../../../../common/identity.ts";
import { getUser, listUsers } from "../../api/identity.ts";
import { keys } from "../../api/queries.ts";
import { can, useMe } from "../../auth.tsx";
import { initials } from "../../layout/user-menu.tsx";
import { formatRelative } from "../../lib/format.ts";
import { PageHeader } from "../page-header.tsx";
import { FormDrawer, StatusBadge } from "./form-drawer.tsx";
import { ListToolbar } from "./list-toolbar.tsx";
import { type Column, ResourceTable } from "./resource-table.tsx";
import { useEditor } from "./use-editor.ts";
import { usePagedList } from "./use-paged-list.ts";
import { UserForm } from "./user-form.tsx";

const columns: Column<User>[] = [
  {
    header: "Kind",
    visibleFrom: "sm",
    render: (u) => (
      <Group gap={6} wrap="nowrap">
        <Badge variant="light" color={u.kind === "agent" ? "indigo" : "grape"}>
          {u.kind === "agent" ? "Agent" : "Customer"}
        </Badge>
        {u.admin && (
          <Badge variant="outline" color="orange">
            Admin
          </Badge>
        )}
      </Group>
    ),
  },
  { header: "Status", width: 120, render: (u) => <StatusBadge active={u.active} /> },
  {
    header: "Last login",
    visibleFrom: "md",
    render: (u) => (
      <Text fz="sm" c="dimmed">
        {formatRelative(u.lastLoginAt)}
      </Text>
    ),
  },
];

type KindFilter = UserKind | "any";

export function UsersPage() {
  const me = useMe();
  const [kind, setKind] = useState<KindFilter>("any");
  const list = usePagedList(keys.users, listUsers, { kind: kind === "any" ? undefined : kind });
  const editor = useEditor(getUser);

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Users"
        description="Agents work tickets; customers open requests in the portal. Deactivated users cannot log in."
        actions={
          can(me, "user.create") && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
              New user
            </Button>
          )
        }
      />
      <ListToolbar
        searchLabel="Search users"
        search={list.search}
        onSearch={list.setSearch}
        status={list.status}
        onStatus={list.setStatus}
      >
        <Select
          aria-label="Kind"
          value={kind}
          onChange={(v) => setKind((v as KindFilter | null) ?? "any")}
          allowDeselect={false}
          w={150}
          data={[
            { value: "any", label: "All kinds" },
            { value: "agent", label: "Agents" },
            { value: "customer", label: "Customers" },
          ]}
        />
      </ListToolbar>
      <ResourceTable
        caption="Users"
        items={list.items}
        columns={columns}
        primary={(u) => ({
          label: u.name,
          detail: u.email,
        })}
        avatar={(u) => (
          <Avatar size={34} radius="xl" color={u.active ? "indigo" : "gray"}>
            {initials(u.name)}
          </Avatar>
        )}
        onOpen={editor.openEdit}
        isLoading={list.query.isLoading}
        emptyText={list.q ? `No user matches “${list.q}”.` : "No users here yet."}
        hasMore={list.query.hasNextPage}
        isLoadingMore={list.query.isFetchingNextPage}
        onLoadMore={() => void list.query.fetchNextPage()}
      />
      <FormDrawer opened={editor.opened} onClose={editor.close} title={editor.record ? "Edit user" : "New user"}>
        <UserForm key={editor.formKey} user={editor.record} onDone={editor.close} onReload={editor.reload} />
      </FormDrawer>
    </Container>
  );
}
