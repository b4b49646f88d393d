import {
  ActionIcon,
  Badge,
  Button,
  Container,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus, IconTrash, IconUsersGroup } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  type ApproverSet,
  type CabTemplate,
  changeAdminKeys,
  deleteCabTemplate,
  listApproverSets,
  listCabTemplates,
} from "../../../api/change-admin.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { CHANGE_TYPE_COLORS, CHANGE_TYPE_LABELS, RISK_COLORS, RISK_LABELS } from "../../changes/calendar-labels.ts";
import { useCiNames } from "../../cmdb/use-cmdb.ts";
import { PageHeader } from "../../page-header.tsx";
import { useGroupNames, useUserNames } from "../../tickets/use-names.ts";
import { FormDrawer, StatusBadge } from "../form-drawer.tsx";
import { type Column, ResourceTable } from "../resource-table.tsx";
import { useEditor } from "../use-editor.ts";
import { ApproverSetForm, CabTemplateForm } from "./cab-forms.tsx";
import { ruleSummary } from "./change-pickers.tsx";

/** "Ada Lovelace, Alan Turing +2 · Network team". */
function ApproversCell({ userIds, groupIds }: { userIds: string[]; groupIds: string[] }) {
  const users = useUserNames(userIds);
  const groups = useGroupNames();
  const names = [
    ...userIds.map((id) => users.get(id) ?? "…"),
    ...groupIds.map((id) => `${groups.get(id) ?? "…"} (group)`),
  ];
  const shown = names.slice(0, 3).join(", ");
  return (
    <Tooltip label={names.join(", ")} disabled={names.length <= 3} multiline w={320} withArrow>
      <Text fz="sm" lineClamp={2}>
        {shown}
        {names.length > 3 ? ` +${names.length - 3}` : ""}
      </Text>
    </Tooltip>
  );
}

function AppliesTo({ set }: { set: ApproverSet }) {
  const services = useCiNames(set.serviceIds);
  const types = set.types.length ? set.types : (["normal"] as const);
  return (
    <Stack gap={4}>
      <Group gap={4}>
        {types.map((t) => (
          <Badge key={t} size="sm" variant="light" color={CHANGE_TYPE_COLORS[t]} tt="none">
            {CHANGE_TYPE_LABELS[t]}
          </Badge>
        ))}
        {set.riskLevels.map((r) => (
          <Badge key={r} size="sm" variant="dot" color={RISK_COLORS[r]} tt="none">
            {RISK_LABELS[r]} risk
          </Badge>
        ))}
      </Group>
      <Text fz="xs" c="dimmed" lineClamp={1}>
        {set.serviceIds.length
          ? `Services: ${set.serviceIds.map((id) => services.get(id)?.name ?? "…").join(", ")}`
          : "Any service"}
      </Text>
    </Stack>
  );
}

const setColumns: Column<ApproverSet>[] = [
  { header: "Applies to", render: (s) => <AppliesTo set={s} /> },
  {
    header: "Approvers",
    visibleFrom: "sm",
    render: (s) => <ApproversCell userIds={s.userIds} groupIds={s.groupIds} />,
  },
  {
    header: "Rule",
    width: 170,
    visibleFrom: "md",
    render: (s) => <Text fz="sm">{ruleSummary(s.rule, s.atLeast)}</Text>,
  },
  { header: "Status", width: 110, render: (s) => <StatusBadge active={s.active} /> },
];

async function findSet(id: string): Promise<ApproverSet> {
  const found = (await listApproverSets()).items.find((s) => s.id === id);
  if (!found) throw new Error("This approver set no longer exists.");
  return found;
}

