import { NumberInput, Select, SimpleGrid, Stack, Switch, TagsInput, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { TicketType } from "../../../../../common/workflows.ts";
import {
  type CustomField,
  type CustomFieldCreate,
  createCustomField,
  customFieldsKey,
  updateCustomField,
} from "../../../api/custom-fields.ts";
import { type FieldErrors, handleSaveError } from "../../../lib/form-errors.ts";
import { notifySuccess } from "../../../lib/notify.ts";
import { TYPE_OPTIONS } from "../../tickets/labels.ts";
import { FormActions } from "../form-drawer.tsx";
import { KIND_OPTIONS } from "./custom-fields-labels.tsx";

const FIELDS = ["ticketType", "key", "label", "kind", "options", "required", "position", "active"];
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const hasOptions = (kind: string) => kind === "select" || kind === "multiselect";

/** "Affected site" → "affected_site": a key the API accepts, until the key is typed by hand. */
function keyFrom(label: string): string {
  const slug = label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+|_+$/g, "");
  return slug.slice(0, 40).replace(/_+$/, "");
}

interface Values {
  ticketType: TicketType;
  label: string;
  key: string;
  keyTouched: boolean;
  kind: CustomField["kind"];
  options: string[];
  required: boolean;
  position: number | string;
  active: boolean;
}

function initialValues(field: CustomField | null, ticketType: TicketType): Values {
  return {
    ticketType: field?.ticketType ?? ticketType,
    label: field?.label ?? "",
    key: field?.key ?? "",
    keyTouched: field !== null,
    kind: field?.kind ?? "text",
    options: field?.options ?? [],
    required: field?.required ?? false,
    position: field?.position ?? 100,
    active: field?.active ?? true,
  };
}

function validate(v: Values, creating: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.label.trim()) errors.label = "Enter a label";
  if (creating && !v.key) errors.key = "Enter a key";
  else if (creating && !KEY.test(v.key)) errors.key = "Lower-case letters, digits and _, starting with a letter";
  if (typeof v.position !== "number") errors.position = "Enter a number";
  return errors;
}

/** A new field (every setting), or an existing one: its ticket type, key and kind stay as they are. */
export function CustomFieldForm(props: {
  field: CustomField | null;
  ticketType: TicketType;
  onDone: () => void;
  onReload: () => Promise<void>;
}) {
  const { field, onDone, onReload } = props;
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => initialValues(field, props.ticketType));
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const mutation = useMutation({
    mutationFn: () => {
      const common = {
        label: values.label.trim(),
        required: values.required,
        position: Number(values.position),
        ...(hasOptions(values.kind) ? { options: values.options } : {}),
      };
      if (field) return updateCustomField(field.id, { ...common, active: values.active, version: field.version });
      const body: CustomFieldCreate = { ...common, ticketType: values.ticketType, key: values.key, kind: values.kind };
      return createCustomField(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: customFieldsKey });
      notifySuccess(`${saved.label} was saved.`);
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "custom field",
        fields: FIELDS,
        // Server messages start in lower case ("already in use"); beside a field they read as sentences.
        setFieldErrors: (found) =>
          setErrors(
            Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)])),
          ),
        onConflict: field ? onReload : undefined,
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values, field === null);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const fixed = field !== null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={field ? `Edit ${field.label}` : "New custom field"}>
      <Stack gap="md">
        <TextInput
          label="Label"
          description="What agents see beside the field"
          required
          maxLength={100}
          value={values.label}
          onChange={(e) => {
            const label = e.currentTarget.value;
            setValues((v) => ({ ...v, label, key: v.keyTouched ? v.key : keyFrom(label) }));
            setErrors(({ label: _, key: __, ...rest }) => rest);
          }}
          error={errors.label}
          data-autofocus
        />
        <TextInput
          label="Key"
          description={
            fixed ? "Fixed once the field exists" : "Its name in the API and in filters; cannot change later"
          }
          required={!fixed}
          maxLength={40}
          value={values.key}
          onChange={(e) => {
            const key = e.currentTarget.value;
            setValues((v) => ({ ...v, key, keyTouched: true }));
            setErrors(({ key: _, ...rest }) => rest);
          }}
          error={errors.key}
          disabled={fixed}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label="Ticket type"
            required={!fixed}
            data={TYPE_OPTIONS}
            value={values.ticketType}
            onChange={(v) => v && set("ticketType", v as TicketType)}
            allowDeselect={false}
            error={errors.ticketType}
            disabled={fixed}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Kind"
            required={!fixed}
            data={KIND_OPTIONS}
            value={values.kind}
            onChange={(v) => v && set("kind", v as CustomField["kind"])}
            allowDeselect={false}
            error={errors.kind}
            disabled={fixed}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        {hasOptions(values.kind) && (
          <TagsInput
            label="Options"
            description="Type an option and press Enter; agents choose from these"
            withAsterisk
            placeholder={values.options.length ? undefined : "e.g. Berlin"}
            value={values.options}
            onChange={(v) => set("options", v)}
            maxTags={200}
            splitChars={[","]}
            clearable
            error={errors.options}
          />
        )}
        <NumberInput
          label="Order"
          description="Lower comes first on the ticket"
          min={0}
          max={10000}
          allowDecimal={false}
          allowNegative={false}
          value={values.position}
          onChange={(v) => set("position", v)}
          error={errors.position}
          maw={200}
        />
        <Switch
          label="Required"
          description="Must be filled in when a ticket of this type is created"
          checked={values.required}
          onChange={(e) => set("required", e.currentTarget.checked)}
          error={errors.required}
        />
        {fixed && (
          <Switch
            label="Active"
            description={
              values.active
                ? "Offered on tickets of this type"
                : "Deactivated: no longer offered; values already on tickets stay"
            }
            checked={values.active}
            onChange={(e) => set("active", e.currentTarget.checked)}
            error={errors.active}
            color="teal"
          />
        )}
      </Stack>
      <FormActions onCancel={onDone} submitLabel={field ? "Save" : "Create field"} loading={mutation.isPending} />
    </form>
  );
}
