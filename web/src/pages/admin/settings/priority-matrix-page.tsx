import { Box, Button, Center, Container, Group, Loader, Paper, Select, Stack, Table, Text } from "@mantine/core";
import { IconDeviceFloppy } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { keys } from "../../../api/queries.ts";
import { savePriorityMatrix } from "../../../api/settings.ts";
import { getPriorityMatrix } from "../../../api/tickets.ts";
import { handleSaveError } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { PageHeader } from "../../page-header.tsx";
import { PRIORITY_COLORS, PRIORITY_LABELS } from "../../tickets/labels.ts";

type Priority = "P1" | "P2" | "P3" | "P4";
const LEVELS = [1, 2, 3] as const;
const LEVEL_NAMES: Record<number, string> = { 1: "High", 2: "Medium", 3: "Low" };
const OPTIONS = (["P1", "P2", "P3", "P4"] as const).map((p) => ({ value: p, label: `${p} · ${PRIORITY_LABELS[p]}` }));
const cellKey = (impact: number, urgency: number) => `${impact}-${urgency}`;

function Dot({ priority }: { priority: string }) {
  return (
    <span
      aria-hidden
      style={{
        width: 10,
        height: 10,
        borderRadius: 5,
        background: `var(--mantine-color-${PRIORITY_COLORS[priority] ?? "gray"}-filled)`,
      }}
    />
  );
}

/** Impact (rows) × urgency (columns) → priority. Tickets get their priority from it when either changes. */
export function PriorityMatrixPage() {
  const queryClient = useQueryClient();
  const matrix = useQuery({ queryKey: keys.priorityMatrix, queryFn: getPriorityMatrix });
  const [cells, setCells] = useState<Map<string, Priority>>(new Map());
  useEffect(() => {
    if (matrix.data) setCells(new Map(matrix.data.cells.map((c) => [cellKey(c.impact, c.urgency), c.priority])));
  }, [matrix.data]);
  const saved = new Map(matrix.data?.cells.map((c) => [cellKey(c.impact, c.urgency), c.priority]) ?? []);
  const dirty = [...cells].some(([k, p]) => saved.get(k) !== p);

  const mutation = useMutation({
    mutationFn: () =>
      savePriorityMatrix({
        version: matrix.data?.version,
        cells: LEVELS.flatMap((impact) =>
          LEVELS.map((urgency) => ({ impact, urgency, priority: cells.get(cellKey(impact, urgency)) ?? "P4" })),
        ),
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(keys.priorityMatrix, data);
      notifySuccess("The priority matrix was saved. New and changed tickets use it.");
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "priority matrix",
        fields: [],
        setFieldErrors: () => {},
        onConflict: () => {
          void matrix.refetch();
        },
      }),
  });
  const cell = (impact: number, urgency: number) => {
    const value = cells.get(cellKey(impact, urgency)) ?? null;
    return (
      <Select
        aria-label={`Priority for impact ${LEVEL_NAMES[impact]}, urgency ${LEVEL_NAMES[urgency]}`}
        data={OPTIONS}
        value={value}
        allowDeselect={false}
        leftSection={value ? <Dot priority={value} /> : undefined}
        onChange={(v) => v && setCells((m) => new Map(m).set(cellKey(impact, urgency), v as Priority))}
        comboboxProps={{ withinPortal: true }}
      />
    );
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <Container size="md" px={0} ml={0}>
      <PageHeader
        title="Priority matrix"
        description="A ticket's priority follows from its impact and urgency. Existing tickets keep theirs until one of the two changes."
      />
      {matrix.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the matrix" />
        </Center>
      ) : (
        <form onSubmit={onSubmit} aria-label="Priority matrix">
          <Paper withBorder radius="lg" style={{ overflow: "hidden" }} visibleFrom="sm">
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm" horizontalSpacing="sm" withColumnBorders>
                <caption className="steward-visually-hidden">Priority by impact (rows) and urgency (columns)</caption>
                <Table.Thead bg="var(--mantine-color-default-hover)">
                  <Table.Tr>
                    <Table.Th w={130}>
                      <Text fz="xs" c="dimmed">
                        Impact ↓ · Urgency →
                      </Text>
                    </Table.Th>
                    {LEVELS.map((u) => (
                      <Table.Th key={u} scope="col">
                        Urgency {u} · {LEVEL_NAMES[u]}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {LEVELS.map((impact) => (
                    <Table.Tr key={impact}>
                      <Table.Th scope="row">
                        Impact {impact} · {LEVEL_NAMES[impact]}
                      </Table.Th>
                      {LEVELS.map((urgency) => (
                        <Table.Td key={urgency}>{cell(impact, urgency)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          {/* On a phone: one card per impact, its three urgencies stacked. */}
          <Stack gap="sm" hiddenFrom="sm">
            {LEVELS.map((impact) => (
              <Paper key={impact} withBorder radius="lg" p="md" component="fieldset" m={0}>
                <Text component="legend" fw={650} fz="sm" px={4}>
                  Impact {impact} · {LEVEL_NAMES[impact]}
                </Text>
                <Stack gap="xs">
                  {LEVELS.map((urgency) => (
                    <Group key={urgency} gap="sm" wrap="nowrap" justify="space-between">
                      <Text fz="sm" c="dimmed" style={{ flexShrink: 0 }}>
                        Urgency {urgency} · {LEVEL_NAMES[urgency]}
                      </Text>
                      <Box w={170}>{cell(impact, urgency)}</Box>
                    </Group>
                  ))}
                </Stack>
              </Paper>
            ))}
          </Stack>
          <Group justify="flex-end" mt="md" gap="sm">
            {dirty && (
              <Button variant="default" onClick={() => setCells(saved)}>
                Undo changes
              </Button>
            )}
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={!dirty}
              leftSection={<IconDeviceFloppy size={16} aria-hidden />}
            >
              Save matrix
            </Button>
          </Group>
        </form>
      )}
    </Container>
  );
}
