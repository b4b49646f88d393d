import { Group, SegmentedControl, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { StatusFilter } from "./use-paged-list.ts";

interface ListToolbarProps {
  searchLabel: string;
  search: string;
  onSearch: (value: string) => void;
  status: StatusFilter;
  onStatus: (value: StatusFilter) => void;
  children?: ReactNode;
}

export function ListToolbar({ searchLabel, search, onSearch, status, onStatus, children }: ListToolbarProps) {
  return (
    <Group gap="sm" mb="md" wrap="wrap" role="search" aria-label={searchLabel}>
      <TextInput
        aria-label={searchLabel}
        placeholder={`${searchLabel}…`}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(e) => onSearch(e.currentTarget.value)}
        type="search"
        flex="1 1 240px"
        maw={420}
      />
      <SegmentedControl
        aria-label="Status"
        value={status}
        onChange={(value) => onStatus(value as StatusFilter)}
        data={[
          { value: "active", label: "Active" },
          { value: "inactive", label: "Inactive" },
          { value: "all", label: "All" },
        ]}
      />
      {children}
    </Group>
  );
}
