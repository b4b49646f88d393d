import { Button, Container, Group, SegmentedControl, Select, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TicketType } from "../../../../../common/workflows.ts";
import { type CustomField, customFieldsKey, getCustomField, listCustomFields } from "../../../api/custom-fields.ts";
import { PageHeader } from "../../page-header.tsx";
import { TYPE_LABELS, TYPE_OPTIONS } from "../../tickets/labels.ts";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { CustomFieldForm } from "./custom-fields-form.tsx";
import { KindCell, RequiredBadge } from "./custom-fields-labels.tsx";

const TYPE_FILTER = [{ value: "all", label: "All types" }, ...TYPE_OPTIONS];

export function CustomFieldsPage() {
  const [type, setType] = useState<TicketType | "all">("all");
  const fields = useQuery({ queryKey: [...customFieldsKey, "admin"], queryFn: () => listCustomFields() });
  const editor = useEditor(getCustomField);
  const items = (fields.data?.items ?? []).filter((f) => type === "all" || f.ticketType === type);
  const columns: Column<CustomField>[] = [
    { header: "Ticket type", visibleFrom: "sm", render: (f) => <Text fz="sm">{TYPE_LABELS[f.ticketType]}</Text> },
    { header: "Kind", render: (f) => <KindCell field={f} /> },
    { header: "Required", visibleFrom: "md", width: 120, render: (f) => <RequiredBadge required={f.required} /> },
    { header: "Order", visibleFrom: "lg", width: 80, render: (f) => <Text fz="sm">{f.position}</Text> },
    { header: "Status", visibleFrom: "md", width: 120, render: (f) => <StatusBadge active={f.active} /> },
  ];
  const onType = (value: string | null) => setType((value ?? "all") as TicketType | "all");
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Custom fields"
        description="Extra fields on tickets, per ticket type: agents fill them in on the ticket, and the work list filters by them."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New custom field
          </Button>
        }
      />
      <Group mb="md" gap="sm">
        <SegmentedControl aria-label="Ticket type" visibleFrom="sm" value={type} onChange={onType} data={TYPE_FILTER} />
        <Select
          aria-label="Ticket type"
          hiddenFrom="sm"
          value={type}
          onChange={onType}
          data={TYPE_FILTER}
          allowDeselect={false}
          w="100%"
        />
      </Group>
      <ResourceTable
        caption="Custom fields"
        items={items}
        columns={columns}
        primary={(f) => ({ label: f.label, detail: <span style={{ fontFamily: "monospace" }}>{f.key}</span> })}
        onOpen={editor.openEdit}
        isLoading={fields.isLoading}
        emptyText={
          type === "all"
            ? "No custom fields yet: tickets have only the standard fields."
            : `No custom fields for ${TYPE_LABELS[type].toLowerCase()}s yet.`
        }
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? `Edit ${editor.record.label}` : "New custom field"}
        size={520}
      >
        <CustomFieldForm
          key={editor.formKey}
          field={editor.record}
          ticketType={type === "all" ? "incident" : type}
          onDone={editor.close}
          onReload={editor.reload}
        />
      </FormDrawer>
    </Container>
  );
}
