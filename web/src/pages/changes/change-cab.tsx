import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Divider,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconCheck, IconTrash, IconUsersPlus, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import {
  type Approval,
  type ApproverSetStatus,
  addCab,
  type Change,
  changeKeys,
  decideOnChange,
  getApprovals,
  listCabTemplates,
  removeCab,
} from "../../api/changes.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage, notifyError, notifySuccess } from "../../lib/notify.ts";
import { useChangeSaved } from "./change-actions.tsx";
import { sentences } from "./change-form.tsx";

/** States in which the board may still be changed. */
const CAB_EDITABLE = ["draft", "assessment", "authorization"];

function ruleText(set: Pick<ApproverSetStatus, "rule" | "atLeast">): string {
  switch (set.rule) {
    case "all":
      return "Everyone approves";
    case "any":
      return "Any one approves";
    case "majority":
      return "A majority approves";
    case "at_least":
      return `At least ${set.atLeast ?? 1} approve`;
  }
}

const STATUS_COLORS = { waiting: "yellow", approved: "green", rejected: "red" } as const;
const STATUS_LABELS = { waiting: "Waiting", approved: "Approved", rejected: "Rejected" } as const;

function SetRow({ set, onRemove, removing }: { set: ApproverSetStatus; onRemove?: () => void; removing: boolean }) {
  return (
    <Group component="li" justify="space-between" wrap="nowrap" gap="sm" aria-label={`Approver set ${set.name}`}>
      <Stack gap={2} miw={0}>
        <Group gap={6}>
          <Text fz="sm" fw={600}>
            {set.name}
          </Text>
          {set.changeOnly && (
            <Badge size="xs" variant="default" tt="none">
              This change only
            </Badge>
          )}
        </Group>
        <Text fz="xs" c="dimmed">
          {ruleText(set)} · {set.approvals} of {set.eligible} approved
          {set.rejections ? ` · ${set.rejections} rejected` : ""}
        </Text>
        {set.approvers.length > 0 && (
          <Text fz="xs" c="dimmed" aria-label={`Approvers of ${set.name}`}>
            {set.approvers.map((a, i) => (
              <span key={a.id}>
                {i > 0 && ", "}
                {a.name} {a.decision === "approve" ? "✓" : a.decision === "reject" ? "✗" : "(waiting)"}
              </span>
            ))}
          </Text>
        )}
      </Stack>
      <Group gap={6} wrap="nowrap">
        <Badge color={STATUS_COLORS[set.status]} variant="light" tt="none" style={{ minWidth: "max-content" }}>
          {STATUS_LABELS[set.status]}
        </Badge>
        {onRemove && (
          <Tooltip label="Remove this board from the change">
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={onRemove}
              loading={removing}
              aria-label={`Remove ${set.name}`}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    </Group>
  );
}

function DecisionRow({ decision, planRevision }: { decision: Approval; planRevision: number }) {
  const approve = decision.decision === "approve";
  return (
    <Stack
      component="li"
      gap={4}
      opacity={decision.withdrawn ? 0.6 : 1}
      aria-label={`${decision.approverName}: ${approve ? "approved" : "rejected"}`}
    >
      <Group gap={6} justify="space-between" wrap="nowrap" align="flex-start">
        <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
          {decision.approverName}
        </Text>
        <Text fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          {formatRelative(decision.createdAt)}
        </Text>
      </Group>
      <Group gap={6}>
        <Badge
          color={approve ? "green" : "red"}
          variant="light"
          tt="none"
          style={{ minWidth: "max-content" }}
          leftSection={approve ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}
        >
          {approve ? "Approved" : "Rejected"}
        </Badge>
        {decision.withdrawn && (
          <Badge color="gray" variant="outline" tt="none" style={{ minWidth: "max-content" }}>
            Withdrawn
          </Badge>
        )}
      </Group>
      <Text
        fz="sm"
        style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
        td={decision.withdrawn ? "line-through" : undefined}
      >
        {decision.comment}
      </Text>
      <Text fz="xs" c="dimmed">
        Plan revision {decision.planRevision}
        {decision.withdrawn
          ? " · withdrawn: the plan, window or CIs changed afterwards"
          : decision.planRevision === planRevision
            ? " (current)"
            : ""}
      </Text>
    </Stack>
  );
}

/** Approve or reject the change's current plan, with a comment. */
export function DecisionForm(props: { change: Change; compact?: boolean; onDecided?: () => void }) {
  const { change } = props;
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (decision: "approve" | "reject") => decideOnChange(change.id, { decision, comment: comment.trim() }),
    onSuccess: async (approvals, decision) => {
      queryClient.setQueryData(changeKeys.approvals(change.id), approvals);
      await saved();
      setComment("");
      notifySuccess(`You ${decision === "approve" ? "approved" : "rejected"} ${change.number}.`);
      props.onDecided?.();
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "decision",
        fields: ["comment", "decision"],
        setFieldErrors: (e) => setErrors(sentences(e)),
      }),
  });
  const decide = (decision: "approve" | "reject") => (event?: FormEvent) => {
    event?.preventDefault();
    if (!comment.trim()) {
      setErrors({ comment: "Add a comment: what you checked, or why not" });
      return;
    }
    setErrors({});
    mutation.mutate(decision);
  };
  return (
    <form onSubmit={decide("approve")} noValidate aria-label={`Decide on ${change.number}`}>
      <Stack gap="xs">
        <Textarea
          label="Comment"
          description={props.compact ? undefined : "Recorded with your decision on this plan revision"}
          withAsterisk
          autosize
          minRows={2}
          maxRows={8}
          value={comment}
          onChange={(e) => {
            setComment(e.currentTarget.value);
            setErrors({});
          }}
          error={errors.comment ?? errors.decision}
        />
        <Group gap="xs" justify="flex-end">
          <Button
            color="red"
            variant="light"
            leftSection={<IconX size={16} aria-hidden />}
            onClick={() => decide("reject")()}
            loading={mutation.isPending && mutation.variables === "reject"}
            disabled={mutation.isPending && mutation.variables !== "reject"}
          >
            Reject
          </Button>
          <Button
            type="submit"
            color="green"
            leftSection={<IconCheck size={16} aria-hidden />}
            loading={mutation.isPending && mutation.variables === "approve"}
            disabled={mutation.isPending && mutation.variables !== "approve"}
          >
            Approve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AddCab({ change }: { change: Change }) {
  const [templateId, setTemplateId] = useState<string | null>(null);
  const templates = useQuery({ queryKey: changeKeys.cabTemplates, queryFn: listCabTemplates, staleTime: 60_000 });
  const saved = useChangeSaved();
  const mutation = useMutation({
    mutationFn: (id: string) => addCab(change.id, id),
    onSuccess: async () => {
      setTemplateId(null);
      await saved();
      notifySuccess("The board was added to the change.");
    },
    onError: (error) => notifyError(error, "Could not add the board"),
  });
  const items = templates.data?.items ?? [];
  if (templates.isError) {
    return (
      <Text fz="xs" c="red">
        CAB templates could not be loaded: {errorMessage(templates.error)}
      </Text>
    );
  }
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <Select
        label="Add CAB from template"
        placeholder={items.length === 0 && !templates.isLoading ? "No CAB templates yet" : "Choose a board"}
        data={items.map((t) => ({ value: t.id, label: t.name }))}
        value={templateId}
        onChange={setTemplateId}
        disabled={items.length === 0}
        searchable
        style={{ flex: 1 }}
        comboboxProps={{ withinPortal: true }}
      />
      <Button
        variant="default"
        leftSection={<IconUsersPlus size={16} aria-hidden />}
        disabled={!templateId}
        loading={mutation.isPending}
        onClick={() => templateId && mutation.mutate(templateId)}
      >
        Add
      </Button>
    </Group>
  );
}

