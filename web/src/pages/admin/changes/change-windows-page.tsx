import { ActionIcon, Badge, Button, Container, Group, Modal, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconCalendarRepeat, IconLock, IconPlus, IconTool, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import {
  type BlackoutWindow,
  changeAdminKeys,
  deleteBlackoutWindow,
  deleteMaintenanceWindow,
  listBlackoutWindows,
  listMaintenanceWindows,
  type MaintenanceWindow,
} from "../../../api/change-admin.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../../lib/notify.ts";
import { useCiNames } from "../../cmdb/use-cmdb.ts";
import { PageHeader } from "../../page-header.tsx";
import { FormDrawer } from "../form-drawer.tsx";
import { BlackoutWindowForm, MaintenanceWindowForm } from "./window-forms.tsx";
import { describeRecurrence } from "./window-model.ts";

function period(start: string, end: string) {
  return `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

function CiList({ ids, names }: { ids: string[]; names: Map<string, { name: string }> }) {
  if (ids.length === 0) return null;
  return (
    <Group gap={4}>
      {ids.map((id) => (
        <Badge key={id} variant="light" color="gray" tt="none" fw={500}>
          {names.get(id)?.name ?? "…"}
        </Badge>
      ))}
    </Group>
  );
}

function WindowSection<T extends { id: string; name: string }>(props: {
  id: string;
  title: string;
  description: string;
  addLabel: string;
  onAdd: () => void;
  items: T[];
  isLoading: boolean;
  error: unknown;
  emptyText: string;
  headers: string[];
  row: (item: T) => ReactNode[];
  onDelete: (item: T) => void;
  icon: ReactNode;
}) {
  return (
    <section aria-labelledby={props.id}>
      <Group justify="space-between" align="flex-end" mb="sm">
        <div>
          <Title order={2} fz="lg" id={props.id}>
            {props.title}
          </Title>
          <Text fz="sm" c="dimmed" maw={680}>
            {props.description}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={props.onAdd}>
          {props.addLabel}
        </Button>
      </Group>
      {props.error ? (
        <Text c="red" fz="sm" role="alert" mb="sm">
          {errorMessage(props.error)}
        </Text>
      ) : null}
      <Paper withBorder radius="lg" style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <caption className="steward-visually-hidden">{props.title}</caption>
            <Table.Thead bg="var(--mantine-color-default-hover)">
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                {props.headers.map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
                <Table.Th w={60}>
                  <span className="steward-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {props.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {props.icon}
                      <Text fz="sm" fw={600}>
                        {item.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  {props.row(item).map((cell, i) => (
                    <Table.Td key={props.headers[i]}>{cell}</Table.Td>
                  ))}
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Delete ${item.name}`}
                      onClick={() => props.onDelete(item)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!props.isLoading && props.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl" fz="sm">
            {props.emptyText}
          </Text>
        )}
      </Paper>
    </section>
  );
}

type Doomed = { kind: "maintenance"; item: MaintenanceWindow } | { kind: "blackout"; item: BlackoutWindow };

