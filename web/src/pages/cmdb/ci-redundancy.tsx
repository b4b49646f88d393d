import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Input,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconStack2, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import {
  type Ci,
  cmdbKeys,
  createRedundancyGroup,
  deleteRedundancyGroup,
  listCiRelations,
  listRedundancyGroups,
  type RedundancyGroup,
} from "../../api/cmdb.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { sentences } from "../tickets/custom-field-input.tsx";
import { CiMultiSelect, type Known } from "./ci-picker.tsx";
import { relationsKey } from "./ci-relations.tsx";
import { CiLink, IncidentBadge } from "./cmdb-badges.tsx";
import { useCisByIds } from "./use-cmdb.ts";

type Mode = "count" | "percent";

/** How many members must be up, as the server counts it (a share rounds up). */
function requiredUp(g: { minUp: number | null; minPercent: number | null }, members: number): number {
  if (g.minUp !== null) return g.minUp;
  return Math.ceil(((g.minPercent ?? 100) * members) / 100);
}

/** "At least 2 of 3 up" or "At least 50 % up". */
export function ruleText(g: { minUp: number | null; minPercent: number | null; memberIds: readonly string[] }) {
  return g.minUp !== null ? `At least ${g.minUp} of ${g.memberIds.length} up` : `At least ${g.minPercent ?? 100} % up`;
}

function GroupRow(props: {
  group: RedundancyGroup;
  members: Map<string, Ci>;
  loadingMembers: boolean;
  onRemove: (() => void) | null;
}) {
  const { group: g, members } = props;
  const shown = g.memberIds
    .filter((id) => members.has(id))
    .sort((a, b) => (members.get(a)?.name ?? "").localeCompare(members.get(b)?.name ?? ""));
  const hidden = props.loadingMembers ? 0 : g.memberIds.length - shown.length;
  return (
    <Stack component="li" gap={6} py="sm" px="xs" className="steward-tree-row" aria-label={g.name}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="wrap" miw={0}>
          <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
            {g.name}
          </Text>
          <Badge variant="light" color="indigo" tt="none" fw={600} style={{ minWidth: "max-content" }}>
            {ruleText(g)}
          </Badge>
          {g.minPercent !== null && (
            <Text fz="xs" c="dimmed">
              {requiredUp(g, g.memberIds.length)} of {g.memberIds.length}
            </Text>
          )}
        </Group>
        {props.onRemove && (
          <Tooltip label="Remove redundancy group" withinPortal>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={`Remove redundancy group ${g.name}`}
              onClick={props.onRemove}
            >
              <IconTrash size={14} aria-hidden />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Group component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }} aria-label={`Members of ${g.name}`}>
        {props.loadingMembers && shown.length === 0
          ? g.memberIds.map((id) => (
              <Text component="li" key={id} fz="sm" c="dimmed">
                …
              </Text>
            ))
          : shown.map((id) => {
              const m = members.get(id) as Ci;
              return (
                <Group component="li" key={id} gap={6} wrap="nowrap">
                  <CiLink id={id} name={m.name} number={m.number} />
                  <IncidentBadge state={m.incidentState} size="xs" />
                </Group>
              );
            })}
        {hidden > 0 && (
          <Text component="li" fz="sm" c="dimmed">
            {hidden === 1 ? "1 CI you may not see" : `${hidden} CIs you may not see`}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

const FIELDS = ["name", "memberIds", "minUp", "minPercent"];

function AddRedundancyGroup({ ci }: { ci: Ci }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [mode, setMode] = useState<Mode>("count");
  const [minimum, setMinimum] = useState<number | string>(1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const minimumId = useId();
  // The CIs related to this one, either way, are the likely members: offered before anything is typed.
  const relations = useQuery({
    queryKey: relationsKey(ci.id),
    queryFn: () => listCiRelations(ci.id),
    select: (d) => d.items,
  });
  const related = new Map<string, Known>();
  for (const r of relations.data ?? []) {
    const other = r.source.id === ci.id ? r.target : r.source;
    related.set(other.id, other);
  }
  const suggestions = [...related.values()].sort((a, b) => a.name.localeCompare(b.name));
  const picked = useCisByIds(memberIds).byId;
  const count = memberIds.length;
  const value = typeof minimum === "number" ? minimum : null;

  const mutation = useMutation({
    mutationFn: () =>
      createRedundancyGroup({
        ciId: ci.id,
        name: name.trim(),
        memberIds,
        ...(mode === "count" ? { minUp: value ?? 0 } : { minPercent: value ?? 0 }),
      }),
    onSuccess: async (group) => {
      notifySuccess(`${group.name} was added: ${ci.name} stays up while ${ruleText(group).toLowerCase()}.`);
      setName("");
      setMemberIds([]);
      setMode("count");
      setMinimum(1);
      setErrors({});
      // Impact, graph and incident states all honour the group.
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.root });
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "redundancy group",
        fields: FIELDS,
        paths: true,
        setFieldErrors: (found) => {
          // "memberIds.2: no such configuration item" names the member it is about.
          const out: FieldErrors = {};
          for (const [field, message] of Object.entries(sentences(found))) {
            const at = /^memberIds\.(\d+)$/.exec(field);
            const member = at ? memberIds[Number(at[1])] : undefined;
            const label = member ? (picked.get(member)?.name ?? "A member") : undefined;
            const key = field.split(".")[0] ?? field;
            out[key] ??= label ? `${label}: ${message.charAt(0).toLowerCase()}${message.slice(1)}` : message;
          }
          setErrors(out);
        },
      }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!name.trim()) found.name = "Enter a name";
    if (count < 2) found.memberIds = "Choose at least two members";
    const limitKey = mode === "count" ? "minUp" : "minPercent";
    if (value === null || value < 1) found[limitKey] = "Enter a number from 1";
    else if (mode === "percent" && value > 100) found[limitKey] = "At most 100 %";
    if (Object.keys(found).length > 0) return setErrors(found);
    setErrors({});
    mutation.mutate();
  };
  const clear = (...keys: string[]) =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k))));
  const limitError = mode === "count" ? errors.minUp : errors.minPercent;
  const preview =
    value !== null && value >= 1 && count >= 2
      ? mode === "count"
        ? `${ci.name} stays up while at least ${value} of these ${count} are up.`
        : `${ci.name} stays up while at least ${value} % of these ${count} are up (${requiredUp({ minUp: null, minPercent: value }, count)} of ${count}).`
      : null;

  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-redundancy-new">
      <Title order={2} fz="md" mb="sm" id="ci-redundancy-new">
        Add a redundancy group
      </Title>
      <form onSubmit={onSubmit} noValidate aria-label="Add a redundancy group">
        <Stack gap="sm">
          <TextInput
            label="Name"
            required
            maxLength={200}
            placeholder="e.g. Web servers"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              clear("name");
            }}
            error={errors.name}
          />
          <CiMultiSelect
            label="Members"
            description="At least two. The CIs related to this one come first; search finds any other."
            value={memberIds}
            onChange={(v) => {
              setMemberIds(v);
              clear("memberIds", "minUp");
            }}
            suggestions={{ label: "Related to this CI", items: suggestions }}
            exclude={[ci.id]}
            error={errors.memberIds}
          />
          <div>
            <Input.Label required htmlFor={minimumId}>
              Stays up while at least
            </Input.Label>
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <NumberInput
                id={minimumId}
                min={1}
                max={mode === "percent" ? 100 : undefined}
                allowDecimal={false}
                allowNegative={false}
                value={minimum}
                onChange={(v) => {
                  setMinimum(v);
                  clear("minUp", "minPercent");
                }}
                error={limitError}
                w={110}
              />
              <SegmentedControl
                aria-label="Count members or a share of them"
                value={mode}
                onChange={(v) => {
                  setMode(v as Mode);
                  clear("minUp", "minPercent");
                }}
                data={[
                  { value: "count", label: count > 0 ? `of ${count} up` : "members up" },
                  { value: "percent", label: "% up" },
                ]}
              />
            </Group>
          </div>
          {preview && (
            <Text fz="sm" c="dimmed" data-testid="redundancy-preview">
              Reads: <strong>{preview}</strong>
            </Text>
          )}
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconStack2 size={16} aria-hidden />} loading={mutation.isPending}>
              Add group
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * The CI's redundancy groups: it stays up while enough of a group's members are up, and impact
 * analysis and incident states honour that. Agents who may edit the CI add and remove them.
 */
