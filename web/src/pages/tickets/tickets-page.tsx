import { Button, Container, Group, Kbd } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo, useRef } from "react";
import type { Ticket } from "../../../../common/tickets.ts";
import { keys } from "../../api/queries.ts";
import { listTickets } from "../../api/tickets.ts";
import { can, useMe } from "../../auth.tsx";
import { notifySuccess } from "../../lib/notify.ts";
import { FormDrawer } from "../admin/form-drawer.tsx";
import { PageHeader } from "../page-header.tsx";
import { ShortcutsButton, ShortcutsHelp } from "./shortcuts-help.tsx";
import { TicketCreateForm } from "./ticket-create-form.tsx";
import { TicketFilters } from "./ticket-filters.tsx";
import { TicketTable } from "./ticket-table.tsx";
import { DEFAULT_VIEW, hasFilters, listParams, type TicketSearch, VIEWS } from "./ticket-views.ts";
import { useListKeys } from "./use-list-keys.ts";
import { useGroupNames, useUserNames } from "./use-names.ts";

const route = getRouteApi("/agent/tickets");
const PAGE_SIZE = 50;

export function TicketsPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [createOpened, create] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const canCreate = can(me, "ticket.create");

  const params = useMemo(() => listParams(search), [search]);
  const query = useInfiniteQuery({
    queryKey: [...keys.tickets, "list", params],
    queryFn: ({ pageParam }) => listTickets({ ...params, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const groupNames = useGroupNames();
  const userNames = useUserNames(items.flatMap((t) => [t.assigneeId, t.requesterId]));

  const update = (patch: Partial<TicketSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });

  useListKeys(tableRef, {
    enabled: !createOpened && !helpOpened,
    onSearch: () => searchRef.current?.focus(),
    onCreate: canCreate ? create.open : undefined,
    onHelp: help.open,
  });

  const onCreated = (ticket: Ticket) => {
    create.close();
    notifySuccess(`${ticket.number} was created.`);
    void navigate({ to: "/tickets/$id", params: { id: ticket.id } });
  };

  const view = VIEWS[search.view ?? DEFAULT_VIEW];
  const emptyText = search.q
    ? `No ticket matches “${search.q}”.`
    : hasFilters(search)
      ? "No ticket matches these filters."
      : `Nothing in “${view.label}”.`;

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
      <TicketFilters search={search} onChange={update} searchRef={searchRef} />
      <div ref={tableRef}>
        <TicketTable
          tickets={items}
          groupNames={groupNames}
          userNames={userNames}
          isLoading={query.isLoading}
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
    </Container>
  );
}
