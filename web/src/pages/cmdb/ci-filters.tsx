import { Button, Group, Select, Stack, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconAdjustmentsHorizontal, IconFilterOff, IconSearch } from "@tabler/icons-react";
import { useEffect, useMemo, useState } from "react";
import type { AttributeDefinition, CiClass, IncidentState } from "../../api/cmdb.ts";
import { type CiSearch, hasCiFilters, splitAttribute } from "./ci-search.ts";
import { deploymentOptions, INCIDENT_OPTIONS } from "./cmdb-badges.tsx";
import { useCatalog } from "./use-cmdb.ts";

/** The attributes the attribute filter offers: the chosen class's, else every class's (each key once). */
function attributeChoices(classes: CiClass[], classId: string | undefined): AttributeDefinition[] {
  const source = classId ? classes.filter((c) => c.id === classId) : classes;
  const seen = new Map<string, AttributeDefinition>();
  for (const c of source) for (const a of c.attributes) if (!seen.has(a.key)) seen.set(a.key, a);
  return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** The value half of the attribute filter: a list for catalog and yes/no attributes, else free text. */
function AttributeValueInput(props: {
  def: AttributeDefinition | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const { def, value, onChange } = props;
  const catalog = useCatalog(def?.type === "catalog" ? def.catalog : undefined);
  const [text, setText] = useState(value);
  const commit = useDebouncedCallback((v: string) => onChange(v), 400);
  useEffect(() => setText(value), [value]);
  if (def?.type === "catalog") {
    return (
      <Select
        aria-label="Attribute value"
        placeholder="Value"
        data={(catalog.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
        value={value || null}
        onChange={(v) => onChange(v ?? "")}
        searchable
        clearable
        w={{ base: "100%", sm: 150 }}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  if (def?.type === "boolean") {
    return (
      <Select
        aria-label="Attribute value"
        placeholder="Value"
        data={[
          { value: "true", label: "Yes" },
          { value: "false", label: "No" },
        ]}
        value={value || null}
        onChange={(v) => onChange(v ?? "")}
        clearable
        w={{ base: "100%", sm: 130 }}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  return (
    <TextInput
      aria-label="Attribute value"
      placeholder={def ? "Exact value" : "Choose an attribute"}
      disabled={!def}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") onChange(e.currentTarget.value);
      }}
      w={{ base: "100%", sm: 150 }}
    />
  );
}

/** Search, class, states and one attribute = value; every change lands in the address. */
export function CiFilters(props: {
  search: CiSearch;
  onChange: (patch: Partial<CiSearch>) => void;
  classes: CiClass[];
}) {
  const { search, onChange, classes } = props;
  const [text, setText] = useState(search.q ?? "");
  const [open, setOpen] = useState(false);
  const commitText = useDebouncedCallback((q: string) => onChange({ q: q.trim() || undefined }), 300);
  useEffect(() => {
    setText((current) => (current.trim() === (search.q ?? "") ? current : (search.q ?? "")));
  }, [search.q]);
  const states = useCatalog("deployment_state");
  const choices = useMemo(() => attributeChoices(classes, search.classId), [classes, search.classId]);
  const [attrKey, attrValue] = splitAttribute(search.attribute);
  const [pendingKey, setPendingKey] = useState<string | null>(attrKey || null);
  useEffect(() => setPendingKey(attrKey || null), [attrKey]);
  const def = choices.find((a) => a.key === pendingKey);
  const setAttribute = (key: string | null, value: string) =>
    onChange({ attribute: key && value !== "" ? `${key}=${value}` : undefined });

  return (
    <Stack gap="sm" mb="md">
      <Group gap="sm" wrap="nowrap" role="search" aria-label="Search configuration items">
        <TextInput
          aria-label="Search configuration items"
          placeholder="Search name, number, host name, serial, IP…"
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            commitText(e.currentTarget.value);
          }}
          flex="1 1 260px"
          miw={0}
          maw={{ base: undefined, sm: 420 }}
        />
        <Button
          hiddenFrom="sm"
          variant="default"
          px="sm"
          style={{ flexShrink: 0 }}
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          aria-controls="ci-filters"
          leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
        >
          Filters{hasCiFilters(search) ? " •" : ""}
        </Button>
      </Group>
      <Group
        id="ci-filters"
        className="steward-filters"
        data-collapsed={open ? undefined : true}
        gap="sm"
        wrap="wrap"
        align="flex-start"
        role="group"
        aria-label="Filters"
      >
        <Select
          aria-label="Class"
          placeholder="Class"
          data={classes.map((c) => ({ value: c.id, label: c.name }))}
          value={search.classId ?? null}
          onChange={(v) => {
            // An attribute of the old class may not exist in the new one.
            const keep = !v || classes.find((c) => c.id === v)?.attributes.some((a) => a.key === attrKey);
            onChange({ classId: v ?? undefined, ...(keep ? {} : { attribute: undefined }) });
          }}
          searchable
          clearable
          w={{ base: "100%", sm: 170 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label="Incident state"
          placeholder="Incident state"
          data={INCIDENT_OPTIONS}
          value={search.incidentState ?? null}
          onChange={(v) => onChange({ incidentState: (v as IncidentState | null) ?? undefined })}
          clearable
          w={{ base: "100%", sm: 150 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label="Deployment state"
          placeholder="Deployment state"
          data={deploymentOptions(states.data ?? [], search.deploymentStateId)}
          value={search.deploymentStateId ?? null}
          onChange={(v) => onChange({ deploymentStateId: v ?? undefined })}
          clearable
          w={{ base: "100%", sm: 170 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Group gap={6} wrap="nowrap" w={{ base: "100%", sm: "auto" }}>
          <Select
            aria-label="Attribute"
            placeholder="Attribute"
            data={choices.map((a) => ({ value: a.key, label: a.label }))}
            value={pendingKey}
            onChange={(k) => {
              setPendingKey(k);
              if (!k) setAttribute(null, "");
              else if (attrValue) setAttribute(k, attrValue);
            }}
            searchable
            clearable
            w={{ base: "50%", sm: 150 }}
            comboboxProps={{ withinPortal: true }}
          />
          <AttributeValueInput
            key={pendingKey ?? ""}
            def={def}
            value={pendingKey === attrKey ? attrValue : ""}
            onChange={(v) => setAttribute(pendingKey, v.trim())}
          />
        </Group>
        {hasCiFilters(search) && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} aria-hidden />}
            onClick={() => {
              setText("");
              setPendingKey(null);
              onChange({
                classId: undefined,
                q: undefined,
                incidentState: undefined,
                deploymentStateId: undefined,
                attribute: undefined,
                organizationId: undefined,
              });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Stack>
  );
}