/** When changes are welcome (maintenance windows) and when they are frozen (blackout windows). */
export function ChangeWindowsPage() {
  const queryClient = useQueryClient();
  const maintenance = useQuery({ queryKey: changeAdminKeys.maintenanceWindows, queryFn: listMaintenanceWindows });
  const blackouts = useQuery({ queryKey: changeAdminKeys.blackoutWindows, queryFn: listBlackoutWindows });
  const [maintenanceOpen, maintenanceForm] = useDisclosure(false);
  const [blackoutOpen, blackoutForm] = useDisclosure(false);
  const [formKey, setFormKey] = useState(0);
  const [doomed, setDoomed] = useState<Doomed | null>(null);
  const ciIds = [
    ...(maintenance.data?.items ?? []).flatMap((w) => [...w.ciIds, ...w.serviceIds]),
    ...(blackouts.data?.items ?? []).flatMap((w) => w.serviceIds),
  ];
  const names = useCiNames(ciIds);
  const remove = useMutation({
    mutationFn: (d: Doomed) =>
      d.kind === "maintenance" ? deleteMaintenanceWindow(d.item.id) : deleteBlackoutWindow(d.item.id),
    onSuccess: async (_, d) => {
      await queryClient.invalidateQueries({
        queryKey: d.kind === "maintenance" ? changeAdminKeys.maintenanceWindows : changeAdminKeys.blackoutWindows,
      });
      await queryClient.invalidateQueries({ queryKey: changeAdminKeys.calendarRoot });
      notifySuccess(`${d.item.name} was deleted.`);
      setDoomed(null);
    },
    onError: (error) => notifyError(error, "Could not delete the window"),
  });
  const open = (which: "maintenance" | "blackout") => {
    setFormKey((k) => k + 1);
    if (which === "maintenance") maintenanceForm.open();
    else blackoutForm.open();
  };
  const now = Date.now();

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Maintenance and blackout windows"
        description="Changes to a CI outside its maintenance windows, and any change in a blackout, show as conflicts and cannot be authorized unless the change owner accepts them."
      />
      <Stack gap={40}>
        <WindowSection
          id="maintenance-title"
          title="Maintenance windows"
          description="Agreed times for changing CIs and services, once or recurring on the local clock."
          addLabel="New maintenance window"
          onAdd={() => open("maintenance")}
          items={maintenance.data?.items ?? []}
          isLoading={maintenance.isLoading}
          error={maintenance.error}
          emptyText="No maintenance windows: CIs may be changed at any time."
          headers={["When", "Applies to"]}
          icon={<IconTool size={16} aria-hidden color="var(--mantine-color-teal-6)" />}
          row={(w) => [
            w.rrule ? (
              <Group gap={6} wrap="nowrap" key="when">
                <IconCalendarRepeat size={16} aria-label="Recurring" style={{ flexShrink: 0 }} />
                <Text fz="sm">{describeRecurrence({ ...w, rrule: w.rrule })}</Text>
              </Group>
            ) : (
              <Text fz="sm" key="when">
                {w.start && w.end ? period(w.start, w.end) : "—"}
              </Text>
            ),
            <Stack gap={4} key="cis">
              <CiList ids={w.ciIds} names={names} />
              <CiList ids={w.serviceIds} names={names} />
            </Stack>,
          ]}
          onDelete={(item) => setDoomed({ kind: "maintenance", item })}
        />
        <WindowSection
          id="blackout-title"
          title="Blackout windows"
          description="Change freezes: for every change, or for changes affecting some business services."
          addLabel="New blackout window"
          onAdd={() => open("blackout")}
          items={blackouts.data?.items ?? []}
          isLoading={blackouts.isLoading}
          error={blackouts.error}
          emptyText="No blackout windows."
          headers={["Period", "Scope"]}
          icon={<IconLock size={16} aria-hidden color="var(--mantine-color-red-6)" />}
          row={(w) => [
            <Group gap="xs" key="when" wrap="nowrap">
              <Text fz="sm">{period(w.start, w.end)}</Text>
              {Date.parse(w.end) < now && (
                <Badge size="sm" variant="light" color="gray" tt="none">
                  Past
                </Badge>
              )}
              {Date.parse(w.start) <= now && Date.parse(w.end) >= now && (
                <Badge size="sm" variant="filled" color="red" tt="none">
                  In force
                </Badge>
              )}
            </Group>,
            w.serviceIds.length === 0 ? (
              <Badge key="scope" color="red" variant="light" tt="none" leftSection={<IconLock size={12} aria-hidden />}>
                Global
              </Badge>
            ) : (
              <CiList key="scope" ids={w.serviceIds} names={names} />
            ),
          ]}
          onDelete={(item) => setDoomed({ kind: "blackout", item })}
        />
      </Stack>
      <FormDrawer opened={maintenanceOpen} onClose={maintenanceForm.close} title="New maintenance window" size={600}>
        <MaintenanceWindowForm key={formKey} onDone={maintenanceForm.close} />
      </FormDrawer>
      <FormDrawer opened={blackoutOpen} onClose={blackoutForm.close} title="New blackout window" size={520}>
        <BlackoutWindowForm key={formKey} onDone={blackoutForm.close} />
      </FormDrawer>
      <Modal
        opened={doomed !== null}
        onClose={() => setDoomed(null)}
        title={doomed?.kind === "blackout" ? "Delete the blackout window?" : "Delete the maintenance window?"}
        centered
      >
        <Text fz="sm">“{doomed?.item.name}” is removed, and the conflicts it caused go away.</Text>
        <Group justify="flex-end" mt="lg" gap="sm">
          <Button variant="default" onClick={() => setDoomed(null)}>
            Keep it
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => doomed && remove.mutate(doomed)}>
            Delete
          </Button>
        </Group>
      </Modal>
    </Container>
  );
}
