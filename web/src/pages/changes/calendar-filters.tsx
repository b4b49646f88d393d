import { Button, Group, MultiSelect, Paper, Select, SimpleGrid } from "@mantine/core";
import { IconFilter, IconFilterOff } from "@tabler/icons-react";
import { useState } from "react";
import type { ChangeState, ChangeType } from "../../../../common/changes.ts";
import { CiSelect } from "../cmdb/ci-picker.tsx";
import { useClassByCode } from "../cmdb/use-cmdb.ts";
import { GroupSelect } from "../tickets/ticket-pickers.tsx";
import { CHANGE_STATE_OPTIONS, CHANGE_TYPE_OPTIONS } from "./calendar-labels.ts";

export interface CalendarFilters {
  serviceId: string | null;
  ciId: string | null;
  groupId: string | null;
  type: ChangeType | null;
  state: ChangeState[];
}

export const NO_FILTERS: CalendarFilters = { serviceId: null, ciId: null, groupId: null, type: null, state: [] };

export const filterCount = (f: CalendarFilters) =>
  [f.serviceId, f.ciId, f.groupId, f.type].filter(Boolean).length + (f.state.length ? 1 : 0);

/** Service, CI, implementer group, type and state. */
export function CalendarFilterBar({
  value,
  onChange,
}: {
  value: CalendarFilters;
  onChange: (next: CalendarFilters) => void;
}) {
  const serviceClass = useClassByCode("business_service");
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<CalendarFilters>) => onChange({ ...value, ...patch });
  const count = filterCount(value);
  return (
    <>
      <Button
        hiddenFrom="sm"
        variant="default"
        mb="sm"
        leftSection={<IconFilter size={16} aria-hidden />}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls="calendar-filters"
      >
        Filters{count ? ` (${count})` : ""}
      </Button>
      <Paper
        withBorder
        radius="lg"
        p="md"
        mb="md"
        component="section"
        aria-label="Filters"
        id="calendar-filters"
        className="steward-filters"
        data-collapsed={open ? undefined : true}
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          <CiSelect
            label="Service"
            placeholder="Any service"
            classId={serviceClass?.id}
            value={value.serviceId}
            onChange={(serviceId) => set({ serviceId })}
            disabled={!serviceClass}
          />
          <CiSelect
            label="Configuration item"
            placeholder="Any CI"
            value={value.ciId}
            onChange={(ciId) => set({ ciId })}
          />
          <GroupSelect
            label="Group"
            placeholder="Any group"
            value={value.groupId}
            onChange={(groupId) => set({ groupId })}
          />
          <Select
            label="Type"
            placeholder="Any type"
            data={CHANGE_TYPE_OPTIONS}
            value={value.type}
            onChange={(type) => set({ type: type as ChangeType | null })}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          <MultiSelect
            label="State"
            placeholder={value.state.length ? undefined : "Any state"}
            data={CHANGE_STATE_OPTIONS}
            value={value.state}
            onChange={(state) => set({ state: state as ChangeState[] })}
            clearable
            hidePickedOptions
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        {count > 0 && (
          <Group justify="flex-end" mt="xs">
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconFilterOff size={14} aria-hidden />}
              onClick={() => onChange(NO_FILTERS)}
            >
              Clear filters
            </Button>
          </Group>
        )}
      </Paper>
    </>
  );
}
