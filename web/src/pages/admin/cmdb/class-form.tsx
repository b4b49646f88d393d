import {
  ActionIcon,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ATTRIBUTE_TYPES, type AttributeType } from "../../../../../common/cmdb.ts";
import {
  type AttributeDefinition,
  type CiClass,
  type CiClassCreate,
  cmdbKeys,
  createClass,
  updateClass,
} from "../../../api/cmdb.ts";
import { errorAt, type FieldErrors, handleSaveError, withoutErrors } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { sentences } from "../../tickets/custom-field-input.tsx";
import { useGroups } from "../../tickets/use-names.ts";
import { FormActions } from "../form-drawer.tsx";

export const TYPE_LABELS: Record<AttributeType, string> = {
  text: "Text",
  longtext: "Long text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  catalog: "Catalog value",
  ci: "Configuration item",
  user: "User",
  organization: "Organization",
  location: "Location",
};
const TYPE_OPTIONS = ATTRIBUTE_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }));
const KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;
const FIELDS = ["name", "description", "attributes", "groupIds", "active", "version"];
const FLAGS = [
  { key: "required", label: "Required", hint: "Every CI of the class has a value" },
  { key: "unique", label: "Unique", hint: "No two CIs of the class share a value" },
  { key: "multiple", label: "Multiple", hint: "A list of values" },
  { key: "searchable", label: "Searchable", hint: "Found by the CI list's search" },
] as const;

/** "Warranty ends" → "warrantyEnds": a key the API accepts, until the key is typed by hand. */
export function keyFrom(label: string): string {
  const words = label
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  const camel = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join("")
    .replace(/^[^a-z]+/, "");
  return camel.slice(0, 40);
}

interface Row {
  /** A stable React key: definitions can be reordered and renamed. */
  uid: number;
  existing: boolean;
  keyTouched: boolean;
  def: AttributeDefinition;
}

let next = 0;
const row = (def: AttributeDefinition, existing: boolean): Row => ({
  uid: ++next,
  existing,
  keyTouched: existing,
  def,
});

function validate(name: string, rows: Row[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!name.trim()) errors.name = "Enter a name";
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (!r.def.label.trim()) errors[`attributes.${i}.label`] = "Enter a label";
    if (!KEY.test(r.def.key)) errors[`attributes.${i}.key`] = "A letter, then letters, digits and _";
    else if (seen.has(r.def.key)) errors[`attributes.${i}.key`] = "Another attribute has this key";
    seen.add(r.def.key);
    if (r.def.type === "catalog" && !r.def.catalog) errors[`attributes.${i}.catalog`] = "Choose a catalog list";
  });
  return errors;
}

function clean(def: AttributeDefinition): AttributeDefinition {
  const out: AttributeDefinition = { key: def.key, label: def.label.trim(), type: def.type };
  if (def.required) out.required = true;
  if (def.unique) out.unique = true;
  if (def.multiple) out.multiple = true;
  if (def.searchable) out.searchable = true;
  if (def.type === "catalog" && def.catalog) out.catalog = def.catalog;
  return out;
}

function AttributeRow(props: {
  index: number;
  count: number;
  row: Row;
  errors: FieldErrors;
  catalogLists: string[];
  onChange: (row: Row) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { index: i, row: r, errors } = props;
  const set = (patch: Partial<AttributeDefinition>) => props.onChange({ ...r, def: { ...r.def, ...patch } });
  const name = r.def.label || `Attribute ${i + 1}`;
  return (
    <Paper withBorder p="sm" radius="md" component="li" aria-label={name} data-attribute-row={i}>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs">
        <TextInput
          label="Label"
          required
          maxLength={100}
          value={r.def.label}
          onChange={(e) => {
            const label = e.currentTarget.value;
            props.onChange({ ...r, def: { ...r.def, label, key: r.keyTouched ? r.def.key : keyFrom(label) } });
          }}
          error={errorAt(errors, `attributes.${i}.label`)}
        />
        <TextInput
          label="Key"
          required
          maxLength={40}
          value={r.def.key}
          onChange={(e) => props.onChange({ ...r, keyTouched: true, def: { ...r.def, key: e.currentTarget.value } })}
          disabled={r.existing}
          error={errorAt(errors, `attributes.${i}.key`)}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        />
        <Select
          label="Type"
          data={TYPE_OPTIONS}
          value={r.def.type}
          onChange={(v) => v && set({ type: v as AttributeType, catalog: v === "catalog" ? r.def.catalog : undefined })}
          allowDeselect={false}
          error={errorAt(errors, `attributes.${i}.type`)}
          comboboxProps={{ withinPortal: true }}
        />
        {r.def.type === "catalog" ? (
          <Autocomplete
            label="Catalog list"
            required
            data={props.catalogLists}
            value={r.def.catalog ?? ""}
            onChange={(v) => set({ catalog: v.trim() || undefined })}
            placeholder="e.g. manufacturer"
            error={errorAt(errors, `attributes.${i}.catalog`)}
            comboboxProps={{ withinPortal: true }}
          />
        ) : (
          <div />
        )}
      </SimpleGrid>
      <Group justify="space-between" mt="sm" gap="xs">
        <Group gap="md">
          {FLAGS.map((f) => (
            <Tooltip key={f.key} label={f.hint} withinPortal>
              <div>
                <Checkbox
                  size="xs"
                  label={f.label}
                  checked={!!r.def[f.key]}
                  onChange={(e) => set({ [f.key]: e.currentTarget.checked } as Partial<AttributeDefinition>)}
                />
              </div>
            </Tooltip>
          ))}
        </Group>
        <Group gap={4}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${name} up`}
            disabled={i === 0}
            onClick={() => props.onMove(-1)}
          >
            <IconArrowUp size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${name} down`}
            disabled={i === props.count - 1}
            onClick={() => props.onMove(1)}
          >
            <IconArrowDown size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={props.onRemove}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      </Group>
    </Paper>
  );
}