/** The CAB: the approver sets the change needs and where each stands, every decision, and mine to make. */
export function ChangeCab({ change }: { change: Change }) {
  const approvals = useQuery({ queryKey: changeKeys.approvals(change.id), queryFn: () => getApprovals(change.id) });
  const saved = useChangeSaved();
  const remove = useMutation({
    mutationFn: (setId: string) => removeCab(change.id, setId),
    onSuccess: async () => {
      await saved();
      notifySuccess("The board was removed from the change.");
    },
    onError: (error) => notifyError(error, "Could not remove the board"),
  });
  const editable = change.abilities.update && CAB_EDITABLE.includes(change.state);
  const sets = approvals.data?.sets ?? [];
  const decisions = approvals.data?.decisions ?? [];
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-cab-title">
      <Title order={2} fz="md" mb="sm" id="change-cab-title">
        CAB approval
      </Title>
      {change.type === "standard" ? (
        <Text fz="sm" c="dimmed">
          A standard change is pre-approved by its template: no CAB decides on it.
        </Text>
      ) : approvals.isLoading ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading the approvals" />
        </Center>
      ) : approvals.isError ? (
        <Text fz="sm" c="red">
          {errorMessage(approvals.error)}
        </Text>
      ) : (
        <Stack gap="md">
          {sets.length === 0 ? (
            <Text fz="sm" c="dimmed">
              {change.state === "draft" || change.state === "assessment"
                ? "The boards that decide are chosen by the CAB rules when approval is requested."
                : "No approver set applies."}
            </Text>
          ) : (
            <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: "none" }} aria-label="Approver sets">
              {sets.map((s) => (
                <SetRow
                  key={s.id}
                  set={s}
                  removing={remove.isPending && remove.variables === s.id}
                  onRemove={editable && s.changeOnly ? () => remove.mutate(s.id) : undefined}
                />
              ))}
            </Stack>
          )}
          {editable && <AddCab change={change} />}
          {change.abilities.approve && (
            <>
              <Divider label="Your decision" labelPosition="left" />
              <DecisionForm change={change} />
            </>
          )}
          {change.state === "authorization" && !change.abilities.approve && (
            <Text fz="xs" c="dimmed">
              Waiting for the CAB. The requester and the owner never decide on their own change.
            </Text>
          )}
          {decisions.length > 0 && (
            <>
              <Divider label="Decisions" labelPosition="left" />
              <Stack component="ul" gap="md" m={0} p={0} style={{ listStyle: "none" }} aria-label="Decisions">
                {decisions.map((d) => (
                  <DecisionRow key={d.id} decision={d} planRevision={change.planRevision} />
                ))}
              </Stack>
            </>
          )}
          {decisions.length === 0 && change.state === "authorization" && (
            <Text fz="xs" c="dimmed">
              No decisions yet.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