function ApproverSets() {
  const sets = useQuery({ queryKey: changeAdminKeys.approverSets, queryFn: listApproverSets });
  const editor = useEditor(findSet);
  return (
    <section aria-labelledby="approver-sets-title">
      <Group justify="space-between" align="flex-end" mb="sm">
        <div>
          <Title order={2} fz="lg" id="approver-sets-title">
            Approver sets
          </Title>
          <Text fz="sm" c="dimmed" maw={640}>
            CAB rules: a change needs the approval of every active set that matches its type, services and risk.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
          New approver set
        </Button>
      </Group>
      {sets.isError && (
        <Text c="red" fz="sm" role="alert" mb="sm">
          {errorMessage(sets.error)}
        </Text>
      )}
      <ResourceTable
        caption="Approver sets"
        items={sets.data?.items ?? []}
        columns={setColumns}
        primary={(s) => ({ label: s.name })}
        onOpen={editor.openEdit}
        isLoading={sets.isLoading}
        emptyText="No approver sets yet: normal and emergency changes cannot go to authorization without one."
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
      />
      <FormDrawer
        opened={editor.opened}
        onClose={editor.close}
        title={editor.record ? `Edit ${editor.record.name}` : "New approver set"}
        size={560}
      >
        <ApproverSetForm key={editor.formKey} set={editor.record} onDone={editor.close} onReload={editor.reload} />
      </FormDrawer>
    </section>
  );
}

function CabTemplates() {
  const queryClient = useQueryClient();
  const templates = useQuery({ queryKey: changeAdminKeys.cabTemplates, queryFn: listCabTemplates });
  const [formOpen, form] = useDisclosure(false);
  const [formKey, setFormKey] = useState(0);
  const [doomed, setDoomed] = useState<CabTemplate | null>(null);
  const remove = useMutation({
    mutationFn: (t: CabTemplate) => deleteCabTemplate(t.id),
    onSuccess: async (_, t) => {
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.cabTemplates });
      notifySuccess(`${t.name} was deleted. Changes it was added to keep their board.`);
      setDoomed(null);
    },
    onError: (error) => notifyError(error, "Could not delete the CAB template"),
  });
  const items = templates.data?.items ?? [];
  return (
    <section aria-labelledby="cab-templates-title">
      <Group justify="space-between" align="flex-end" mb="sm">
        <div>
          <Title order={2} fz="lg" id="cab-templates-title">
            CAB templates
          </Title>
          <Text fz="sm" c="dimmed" maw={640}>
            Saved boards a change owner can add to one change, on top of the rules.
          </Text>
        </div>
        <Button
          variant="default"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => {
            setFormKey((k) => k + 1);
            form.open();
          }}
        >
          New CAB template
        </Button>
      </Group>
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <caption className="steward-visually-hidden">CAB templates</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Approvers</Table.Th>
                <Table.Th w={170}>Rule</Table.Th>
                <Table.Th w={60}>
                  <span className="steward-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <IconUsersGroup size={16} aria-hidden color="var(--mantine-color-dimmed)" />
                      <Text fz="sm" fw={600}>
                        {t.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <ApproversCell userIds={t.userIds} groupIds={t.groupIds} />
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm">{ruleSummary(t.rule, t.atLeast)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Delete ${t.name}`}
                      onClick={() => setDoomed(t)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!templates.isLoading && items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl" fz="sm">
            No CAB templates yet.
          </Text>
        )}
      </Paper>
      <FormDrawer opened={formOpen} onClose={form.close} title="New CAB template" size={520}>
        <CabTemplateForm key={formKey} onDone={form.close} />
      </FormDrawer>
      <Modal opened={doomed !== null} onClose={() => setDoomed(null)} title="Delete the CAB template?" centered>
        <Text fz="sm">
          “{doomed?.name}” will no longer be offered to change owners. Changes it was already added to keep their board.
        </Text>
        <Group justify="flex-end" mt="lg" gap="sm">
          <Button variant="default" onClick={() => setDoomed(null)}>
            Keep it
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => doomed && remove.mutate(doomed)}>
            Delete
          </Button>
        </Group>
      </Modal>
    </section>
  );
}

/** Who approves changes: the CAB rules, and saved boards to add to single changes. */
export function CabPage() {
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="CAB"
        description="The change advisory board: which changes need whose approval, and how many approvals are enough."
      />
      <Stack gap={40}>
        <ApproverSets />
        <CabTemplates />
      </Stack>
    </Container>
  );
}
