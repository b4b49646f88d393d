import { Box, Button, Container, Group, Kbd } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo, useRef, useState } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { listTickets } from "../../api/tickets.ts";
import type { SavedView } from "../../api/views.ts";
import { can, useMe } from "../../auth.tsx";
import { notifySuccess } from "../../lib/notify.ts";
import { FormDrawer } from "../admin/form-drawer.tsx";
import { PageHeader } from "../page-header.tsx";
import { BulkBar, useBulkSelection } from "./bulk-bar.tsx";
import type { BulkDialogKind } from "./bulk-common.tsx";
import { BulkSummary } from "./bulk-summary.tsx";
import { QuickViews } from "./quick-views.tsx";
import { SavedViewSelect, SavedViewsBar, useViewActions } from "./saved-views.tsx";
import { ShortcutsButton, ShortcutsHelp } from "./shortcuts-help.tsx";
import { TicketCreateForm } from "./ticket-create-form.tsx";
import { TicketFilters } from "./ticket-filters.tsx";
import { TicketTable } from "./ticket-table.tsx";
import {
  filtersToParams,
  hasFilters,
  listParams,
  paramsToFilters,
  resolveView,
  sameFilters,
  sortOf,
  type TicketSearch,
} from "./ticket-views.ts";
import { useListKeys } from "./use-list-keys.ts";
import { useGroupNames, useUserNames } from "./use-names.ts";
import { useSavedViews } from "./use-saved-views.ts";
import { DeleteViewDialog, RenameViewDialog, SaveViewDialog } from "./view-dialogs.tsx";

const route = getRouteApi("/agent/tickets");
const PAGE_SIZE = 50;

export function TicketsPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [createOpened, create] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const [saveOpened, save] = useDisclosure(false);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const [renaming, setRenaming] = useState<SavedView | null>(null);
  const [bulkDialog, setBulkDialog] = useState<BulkDialogKind | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const canCreate = can(me, "ticket.create");

  const saved = useSavedViews();
  const active = resolveView(search, saved.available ? saved.views : []);
  const params = useMemo(() => listParams(search, active.base), [search, active.base]);
  const query = useInfiniteQuery({
    queryKey: [...keys.tickets, "list", params],
    queryFn: ({ pageParam }) => listTickets({ ...params, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Which view applies is known once the saved views have answered (or turned out to be missing).
    enabled: saved.settled,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const groupNames = useGroupNames();
  const userNames = useUserNames(items.flatMap((t) => [t.assigneeId, t.requesterId]));
  const sort = sortOf(params);
  const filters = paramsToFilters(params);
  const dirty = active.kind === "saved" && !sameFilters(active.base, filtersToParams(filters));

  // Other filters or another order make another list: what was selected in the old one is let go.
  const selection = useBulkSelection(items);
  const paramsKey = JSON.stringify(params);
  const [listKey, setListKey] = useState(paramsKey);
  if (listKey !== paramsKey) {
    setListKey(paramsKey);
    selection.clear();
  }

  const update = (patch: Partial<TicketSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  // A view brings its own filters: what refined the previous one is dropped.
  const selectView = (view: SavedView) => void navigate({ search: { viewId: view.id }, replace: true });
  const viewActions = useViewActions(selectView);

  useListKeys(tableRef, {
    enabled: !createOpened && !helpOpened && !saveOpened && !deleting && !renaming && !bulkDialog,
    onSearch: () => searchRef.current?.focus(),
    onCreate: canCreate ? create.open : undefined,
    onHelp: help.open,
  });

  const onCreated = (ticket: Ticket) => {
    create.close();
    notifySuccess(`${ticket.number} was created.`);
    void navigate({ to: "/tickets/$id", params: { id: ticket.id } });
  };

  const emptyText = search.q
    ? `No ticket matches “${search.q}”.`
    : hasFilters(search)
      ? "No ticket matches these filters."
      : `Nothing in “${active.label}”.`;
  const viewProps = {
    views: saved.views,
    activeId: active.kind === "saved" ? active.id : null,
    dirty,
    onSelect: selectView,
    onSave: save.open,
    onDelete: setDeleting,
    onRename: setRenaming,
    onUpdateFilters: (view: SavedView) => viewActions.updateFilters(view, filters),
    onMove: (view: SavedView, delta: -1 | 1) => viewActions.moveView(saved.views, view, delta),
  };

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Tickets"
        description="Incidents, service requests and problems. Work the list from the keyboard: press ? to see how."
        actions={
          <Group gap="sm">
            <ShortcutsButton onClick={help.open} />
            {canCreate && (
              <Button
                leftSection={<IconPlus size={16} aria-hidden />}
                rightSection={
                  <Kbd size="xs" visibleFrom="sm">
                    C
                  </Kbd>
                }
                onClick={create.open}
              >
                New ticket
              </Button>
            )}
          </Group>
        }
      />
      {saved.available ? (
        <>
          <Box visibleFrom="sm">
            <SavedViewsBar {...viewProps} />
          </Box>
          <Box hiddenFrom="sm">
            <SavedViewSelect {...viewProps} />
          </Box>
        </>
      ) : (
        <QuickViews search={search} onChange={update} />
      )}
      <span className="steward-visually-hidden" aria-live="polite">
        {viewActions.announcement}
      </span>
      <TicketFilters search={search} onChange={update} searchRef={searchRef} sort={sort} />
      <BulkBar
        tickets={selection.selected}
        dialog={bulkDialog}
        onDialog={setBulkDialog}
        onClear={selection.clear}
        onDone={selection.finish}
      />
      {selection.outcome && <BulkSummary outcome={selection.outcome} onClose={selection.dismiss} />}
      <div ref={tableRef}>
        <TicketTable
          tickets={items}
          sort={sort}
          onSort={(next) => update({ sort: next })}
          selected={selection.ids}
          onToggle={selection.toggle}
          onToggleAll={selection.toggleAll}
          groupNames={groupNames}
          userNames={userNames}
          isLoading={query.isLoading || !saved.settled}
          emptyText={emptyText}
          hasMore={query.hasNextPage}
          isLoadingMore={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      </div>
      <FormDrawer opened={createOpened} onClose={create.close} title="New ticket">
        <TicketCreateForm onCreated={onCreated} onCancel={create.close} />
      </FormDrawer>
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
      {!saved.missing && (
        <SaveViewDialog
          opened={saveOpened}
          onClose={save.close}
          filters={filters}
          canShare={!!me?.admin}
          onSaved={selectView}
        />
      )}
      <RenameViewDialog view={renaming} onClose={() => setRenaming(null)} />
      <DeleteViewDialog
        view={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          if (active.kind === "saved" && active.id === id) void navigate({ search: {}, replace: true });
        }}
      />
    </Container>
  );
}
