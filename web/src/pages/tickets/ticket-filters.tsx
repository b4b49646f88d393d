import { Button, Group, Kbd, MultiSelect, Select, Stack, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconAdjustmentsHorizontal, IconArrowsSort, IconFilterOff, IconSearch } from "@tabler/icons-react";
import { type RefObject, useEffect, useState } from "react";
import { TICKET_SORTS, type TicketSort } from "../../../../common/tickets.ts";
import { PRIORITY_OPTIONS, STATE_TYPE_OPTIONS, TYPE_OPTIONS } from "./labels.ts";
import { GroupSelect, UserSelect } from "./ticket-pickers.tsx";
import { type FilterKey, hasFilters, joinList, SORT_OPTIONS, splitList, type TicketSearch } from "./ticket-views.ts";

const ASSIGNEE_EXTRA = [
  { value: "me", label: "Me" },
  { value: "none", label: "Unassigned" },
];

interface TicketFiltersProps {
  search: TicketSearch;
  onChange: (patch: Partial<TicketSearch>) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** The order the list is in (from the URL, else the view). */
  sort: TicketSort;
}

const isSort = (value: string | null): value is TicketSort => (TICKET_SORTS as readonly string[]).includes(value ?? "");

/** The list's order; on a phone it sits with the folded filters, on wider screens beside the search. */
function SortSelect(props: {
  sort: TicketSort;
  onChange: (patch: Partial<TicketSearch>) => void;
  visibleFrom?: "sm";
  hiddenFrom?: "sm";
}) {
  const { sort, onChange, ...visibility } = props;
  return (
    <Select
      aria-label="Sort"
      data={SORT_OPTIONS}
      value={sort}
      onChange={(value) => isSort(value) && onChange({ sort: value })}
      allowDeselect={false}
      leftSection={<IconArrowsSort size={16} aria-hidden />}
      w={{ base: "100%", sm: 210 }}
      ml={{ sm: "auto" }}
      comboboxProps={{ withinPortal: true }}
      {...visibility}
    />
  );
}

export function TicketFilters({ search, onChange, searchRef, sort }: TicketFiltersProps) {
  const [text, setText] = useState(search.q ?? "");
  const [filtersOpen, setFiltersOpen] = useState(false);
  const commitText = useDebouncedCallback((q: string) => onChange({ q: q.trim() || undefined }), 300);
  useEffect(() => {
    // A change from outside (Back, a cleared filter) wins over what was typed.
    setText((current) => (current.trim() === (search.q ?? "") ? current : (search.q ?? "")));
  }, [search.q]);
  const multi = (key: FilterKey) => ({
    value: splitList(search[key]),
    onChange: (values: string[]) => onChange({ [key]: joinList(values) }),
  });
  const single = (key: FilterKey) => ({
    value: search[key] ?? null,
    onChange: (value: string | null) => onChange({ [key]: value ?? undefined }),
  });

  return (
    <Stack gap="sm" mb="md">
      <Group gap="sm" wrap="nowrap" role="search" aria-label="Search tickets">
        <TextInput
          ref={searchRef}
          aria-label="Search tickets"
          placeholder="Search, or a number like INC-123"
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            <Kbd size="xs" visibleFrom="sm">
              /
            </Kbd>
          }
          rightSectionPointerEvents="none"
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            commitText(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            // Leave the field (so j/k work on the results) instead of clearing it.
            if (e.key === "Escape") {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
          flex="1 1 260px"
          miw={0}
          maw={{ base: undefined, sm: 380 }}
        />
        <Button
          hiddenFrom="sm"
          variant="default"
          px="sm"
          style={{ flexShrink: 0 }}
          onClick={() => setFiltersOpen((o) => !o)}
          aria-expanded={filtersOpen}
          aria-controls="ticket-filters"
          leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
        >
          Filters{hasFilters(search) ? " •" : ""}
        </Button>
        <SortSelect sort={sort} onChange={onChange} visibleFrom="sm" />
      </Group>
      <Group
        id="ticket-filters"
        className="steward-filters"
        data-collapsed={filtersOpen ? undefined : true}
        gap="sm"
        wrap="wrap"
        align="flex-start"
        role="group"
        aria-label="Filters"
      >
        <MultiSelect
          aria-label="Type"
          placeholder={search.type ? undefined : "Type"}
          data={TYPE_OPTIONS}
          w={{ base: "100%", sm: 190 }}
          {...multi("type")}
        />
        <MultiSelect
          aria-label="Priority"
          placeholder={search.priority ? undefined : "Priority"}
          data={PRIORITY_OPTIONS}
          w={{ base: "100%", sm: 170 }}
          {...multi("priority")}
        />
        <MultiSelect
          aria-label="State"
          placeholder={search.stateType ? undefined : "State"}
          data={STATE_TYPE_OPTIONS}
          w={{ base: "100%", sm: 170 }}
          {...multi("stateType")}
        />
        <GroupSelect label="Group" hideLabel placeholder="Group" w={{ base: "100%", sm: 170 }} {...single("groupId")} />
        <UserSelect
          label="Assignee"
          hideLabel
          placeholder="Assignee"
          kind="agent"
          extra={ASSIGNEE_EXTRA}
          w={{ base: "100%", sm: 170 }}
          {...single("assigneeId")}
        />
        <SortSelect sort={sort} onChange={onChange} hiddenFrom="sm" />
        {hasFilters(search) && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} aria-hidden />}
            onClick={() =>
              onChange({
                type: undefined,
                priority: undefined,
                stateType: undefined,
                groupId: undefined,
                assigneeId: undefined,
              })
            }
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Stack>
  );
}
