import { Badge, Button, Container, Text } from "@mantine/core";
import { IconCircleCheck, IconClockExclamation, IconPlus } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  approveChangeTemplate,
  type ChangeTemplate,
  changeAdminKeys,
  getChangeTemplate,
  listChangeTemplates,
} from "../../../api/change-admin.ts";
import { formatMinutes } from "../../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { ChangeTemplateForm } from "./change-template-form.tsx";

export function ApprovalBadge({ approved }: { approved: boolean }) {
  return approved ? (
    <Badge
      color="teal"
      variant="light"
      tt="none"
      leftSection={<IconCircleCheck size={12} aria-hidden />}
      style={{ minWidth: "max-content" }}
    >
      Approved
    </Badge>
  ) : (
    <Badge
      color="yellow"
      variant="light"
      tt="none"
      leftSection={<IconClockExclamation size={12} aria-hidden />}
      style={{ minWidth: "max-content" }}
    >
      Needs approval
    </Badge>
  );
}

function ApproveButton({ template }: { template: ChangeTemplate }) {
  const queryClient = useQueryClient();
  const approve = useMutation({
    mutationFn: () => approveChangeTemplate(template.id),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.templates });
      notifySuccess(`“${saved.name}” is approved: standard changes can be made from it.`);
    },
    onError: (error) => notifyError(error, "Could not approve the template"),
  });
  return (
    <Button
      size="compact-sm"
      variant="light"
      color="teal"
      aria-label={`Approve ${template.name}`}
      loading={approve.isPending}
      onClick={(e) => {
        e.stopPropagation();
        approve.mutate();
      }}
    >
      Approve
    </Button>
  );
}

const columns: Column<ChangeTemplate>[] = [
  {
    header: "Approval",
    width: 150,
    render: (t) => <ApprovalBadge approved={t.approved} />,
  },
  {
    header: "Duration",
    width: 110,
    visibleFrom: "sm",
    render: (t) => <Text fz="sm">{formatMinutes(t.durationMinutes, { days: true })}</Text>,
  },
  {
    header: "Work orders",
    width: 120,
    visibleFrom: "md",
    render: (t) => (
      <Text fz="sm" c={t.workOrders.length ? undefined : "dimmed"}>
        {t.workOrders.length || "—"}
      </Text>
    ),
  },
  { header: "Status", width: 110, render: (t) => <StatusBadge active={t.active} /> },
  {
    header: "Actions",
    width: 120,
    render: (t) => (!t.approved && t.active ? <ApproveButton template={t} /> : null),
  },
];

/** Pre-approved standard changes: what they do, how long, how they roll back; approved once, used many times. */
export function ChangeTemplatesPage() {
  const templates = useInfiniteQuery({
    queryKey: changeAdminKeys.templates,
    queryFn: ({ pageParam }) => listChangeTemplates({ cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const editor = useEditor(getChangeTemplate);
  const items = (templates.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Standard change templates"
        description="Low-risk, repeatable changes approved once: standard changes made from an approved template skip the CAB. Any edit of a template needs a new approval."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New template
          </Button>
        }
      />
      {templates.isError && (
        <Text c="red" fz="sm" mb="sm" role="alert">
          {errorMessage(templates.error)}
        </Text>
      )}
      <ResourceTable
        caption="Standard change templates"
        items={items}
        columns={columns}
        primary={(t) => ({ label: t.name, detail: t.title })}
        onOpen={editor.openEdit}
        isLoading={templates.isLoading}
        emptyText="No templates yet. Approved templates let agents make standard changes without a CAB."
        hasMore={templates.hasNextPage}
        isLoadingMore={templates.isFetchingNextPage}
        onLoadMore={() => void templates.fetchNextPage()}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? `Edit ${editor.record.name}` : "New standard change template"}
        size={640}
      >
        <ChangeTemplateForm
          key={editor.formKey}
          template={editor.record}
          onDone={editor.close}
          onReload={editor.reload}
          onShow={editor.openEdit}
        />
      </FormDrawer>
    </Container>
  );
}
