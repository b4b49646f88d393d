import type { MantineBreakpoint } from "@mantine/core";
import { Button, Center, Group, Loader, Paper, Table, Text, UnstyledButton } from "@mantine/core";
import type { ReactNode } from "react";

export interface Column<T> {
  header: string;
  render: (item: T) => ReactNode;
  /** Hide this column below a breakpoint so the table fits a phone. */
  visibleFrom?: MantineBreakpoint;
  width?: number | string;
}

interface ResourceTableProps<T extends { id: string }> {
  caption: string;
  items: T[];
  columns: Column<T>[];
  /** The first cell: a button named after the record, so keyboard users can open it too. */
  primary: (item: T) => { label: string; detail?: ReactNode };
  avatar?: (item: T) => ReactNode;
  onOpen: (item: T) => void;
  isLoading: boolean;
  emptyText: string;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
}

export function ResourceTable<T extends { id: string }>(props: ResourceTableProps<T>) {
  const { caption, items, columns, primary, avatar, onOpen, isLoading, emptyText, hasMore, isLoadingMore, onLoadMore } =
    props;
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
      <Table.ScrollContainer minWidth={320}>
        <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
          <caption className="steward-visually-hidden">{caption}</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              {columns.map((c) => (
                <Table.Th key={c.header} visibleFrom={c.visibleFrom} w={c.width}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => {
              const { label, detail } = primary(item);
              return (
                <Table.Tr key={item.id} className="steward-row" onClick={() => onOpen(item)}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      {avatar?.(item)}
                      <div>
                        <UnstyledButton
                          onClick={(e) => {
                            e.stopPropagation();
                            onOpen(item);
                          }}
                          fw={600}
                          fz="sm"
                        >
                          {label}
                        </UnstyledButton>
                        {detail && (
                          <Text fz="xs" c="dimmed" lineClamp={1} style={{ wordBreak: "break-all" }}>
                            {detail}
                          </Text>
                        )}
                      </div>
                    </Group>
                  </Table.Td>
                  {columns.map((c) => (
                    <Table.Td key={c.header} visibleFrom={c.visibleFrom} w={c.width}>
                      {c.render(item)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {isLoading && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading" />
        </Center>
      )}
      {!isLoading && items.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" fz="sm">
          {emptyText}
        </Text>
      )}
      {hasMore && (
        <Center py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Button variant="subtle" onClick={onLoadMore} loading={isLoadingMore}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}
