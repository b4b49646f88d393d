import { Badge, Group, Paper, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";
import type { ImportReport } from "../../../api/cmdb-admin.ts";

const number = new Intl.NumberFormat();

function Count({ label, value, color }: { label: string; value: number; color: string | undefined }) {
  return (
    <Paper withBorder radius="lg" p="md" role="group" aria-label={label} data-count={label}>
      <Text fz="xs" fw={600} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text fz={28} fw={700} c={value ? color : "dimmed"} lh={1.3}>
        {number.format(value)}
      </Text>
    </Paper>
  );
}

/** What a dry run would do, or what an import did: created, updated, unchanged and rejected rows. */
export function ImportCounts({ report }: { report: ImportReport }) {
  const dry = report.dryRun;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
      <Count label={dry ? "To create" : "Created"} value={report.created} color="teal.7" />
      <Count label={dry ? "To update" : "Updated"} value={report.updated} color="blue.7" />
      <Count label="Unchanged" value={report.unchanged} color={undefined} />
      <Count label="Rejected" value={report.rejected} color="red.7" />
    </SimpleGrid>
  );
}

/** The rejected rows with their line numbers and reasons (the server lists the first 1,000). */
export function RejectedRows({ report }: { report: ImportReport }) {
  const rows = report.errors.flatMap((e) => e.errors.map((x, i) => ({ line: e.line, first: i === 0, ...x })));
  if (report.rejected === 0) {
    return (
      <Group gap="xs" c="teal.7">
        <IconCircleCheck size={18} aria-hidden />
        <Text fz="sm">
          {report.dryRun ? "Every row can be imported." : "Every row was imported."} {number.format(report.rows)}{" "}
          {report.rows === 1 ? "row" : "rows"} read.
        </Text>
      </Group>
    );
  }
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} component="section" aria-labelledby="import-rejected">
      <Group gap={6} p="md" pb="xs">
        <Title order={2} fz="md" id="import-rejected">
          Rejected rows
        </Title>
        <Badge variant="light" color="red" size="sm">
          {number.format(report.rejected)}
        </Badge>
      </Group>
      <Text fz="sm" c="dimmed" px="md" pb="sm">
        {report.dryRun
          ? "These rows would be left out. Correct them in the file, or change the mapping, and run the dry run again."
          : "These rows were left out; the others were imported. Correct them and import the file again: rows already imported are updated, not duplicated."}
        {report.rejected > report.errors.length &&
          ` The first ${number.format(report.errors.length)} of ${number.format(report.rejected)} are listed.`}
      </Text>
      <Table.ScrollContainer minWidth={480} maxHeight={480}>
        <Table verticalSpacing="xs" horizontalSpacing="md" stickyHeader aria-labelledby="import-rejected">
          <Table.Thead>
            <Table.Tr bg="var(--mantine-color-default-hover)">
              <Table.Th w={90}>Line</Table.Th>
              <Table.Th w={220}>Column</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              // A line can have several reasons; they follow each other in the server's order.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows never reorder
              <Table.Tr key={i} data-line={r.line}>
                <Table.Td>
                  <Text ff="monospace" fz="sm" c={r.first ? undefined : "dimmed"}>
                    {r.line}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.column ? (
                    <Text fz="sm" fw={500} style={{ overflowWrap: "anywhere" }}>
                      {r.column}
                    </Text>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      The whole row
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="sm" style={{ overflowWrap: "anywhere" }}>
                  {r.message}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
