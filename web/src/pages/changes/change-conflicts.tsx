import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { IconCircleCheck, IconShieldCheck } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Change, type Conflict, changeKeys, getConflicts, overrideConflicts } from "../../api/changes.ts";
import { useMe } from "../../auth.tsx";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { useUserNames } from "../tickets/use-names.ts";
import { useChangeSaved } from "./change-actions.tsx";
import { sentences } from "./change-form.tsx";

const RULE_LABELS: Record<Conflict["rule"], string> = {
  same_ci: "Same CI",
  related_ci: "Related CI",
  outside_maintenance: "Outside maintenance",
  blackout: "Blackout",
  assignee_busy: "Assignee busy",
};

function OverrideForm({ change, onDone }: { change: Change; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const mutation = useMutation({
    mutationFn: () => overrideConflicts(change.id, reason.trim()),
    onSuccess: async () => {
      notifySuccess("The conflicts are accepted for this plan.");
      await saved();
      onDone();
    },
    onError: (error) =>
      handleSaveError(error, { noun: "override", fields: ["reason"], setFieldErrors: (e) => setErrors(sentences(e)) }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setErrors({ reason: "Say why the change goes ahead anyway" });
      return;
    }
    mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Accept the conflicts">
      <Stack gap="xs">
        <Textarea
          label="Why it goes ahead anyway"
          withAsterisk
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setErrors({});
          }}
          error={errors.reason}
          data-autofocus
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" size="xs" color="orange" loading={mutation.isPending}>
            Accept conflicts
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Schedule conflicts of the change's window; the owner may accept them for the current plan, with a reason. */
export function ChangeConflicts({ change }: { change: Change }) {
  const me = useMe();
  const [overriding, setOverriding] = useState(false);
  const query = useQuery({ queryKey: changeKeys.conflicts(change.id), queryFn: () => getConflicts(change.id) });
  const by = useUserNames([query.data?.override?.byId]);
  const conflicts = query.data?.conflicts ?? [];
  const override = query.data?.override ?? null;
  const isOwner = !!me && me.id === change.ownerId;
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-conflicts-title">
      <Title order={2} fz="md" mb="sm" id="change-conflicts-title">
        Schedule conflicts
      </Title>
      {query.isLoading ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading the conflicts" />
        </Center>
      ) : query.isError ? (
        <Text fz="sm" c="red">
          {errorMessage(query.error)}
        </Text>
      ) : conflicts.length === 0 ? (
        <Group gap={6} c="teal.7">
          <IconCircleCheck size={18} aria-hidden />
          <Text fz="sm">{change.plannedStart ? "No conflicts in this window." : "Plan a window to check it."}</Text>
        </Group>
      ) : (
        <Stack gap="sm">
          <Stack component="ul" gap={8} m={0} p={0} style={{ listStyle: "none" }} aria-label="Conflicts">
            {conflicts.map((c) => (
              <Stack
                component="li"
                key={[c.rule, c.ciId, c.relatedCiId, c.otherChangeId, c.windowId, c.message].join("|")}
                gap={2}
              >
                <Badge
                  color={c.rule === "blackout" ? "red" : "orange"}
                  variant="light"
                  tt="none"
                  size="sm"
                  w="fit-content"
                >
                  {RULE_LABELS[c.rule]}
                </Badge>
                <Text fz="sm">{c.message}</Text>
              </Stack>
            ))}
          </Stack>
          {override ? (
            <Alert color="orange" variant="light" icon={<IconShieldCheck size={18} aria-hidden />} p="sm">
              <Text fz="sm">
                Accepted by {override.byId ? (by.get(override.byId) ?? "…") : "the owner"}: {override.reason}
              </Text>
            </Alert>
          ) : isOwner && change.abilities.update ? (
            overriding ? (
              <OverrideForm change={change} onDone={() => setOverriding(false)} />
            ) : (
              <Group justify="space-between" gap="xs">
                <Text fz="xs" c="dimmed">
                  They block authorization until resolved or accepted.
                </Text>
                <Button size="xs" variant="light" color="orange" onClick={() => setOverriding(true)}>
                  Accept with a reason
                </Button>
              </Group>
            )
          ) : (
            <Text fz="xs" c="dimmed">
              They block authorization until resolved, or until the owner accepts them.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