export function CiRedundancy({ ci }: { ci: Ci }) {
  const queryClient = useQueryClient();
  const groups = useQuery({
    queryKey: cmdbKeys.redundancyGroups(ci.id),
    queryFn: () => listRedundancyGroups(ci.id),
    select: (d) => d.items,
  });
  const items = groups.data ?? [];
  const members = useCisByIds(items.flatMap((g) => g.memberIds));
  const [removing, setRemoving] = useState<RedundancyGroup | null>(null);
  const remove = useMutation({
    mutationFn: (g: RedundancyGroup) => deleteRedundancyGroup(g.id),
    onSuccess: async (_, g) => {
      notifySuccess(`${g.name} was removed.`);
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.root });
    },
    onError: (error) => notifyError(error, "Could not remove the redundancy group"),
  });
  const editable = ci.abilities.update;
  // Readers see the groups there are; an empty section is only worth showing to someone who can fill it.
  if (!editable && !groups.isLoading && !groups.isError && items.length === 0) return null;

  return (
    <>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: editable ? 7 : 12 }}>
          <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="ci-redundancy-title">
            <Group gap={6} mb={4}>
              <Title order={2} fz="md" id="ci-redundancy-title">
                Redundancy groups
              </Title>
              <Badge variant="light" color="gray" size="sm">
                {items.length}
              </Badge>
            </Group>
            <Text fz="sm" c="dimmed" mb="sm">
              {ci.name} stays up while at least the given number (or share) of a group’s members are up; impact analysis
              and incident states honour it.
            </Text>
            {groups.isLoading ? (
              <Center py="md">
                <Loader size="sm" aria-label="Loading redundancy groups" />
              </Center>
            ) : groups.isError ? (
              <Text c="red" fz="sm">
                {errorMessage(groups.error)}
              </Text>
            ) : items.length === 0 ? (
              <Text fz="sm" c="dimmed">
                No redundancy groups yet.
              </Text>
            ) : (
              <Stack component="ul" gap={0} p={0} m={0} aria-label="Redundancy groups" style={{ listStyle: "none" }}>
                {items.map((g) => (
                  <GroupRow
                    key={g.id}
                    group={g}
                    members={members.byId}
                    loadingMembers={members.isLoading}
                    onRemove={editable ? () => setRemoving(g) : null}
                  />
                ))}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
        {editable && (
          <Grid.Col span={{ base: 12, md: 5 }}>
            <AddRedundancyGroup ci={ci} />
          </Grid.Col>
        )}
      </Grid>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove redundancy group?" size="md">
        <Text fz="sm">
          Impact analysis and incident states stop honouring <b>{removing?.name}</b>: a failure of any one of its
          members reaches {ci.name} again along its relations.
        </Text>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={() => setRemoving(null)}>
            Cancel
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => removing && remove.mutate(removing)}>
            Remove group
          </Button>
        </Group>
      </Modal>
    </>
  );
}
