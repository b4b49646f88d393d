import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Container,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import {
  type CatalogItem,
  type CatalogItemUpdate,
  type CatalogListSummary,
  cmdbKeys,
  createCatalogItem,
  listCatalog,
  listCatalogLists,
  updateCatalogItem,
} from "../../../api/cmdb.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { notifyError, notifySuccess } from "../../../lib/notify.ts";
import { DEPLOYMENT_GROUPS } from "../../cmdb/cmdb-badges.tsx";
import { useClasses } from "../../cmdb/use-cmdb.ts";
import { PageHeader } from "../../page-header.tsx";
import { sentences } from "../../tickets/custom-field-input.tsx";
import { knownLists } from "./cmdb-classes-page.tsx";

const LIST = /^[a-z][a-z0-9_]{0,39}$/;
const NEW = "__new__";

/** Lists whose values carry a `group` the server reads, and the groups each allows. */
const GROUPS: Record<string, { value: string; label: string }[]> = {
  deployment_state: DEPLOYMENT_GROUPS.map((g) => ({ value: g.value, label: g.label })),
  incident_state: [
    { value: "operational", label: "Operational" },
    { value: "warning", label: "Warning" },
    { value: "incident", label: "Incident" },
  ],
};

/** The properties the API takes back: text, numbers and yes/no. */
function scalars(properties: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

const listLabel = (list: string) => list.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** "12 values", "3 of 12 active", or "No values yet" for a list a class names but nobody filled. */
function countText(summary: CatalogListSummary | undefined): string {
  if (!summary || summary.count === 0) return "No values yet";
  const values = `${summary.count} ${summary.count === 1 ? "value" : "values"}`;
  return summary.active === summary.count ? values : `${summary.active} of ${values} active`;
}

/** A value's name, saved when the field is left or Enter is pressed. */
function NameCell({ item, onSave }: { item: CatalogItem; onSave: (name: string) => void }) {
  const [name, setName] = useState(item.name);
  useEffect(() => setName(item.name), [item.name]);
  const commit = () => {
    const trimmed = name.trim();
    if (!trimmed) setName(item.name);
    else if (trimmed !== item.name) onSave(trimmed);
  };
  return (
    <TextInput
      aria-label={`Name of ${item.name}`}
      value={name}
      onChange={(e) => setName(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          commit();
        }
        if (e.key === "Escape") setName(item.name);
      }}
      size="sm"
      variant="filled"
      miw={160}
    />
  );
}