/**
 * A CI class: its name, who sees it and its attribute definitions. Saving a changed definition makes a
 * new class version; CIs move onto it when next edited. An attribute's type cannot change once saved.
 */
export function ClassForm(props: {
  cls: CiClass | null;
  catalogLists: string[];
  onDone: () => void;
  onReload: () => Promise<void>;
}) {
  const { cls, onDone } = props;
  const queryClient = useQueryClient();
  const groups = useGroups();
  const [name, setName] = useState(cls?.name ?? "");
  const [description, setDescription] = useState(cls?.description ?? "");
  const [groupIds, setGroupIds] = useState<string[]>(cls?.groupIds ?? []);
  const [active, setActive] = useState(cls?.active ?? true);
  const [rows, setRows] = useState<Row[]>(() => (cls?.attributes ?? []).map((d) => row(d, true)));
  const [errors, setErrors] = useState<FieldErrors>({});

  const mutation = useMutation({
    mutationFn: () => {
      const body: CiClassCreate = {
        name: name.trim(),
        description: description.trim(),
        groupIds,
        attributes: rows.map((r) => clean(r.def)),
      };
      return cls ? updateClass(cls.id, { ...body, active, version: cls.version }) : createClass(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.classes });
      notifySuccess(
        cls ? `${saved.name} was saved (class version ${saved.version}).` : `The class ${saved.name} was created.`,
      );
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "class",
        fields: FIELDS,
        paths: true,
        setFieldErrors: (e) => setErrors(sentences(e)),
        onConflict: cls ? props.onReload : undefined,
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(name, rows);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const update = (i: number, r: Row) => {
    setRows((list) => list.map((x, j) => (j === i ? r : x)));
    setErrors((e) => withoutErrors(e, `attributes.${i}`));
  };
  const move = (i: number, delta: -1 | 1) => {
    setRows((list) => {
      const copy = [...list];
      const [item] = copy.splice(i, 1);
      if (item) copy.splice(i + delta, 0, item);
      return copy;
    });
    setErrors((e) => withoutErrors(e, "attributes"));
  };
  const groupOptions = (groups.data ?? [])
    .filter((g) => g.active || groupIds.includes(g.id))
    .map((g) => ({ value: g.id, label: g.name }));

  return (
    <form onSubmit={onSubmit} noValidate aria-label={cls ? `Edit ${cls.name}` : "New class"}>
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setErrors(({ name: _, ...rest }) => rest);
          }}
          error={errors.name}
          data-autofocus
        />
        <Textarea
          label="Description"
          maxLength={2000}
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
        />
        <MultiSelect
          label="Visible to groups"
          description="Only agents in these groups see the class and its CIs; none chosen: every agent"
          placeholder={groupIds.length ? undefined : "Every agent"}
          data={groupOptions}
          value={groupIds}
          onChange={(v) => {
            setGroupIds(v);
            setErrors((e) => withoutErrors(e, "groupIds"));
          }}
          searchable
          clearable
          hidePickedOptions
          error={errorAt(errors, "groupIds")}
          comboboxProps={{ withinPortal: true }}
        />
        {cls && (
          <Switch
            label="Active"
            description={active ? "New CIs can be made in this class" : "No new CIs in this class; existing ones stay"}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
            color="teal"
          />
        )}
        <div>
          <Group justify="space-between" mb="xs">
            <Text fw={600} fz="sm">
              Attributes
            </Text>
            <Text fz="xs" c="dimmed">
              {rows.length} {rows.length === 1 ? "attribute" : "attributes"}
            </Text>
          </Group>
          <Text fz="xs" c="dimmed" mb="xs">
            A saved attribute keeps its key and type: to change a type, add a new attribute. Catalog attributes take
            their values from a list of the CMDB catalog.
          </Text>
          {errors.attributes && (
            <Text c="red" fz="sm" mb="xs">
              {errors.attributes}
            </Text>
          )}
          <Stack component="ul" gap="sm" p={0} m={0} aria-label="Attributes" style={{ listStyle: "none" }}>
            {rows.map((r, i) => (
              <AttributeRow
                key={r.uid}
                index={i}
                count={rows.length}
                row={r}
                errors={errors}
                catalogLists={props.catalogLists}
                onChange={(changed) => update(i, changed)}
                onMove={(d) => move(i, d)}
                onRemove={() => {
                  setRows((list) => list.filter((_, j) => j !== i));
                  setErrors((e) => withoutErrors(e, "attributes"));
                }}
              />
            ))}
          </Stack>
          {rows.length === 0 && (
            <Text fz="sm" c="dimmed" mb="xs">
              No attributes yet: CIs of this class have only a name, states, organization and location.
            </Text>
          )}
          <Button
            variant="light"
            mt="sm"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setRows((list) => [...list, row({ key: "", label: "", type: "text" }, false)])}
          >
            Add attribute
          </Button>
        </div>
      </Stack>
      <FormActions onCancel={onDone} submitLabel={cls ? "Save" : "Create class"} loading={mutation.isPending} />
    </form>
  );
}
