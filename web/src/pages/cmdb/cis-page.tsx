import { Anchor, Button, Center, Container, Loader, Menu, Paper, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconChevronDown, IconDownload, IconFileTypeCsv, IconFileTypeXls, IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type MouseEvent, useMemo } from "react";
import { type Ci, ciExportUrl, cmdbKeys, listCis } from "../../api/cmdb.ts";
import { can, useMe } from "../../auth.tsx";
import { FormDrawer } from "../admin/form-drawer.tsx";
import { PageHeader } from "../page-header.tsx";
import { CiFilters } from "./ci-filters.tsx";
import { CiForm } from "./ci-form.tsx";
import { type CiSearch, hasCiFilters } from "./ci-search.ts";
import { ClassBadge, DeploymentBadge, IncidentBadge } from "./cmdb-badges.tsx";
import { useClasses, useOrganizationNames } from "./use-cmdb.ts";

const route = getRouteApi("/agent/cmdb");
const PAGE_SIZE = 50;
const nowrap = { whiteSpace: "nowrap" } as const;

function CiTable(props: {
  items: Ci[];
  orgNames: Map<string, string>;
  isLoading: boolean;
  emptyText: string;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
}) {
  const { items, orgNames } = props;
  const navigate = useNavigate();
  const openRow = (event: MouseEvent, ci: Ci) => {
    if ((event.target as HTMLElement).closest("a, button, input, label")) return;
    void navigate({ to: "/cmdb/cis/$id", params: { id: ci.id } });
  };
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
      <Table.ScrollContainer minWidth={320}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
          <caption className="steward-visually-hidden">Configuration items</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th w={120} visibleFrom="sm">
                Number
              </Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th visibleFrom="sm">Class</Table.Th>
              <Table.Th visibleFrom="md">Deployment state</Table.Th>
              <Table.Th>Incident state</Table.Th>
              <Table.Th visibleFrom="lg">Organization</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((ci) => (
              <Table.Tr key={ci.id} className="steward-row" onClick={(e) => openRow(e, ci)} data-ci-id={ci.id}>
                <Table.Td visibleFrom="sm">
                  <Text ff="monospace" fz="sm" c="dimmed" style={nowrap}>
                    {ci.number}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor
                    renderRoot={(rootProps) => <Link {...rootProps} to="/cmdb/cis/$id" params={{ id: ci.id }} />}
                    className="steward-row-link"
                  >
                    {ci.name}
                  </Anchor>
                  <Text hiddenFrom="sm" fz="xs" c="dimmed">
                    {ci.number} · {ci.className}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <ClassBadge name={ci.className} />
                </Table.Td>
                <Table.Td visibleFrom="md">
                  <DeploymentBadge state={ci.deploymentState} />
                </Table.Td>
                <Table.Td>
                  <IncidentBadge state={ci.incidentState} />
                </Table.Td>
                <Table.Td visibleFrom="lg">
                  {ci.organizationId ? (
                    <Text fz="sm" truncate maw={200}>
                      {orgNames.get(ci.organizationId) ?? "…"}
                    </Text>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.isLoading && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading configuration items" />
        </Center>
      )}
      {!props.isLoading && items.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" fz="sm">
          {props.emptyText}
        </Text>
      )}
      {props.hasMore && (
        <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Button variant="subtle" onClick={props.onLoadMore} loading={props.isLoadingMore}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}

/** Downloads what the list shows — every CI its filters find, not only the loaded pages — as CSV or XLSX. */
function ExportMenu({ search }: { search: CiSearch }) {
  return (
    <Menu position="bottom-end" width={250} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {hasCiFilters(search) ? "The CIs these filters find" : "Every CI"}, as a file that imports back
        </Menu.Label>
        <Menu.Item
          component="a"
          href={ciExportUrl(search, "csv")}
          download=""
          leftSection={<IconFileTypeCsv size={16} aria-hidden />}
        >
          CSV
        </Menu.Item>
        <Menu.Item
          component="a"
          href={ciExportUrl(search, "xlsx")}
          download=""
          leftSection={<IconFileTypeXls size={16} aria-hidden />}
        >
          XLSX
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The CMDB: configuration items, filtered by class, states, text and attribute, a page at a time. */
export function CisPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [createOpened, create] = useDisclosure(false);
  const classes = useClasses();
  const params = useMemo(() => ({ ...search }), [search]);
  const query = useInfiniteQuery({
    queryKey: [...cmdbKeys.cis, "list", params],
    queryFn: ({ pageParam }) => listCis({ ...params, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const orgNames = useOrganizationNames(items.map((c) => c.organizationId));
  const update = (patch: Partial<CiSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  const canCreate = can(me, "cmdb.manage");

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="CMDB"
        description="Configuration items — servers, applications, network devices, services and locations — with their dependencies and impact analysis."
        actions={
          <>
            <ExportMenu search={search} />
            {canCreate && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
                New CI
              </Button>
            )}
          </>
        }
      />
      <CiFilters search={search} onChange={update} classes={classes.data ?? []} />
      <CiTable
        items={items}
        orgNames={orgNames}
        isLoading={query.isLoading}
        emptyText={
          search.q
            ? `No configuration item matches “${search.q}”.`
            : hasCiFilters(search)
              ? "No configuration item matches these filters."
              : "No configuration items yet."
        }
        hasMore={query.hasNextPage}
        isLoadingMore={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
      <FormDrawer opened={createOpened} onClose={create.close} title="New configuration item" size={680}>
        {createOpened && (
          <CiForm
            ci={null}
            defaultClassId={search.classId}
            onCancel={create.close}
            onDone={(ci) => {
              create.close();
              void navigate({ to: "/cmdb/cis/$id", params: { id: ci.id } });
            }}
          />
        )}
      </FormDrawer>
    </Container>
  );
}
