import { SegmentedControl, Select } from "@mantine/core";
import { DEFAULT_VIEW, type TicketSearch, VIEWS, type View } from "./ticket-views.ts";

const VIEW_DATA = (Object.entries(VIEWS) as [View, (typeof VIEWS)[View]][]).map(([value, v]) => ({
  value,
  label: v.label,
}));

/** The built-in views, for when the server offers no saved ones. */
export function QuickViews({
  search,
  onChange,
}: {
  search: TicketSearch;
  onChange: (patch: Partial<TicketSearch>) => void;
}) {
  const view = search.view ?? DEFAULT_VIEW;
  return (
    <>
      <SegmentedControl
        aria-label="Quick views"
        visibleFrom="sm"
        value={view}
        onChange={(v) => onChange({ view: v as View })}
        data={VIEW_DATA}
        w="fit-content"
        mb="sm"
      />
      <Select
        aria-label="Quick views"
        hiddenFrom="sm"
        value={view}
        onChange={(v) => onChange({ view: (v as View | null) ?? DEFAULT_VIEW })}
        data={VIEW_DATA}
        allowDeselect={false}
        mb="sm"
      />
    </>
  );
}
