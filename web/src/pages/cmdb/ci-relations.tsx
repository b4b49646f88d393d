import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconAlertCircle, IconLink, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { isApiError } from "../../api/client.ts";
import {
  type Ci,
  cmdbKeys,
  createRelation,
  deleteRelation,
  listCiRelations,
  type Relation,
  type RelationType,
} from "../../api/cmdb.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { sentences } from "../tickets/custom-field-input.tsx";
import { CiSelect } from "./ci-picker.tsx";
import { CiLink, IncidentBadge } from "./cmdb-badges.tsx";
import { useRelationTypeMap, useRelationTypes } from "./use-cmdb.ts";

export const relationsKey = (ciId: string) => [...cmdbKeys.relations, "list", ciId] as const;

/** How this CI relates to the other end: the type's label one way, its reverse label the other. */
function phrase(r: Relation, ciId: string, types: Map<string, RelationType>): string {
  const type = types.get(r.type);
  if (r.source.id === ciId) return type?.label ?? r.type.replace(/_/g, " ");
  return type?.reverseLabel ?? `is ${r.type.replace(/_/g, " ")} of`;
}

function RelationRow(props: {
  ci: Ci;
  relation: Relation;
  types: Map<string, RelationType>;
  onRemove: (() => void) | null;
  removing: boolean;
}) {
  const { ci, relation: r, types } = props;
  const other = r.source.id === ci.id ? r.target : r.source;
  const words = phrase(r, ci.id, types);
  return (
    <Group
      component="li"
      gap="xs"
      wrap="nowrap"
      justify="space-between"
      py={8}
      px="xs"
      className="steward-tree-row"
      data-relation={r.type}
    >
      <Group gap={6} wrap="wrap" miw={0}>
        <Text fz="sm" fw={600}>
          {ci.name}
        </Text>
        <Text fz="sm" c="dimmed">
          {words}
        </Text>
        <CiLink id={other.id} name={other.name} number={other.number} />
        <IncidentBadge state={other.incidentState} size="sm" />
      </Group>
      {props.onRemove && (
        <Tooltip label="Remove relation" withinPortal>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`Remove: ${ci.name} ${words} ${other.name}`}
            loading={props.removing}
            onClick={props.onRemove}
          >
            <IconX size={14} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

type Direction = "out" | "in";

function AddRelation({ ci }: { ci: Ci }) {
  const queryClient = useQueryClient();
  const types = useRelationTypes();
  const [type, setType] = useState<string | null>("depends_on");
  const [direction, setDirection] = useState<Direction>("out");
  const [other, setOther] = useState<{ id: string; name: string } | null>(null);
  const [errors, setErrors] = useState<{ type?: string; other?: string; form?: string }>({});
  const typeList = types.data ?? [];
  const chosen = typeList.find((t) => t.key === type);
  const mutation = useMutation({
    mutationFn: () => {
      const otherId = other?.id ?? "";
      return createRelation({
        type: type ?? "",
        sourceId: direction === "out" ? ci.id : otherId,
        targetId: direction === "out" ? otherId : ci.id,
      });
    },
    onSuccess: async () => {
      notifySuccess(`${sentence} — saved.`);
      setOther(null);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.relations });
    },
    onError: (error) => {
      if (!isApiError(error)) return notifyError(error, "Could not add the relation");
      const fields = sentences(error.fieldErrors());
      if (error.status === 409) {
        setErrors({ form: error.problem.detail ?? "These CIs are already related this way." });
        return;
      }
      const otherError = fields.sourceId ?? fields.targetId;
      if (error.status === 422 && (otherError || fields.type)) {
        setErrors({ other: otherError, type: fields.type });
        return;
      }
      setErrors({ form: errorMessage(error) });
    },
  });
  const name = other?.name ?? "…";
  const sentence = chosen
    ? direction === "out"
      ? `${ci.name} ${chosen.label} ${name}`
      : `${name} ${chosen.label} ${ci.name}`
    : "";
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = { type: type ? undefined : "Choose a type", other: other ? undefined : "Choose a CI" };
    if (found.type || found.other) return setErrors(found);
    setErrors({});
    mutation.mutate();
  };
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-relation-new">
      <Title order={2} fz="md" mb="sm" id="ci-relation-new">
        Add a relation
      </Title>
      <form onSubmit={onSubmit} noValidate aria-label="Add a relation">
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Direction"
            fullWidth
            value={direction}
            onChange={(v) => setDirection(v as Direction)}
            data={[
              { value: "out", label: "This CI → other" },
              { value: "in", label: "Other → this CI" },
            ]}
          />
          <Select
            label="Relation"
            data={typeList.map((t) => ({ value: t.key, label: t.label }))}
            value={type}
            onChange={(v) => {
              setType(v);
              setErrors(({ type: _, form: __, ...rest }) => rest);
            }}
            allowDeselect={false}
            searchable
            error={errors.type}
            comboboxProps={{ withinPortal: true }}
          />
          <CiSelect
            label="Other CI"
            value={other?.id ?? null}
            onChange={(id, found) => {
              setOther(id && found ? { id, name: found.name } : null);
              setErrors(({ other: _, form: __, ...rest }) => rest);
            }}
            exclude={[ci.id]}
            error={errors.other}
          />
          {chosen && (
            <Text fz="sm" c="dimmed" data-testid="relation-preview">
              Reads: <strong>{sentence}</strong>
            </Text>
          )}
          {errors.form && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert">
              {errors.form}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconLink size={16} aria-hidden />} loading={mutation.isPending}>
              Add relation
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The CI's relations, both ways, as sentences; agents who may edit it add and remove them. */
export function CiRelations({ ci }: { ci: Ci }) {
  const queryClient = useQueryClient();
  const types = useRelationTypeMap();
  const relations = useQuery({
    queryKey: relationsKey(ci.id),
    queryFn: () => listCiRelations(ci.id),
    select: (d) => d.items,
  });
  const remove = useMutation({
    mutationFn: (r: Relation) => deleteRelation(r.id),
    onSuccess: async () => {
      notifySuccess("The relation was removed.");
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.relations });
    },
    onError: (error) => notifyError(error, "Could not remove the relation"),
  });
  const items = relations.data ?? [];
  const editable = ci.abilities.update;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: editable ? 7 : 12 }}>
        <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-relations-title">
          <Group gap={6} mb="sm">
            <Title order={2} fz="md" id="ci-relations-title">
              Relations
            </Title>
            <Badge variant="light" color="gray" size="sm">
              {items.length}
            </Badge>
          </Group>
          {relations.isLoading ? (
            <Center py="md">
              <Loader size="sm" aria-label="Loading relations" />
            </Center>
          ) : relations.isError ? (
            <Text c="red" fz="sm">
              {errorMessage(relations.error)}
            </Text>
          ) : items.length === 0 ? (
            <Text fz="sm" c="dimmed">
              Not related to anything yet.
            </Text>
          ) : (
            <Stack component="ul" gap={0} p={0} m={0} aria-label="Relations" style={{ listStyle: "none" }}>
              {items.map((r) => (
                <RelationRow
                  key={r.id}
                  ci={ci}
                  relation={r}
                  types={types}
                  onRemove={editable ? () => remove.mutate(r) : null}
                  removing={remove.isPending && remove.variables?.id === r.id}
                />
              ))}
            </Stack>
          )}
        </Paper>
      </Grid.Col>
      {editable && (
        <Grid.Col span={{ base: 12, md: 5 }}>
          <AddRelation ci={ci} />
        </Grid.Col>
      )}
    </Grid>
  );
}
