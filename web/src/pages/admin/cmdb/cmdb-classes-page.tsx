import { Badge, Button, Container, Group, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type CiClass, cmdbKeys, getClass, listClasses } from "../../../api/cmdb.ts";
import { PageHeader } from "../../page-header.tsx";
import { useGroupNames } from "../../tickets/use-names.ts";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { ClassForm } from "./class-form.tsx";

/** Lists every CMDB starts with; classes may name others (a list starts with its first value). */
export const SEEDED_LISTS = ["deployment_state", "incident_state", "criticality", "manufacturer"];

/** The catalog lists known here: the seeded ones and any a class's attribute names. */
export function knownLists(classes: readonly CiClass[]): string[] {
  const lists = new Set(SEEDED_LISTS);
  for (const c of classes) for (const a of c.attributes) if (a.catalog) lists.add(a.catalog);
  return [...lists].sort();
}

export function CmdbClassesPage() {
  const classes = useQuery({ queryKey: [...cmdbKeys.classes, "admin"], queryFn: listClasses, staleTime: 0 });
  const editor = useEditor(getClass);
  const groupNames = useGroupNames();
  const items = classes.data?.items ?? [];
  const columns: Column<CiClass>[] = [
    {
      header: "Attributes",
      width: 120,
      render: (c) => <Text fz="sm">{c.attributes.length}</Text>,
    },
    {
      header: "Visible to",
      visibleFrom: "sm",
      render: (c) =>
        c.groupIds.length === 0 ? (
          <Text fz="sm" c="dimmed">
            Every agent
          </Text>
        ) : (
          <Group gap={4}>
            {c.groupIds.map((id) => (
              <Badge key={id} variant="light" color="gray" tt="none" fw={500}>
                {groupNames.get(id) ?? "…"}
              </Badge>
            ))}
          </Group>
        ),
    },
    {
      header: "Version",
      visibleFrom: "md",
      width: 100,
      render: (c) => <Text fz="sm">{c.version}</Text>,
    },
    {
      header: "Status",
      visibleFrom: "md",
      width: 150,
      render: (c) => (
        <Group gap={6} wrap="nowrap">
          <StatusBadge active={c.active} />
          {c.builtin && (
            <Badge variant="light" color="indigo" size="sm" tt="none">
              Built-in
            </Badge>
          )}
        </Group>
      ),
    },
  ];
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="CI classes"
        description="The kinds of configuration items the CMDB holds and the attributes each one has. A changed definition is a new class version; CIs move to it when next edited."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New class
          </Button>
        }
      />
      <ResourceTable
        caption="CI classes"
        items={items}
        columns={columns}
        primary={(c) => ({ label: c.name, detail: c.description || undefined })}
        onOpen={editor.openEdit}
        isLoading={classes.isLoading}
        emptyText="No classes yet."
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? `Edit ${editor.record.name}` : "New class"}
        size={720}
      >
        <ClassForm
          key={editor.formKey}
          cls={editor.record}
          catalogLists={knownLists(items)}
          onDone={editor.close}
          onReload={editor.reload}
        />
      </FormDrawer>
    </Container>
  );
}