function AddValue({ list, items }: { list: string; items: CatalogItem[] }) {
  const queryClient = useQueryClient();
  const groups = GROUPS[list];
  const [name, setName] = useState("");
  const [group, setGroup] = useState<string | null>(groups?.[1]?.value ?? groups?.[0]?.value ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: () =>
      createCatalogItem(list, {
        name: name.trim(),
        properties: groups && group ? { group } : {},
        position: Math.max(0, ...items.map((i) => i.position)) + 10,
      }),
    onSuccess: async (item) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: cmdbKeys.catalog(list) }),
        queryClient.invalidateQueries({ queryKey: cmdbKeys.catalogLists }),
      ]);
      notifySuccess(`${item.name} was added to ${listLabel(list).toLowerCase()}.`);
      setName("");
      nameRef.current?.focus();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "value",
        fields: ["name", "properties", "position"],
        paths: true,
        setFieldErrors: (e) => setErrors(sentences(e)),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setErrors({ name: "Enter a name" });
    if (groups && !group) return setErrors({ "properties.group": "Choose a group" });
    setErrors({});
    mutation.mutate();
  };
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="catalog-new">
      <Title order={2} fz="md" mb="sm" id="catalog-new">
        Add a value
      </Title>
      <form onSubmit={onSubmit} noValidate aria-label="Add a value">
        <Stack gap="sm">
          <TextInput
            ref={nameRef}
            label="Name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setErrors({});
            }}
            error={errors.name}
          />
          {groups && (
            <Select
              label="Group"
              description={
                list === "deployment_state"
                  ? "Whether CIs in this state count as in use"
                  : "Which incident state this stands for"
              }
              data={groups}
              value={group}
              onChange={setGroup}
              allowDeselect={false}
              error={errors["properties.group"] ?? errors.properties}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={mutation.isPending}>
              Add value
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * The general catalog: the value lists CI attributes and states choose from. Values are renamed in
 * place, reordered and deactivated, never deleted (CIs keep referring to them).
 */
export function CmdbCatalogPage() {
  const queryClient = useQueryClient();
  // The lists that have values come from the catalog itself; a class may name one nobody has filled yet.
  const catalogLists = useQuery({ queryKey: cmdbKeys.catalogLists, queryFn: listCatalogLists, select: (d) => d.items });
  const classes = useClasses();
  const summaries = new Map((catalogLists.data ?? []).map((l) => [l.list, l]));
  const [extra, setExtra] = useState<string[]>([]);
  const lists = [...new Set([...summaries.keys(), ...knownLists(classes.data ?? []), ...extra])].sort();
  const [list, setList] = useState("deployment_state");
  const [choosing, setChoosing] = useState<string | null>(list);
  const [newName, setNewName] = useState("");
  const [newError, setNewError] = useState<string | undefined>();
  const catalog = useQuery({ queryKey: cmdbKeys.catalog(list), queryFn: () => listCatalog(list) });
  const items = catalog.data?.items ?? [];
  const groups = GROUPS[list];

  const patch = useMutation({
    mutationFn: ({ item, body }: { item: CatalogItem; body: CatalogItemUpdate }) =>
      updateCatalogItem(list, item.id, { ...body, version: item.version }),
    onSuccess: async (item) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: cmdbKeys.catalog(list) }),
        queryClient.invalidateQueries({ queryKey: cmdbKeys.catalogLists }),
      ]);
      notifySuccess(`${item.name} was saved.`);
    },
    onError: async (error) => {
      notifyError(error, "Could not save the value");
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.catalog(list) });
    },
  });
  const reorder = useMutation({
    mutationFn: async (ordered: CatalogItem[]) => {
      for (const [i, item] of ordered.entries()) {
        const position = (i + 1) * 10;
        if (item.position !== position) await updateCatalogItem(list, item.id, { position, version: item.version });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: cmdbKeys.catalog(list) }),
    onError: (error) => notifyError(error, "Could not reorder the values"),
  });
  const move = (i: number, delta: -1 | 1) => {
    const copy = [...items];
    const [item] = copy.splice(i, 1);
    if (!item) return;
    copy.splice(i + delta, 0, item);
    reorder.mutate(copy);
  };
  const openNew = (event: FormEvent) => {
    event.preventDefault();
    const name = newName.trim();
    if (!LIST.test(name)) return setNewError("Lower-case letters, digits and _, starting with a letter");
    setExtra((e) => [...e, name]);
    setList(name);
    setChoosing(name);
    setNewName("");
    setNewError(undefined);
  };

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="CMDB catalog"
        description="The value lists CIs choose from: deployment and incident states, criticality, manufacturers and any list a class names."
      />
      <Group mb="md" gap="sm" align="flex-end">
        <Select
          label="List"
          data={[...lists.map((l) => ({ value: l, label: listLabel(l) })), { value: NEW, label: "New list…" }]}
          value={choosing}
          onChange={(v) => {
            setChoosing(v);
            if (v && v !== NEW) setList(v);
          }}
          renderOption={({ option }) => (
            <Group gap="xs" wrap="nowrap" justify="space-between" w="100%">
              <Text fz="sm" truncate>
                {option.label}
              </Text>
              {option.value !== NEW && (
                <Text fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                  {countText(summaries.get(option.value))}
                </Text>
              )}
            </Group>
          )}
          allowDeselect={false}
          w={260}
          comboboxProps={{ withinPortal: true }}
        />
        {choosing === NEW && (
          <form onSubmit={openNew} noValidate aria-label="New list">
            <Group gap="sm" align="flex-start">
              <TextInput
                label="New list name"
                placeholder="e.g. operating_system"
                value={newName}
                onChange={(e) => {
                  setNewName(e.currentTarget.value);
                  setNewError(undefined);
                }}
                error={newError}
                styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                w={260}
              />
              <Button type="submit" variant="light" mt={25}>
                Start the list
              </Button>
            </Group>
          </form>
        )}
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper
            withBorder
            radius="lg"
            style={{ overflow: "hidden" }}
            component="section"
            aria-labelledby="catalog-values"
          >
            <Group gap={6} p="md" pb="xs">
              <Title order={2} fz="md" id="catalog-values">
                {listLabel(list)}
              </Title>
              <Text ff="monospace" fz="xs" c="dimmed">
                {list}
              </Text>
              <Badge variant="light" color="gray" size="sm">
                {items.length}
              </Badge>
              {reorder.isPending && <Loader size="xs" aria-label="Saving the order" />}
            </Group>
            {catalog.isLoading ? (
              <Center py="lg">
                <Loader size="sm" aria-label="Loading values" />
              </Center>
            ) : items.length === 0 ? (
              <Text fz="sm" c="dimmed" px="md" pb="md">
                This list has no values yet: add the first one.
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={520}>
                <Table verticalSpacing="xs" horizontalSpacing="md" aria-labelledby="catalog-values">
                  <Table.Thead bg="var(--mantine-color-default-hover)">
                    <Table.Tr>
                      <Table.Th w={90}>Order</Table.Th>
                      <Table.Th>Name</Table.Th>
                      {groups && <Table.Th w={200}>Group</Table.Th>}
                      <Table.Th w={120}>Active</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((item, i) => (
                      <Table.Tr key={item.id} data-catalog-item={item.name}>
                        <Table.Td>
                          <Group gap={2} wrap="nowrap">
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              size="sm"
                              aria-label={`Move ${item.name} up`}
                              disabled={i === 0 || reorder.isPending}
                              onClick={() => move(i, -1)}
                            >
                              <IconArrowUp size={14} aria-hidden />
                            </ActionIcon>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              size="sm"
                              aria-label={`Move ${item.name} down`}
                              disabled={i === items.length - 1 || reorder.isPending}
                              onClick={() => move(i, 1)}
                            >
                              <IconArrowDown size={14} aria-hidden />
                            </ActionIcon>
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <NameCell item={item} onSave={(name) => patch.mutate({ item, body: { name } })} />
                        </Table.Td>
                        {groups && (
                          <Table.Td>
                            <Select
                              aria-label={`Group of ${item.name}`}
                              data={groups}
                              value={String(item.properties.group ?? "") || null}
                              onChange={(g) =>
                                g &&
                                patch.mutate({ item, body: { properties: { ...scalars(item.properties), group: g } } })
                              }
                              allowDeselect={false}
                              size="sm"
                              comboboxProps={{ withinPortal: true }}
                            />
                          </Table.Td>
                        )}
                        <Table.Td>
                          <Switch
                            aria-label={`${item.name} is active`}
                            checked={item.active}
                            onChange={(e) => patch.mutate({ item, body: { active: e.currentTarget.checked } })}
                            color="teal"
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <AddValue key={list} list={list} items={items} />
        </Grid.Col>
      </Grid>
    </Container>
  );
}
