import { Button, Container, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import type { Calendar } from "../../../../../common/calendars.ts";
import { keys } from "../../../api/queries.ts";
import { getCalendar, listCalendars } from "../../../api/settings.ts";
import { PageHeader } from "../../page-header.tsx";
import { FormDrawer } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { CalendarForm } from "./calendar-form.tsx";
import { hoursSummary } from "./calendar-model.ts";
import { CalendarPreview } from "./calendar-preview.tsx";
import { useSearchList } from "./use-search-list.ts";

const columns: Column<Calendar>[] = [
  { header: "Time zone", visibleFrom: "sm", render: (c) => <Text fz="sm">{c.timezone}</Text> },
  {
    header: "Holidays",
    visibleFrom: "md",
    width: 110,
    render: (c) => (
      <Text fz="sm" c={c.holidays.length ? undefined : "dimmed"}>
        {c.holidays.length || "—"}
      </Text>
    ),
  },
];

export function CalendarsPage() {
  const list = useSearchList(keys.calendars, listCalendars);
  const editor = useEditor(getCalendar);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Calendars"
        description="Business hours, time zone and holidays. SLA clocks count only the working time of their policy's calendar."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            New calendar
          </Button>
        }
      />
      <TextInput
        aria-label="Search calendars"
        placeholder="Search calendars…"
        leftSection={<IconSearch size={16} aria-hidden />}
        type="search"
        value={list.search}
        onChange={(e) => list.setSearch(e.currentTarget.value)}
        maw={420}
        mb="md"
      />
      <ResourceTable
        caption="Calendars"
        items={list.items}
        columns={columns}
        primary={(c) => ({ label: c.name, detail: hoursSummary(c.hours) })}
        onOpen={editor.openEdit}
        isLoading={list.query.isLoading}
        emptyText={list.q ? `No calendar matches “${list.q}”.` : "No calendars yet. SLA policies need one."}
        hasMore={list.query.hasNextPage}
        isLoadingMore={list.query.isFetchingNextPage}
        onLoadMore={() => void list.query.fetchNextPage()}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? "Edit calendar" : "New calendar"}
        size={560}
      >
        <Stack gap="xl">
          <CalendarForm key={editor.formKey} calendar={editor.record} onDone={editor.close} onReload={editor.reload} />
          {editor.record && <CalendarPreview key={`preview-${editor.formKey}`} calendar={editor.record} />}
        </Stack>
      </FormDrawer>
    </Container>
  );
}
