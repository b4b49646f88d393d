import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Input,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { REVIEW_OUTCOMES } from "../../../../common/changes.ts";
import { type Change, changeKeys, getReview, type Review, saveReview } from "../../api/changes.ts";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { formatDateTime, formatMinutes } from "../../lib/format.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { stateLabel } from "../tickets/labels.ts";
import { useUserNames } from "../tickets/use-names.ts";
import { useChangeSaved } from "./change-actions.tsx";
import { sentences } from "./change-form.tsx";

type Outcome = (typeof REVIEW_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  successful: "Successful",
  partially_successful: "Partially successful",
  failed: "Failed",
  rolled_back: "Rolled back",
};
const OUTCOME_COLORS: Record<Outcome, string> = {
  successful: "green",
  partially_successful: "yellow",
  failed: "red",
  rolled_back: "orange",
};

function ReviewForm({ change, review }: { change: Change; review: Review }) {
  const [outcome, setOutcome] = useState<Outcome | null>(review.outcome);
  const [notes, setNotes] = useState(review.notes);
  const [errors, setErrors] = useState<FieldErrors>({});
  const saved = useChangeSaved();
  const mutation = useMutation({
    mutationFn: () => saveReview(change.id, { outcome: outcome ?? "successful", notes }),
    onSuccess: async () => {
      // The change's page refreshes as a whole: its version moved, and Close needs the latest one.
      await saved();
      notifySuccess("The review was saved.");
    },
    onError: (error) =>
      handleSaveError(error, {
        noun: "review",
        fields: ["outcome", "notes"],
        setFieldErrors: (e) => setErrors(sentences(e)),
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!outcome) {
      setErrors({ outcome: "Choose how it went" });
      return;
    }
    setErrors({});
    mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Post-implementation review">
      <Stack gap="sm">
        <Input.Wrapper label="Outcome" labelElement="div" id="review-outcome" error={errors.outcome} withAsterisk>
          <SegmentedControl
            aria-labelledby="review-outcome-label"
            mt={4}
            fullWidth
            value={outcome ?? ""}
            onChange={(v) => {
              setOutcome(v as Outcome);
              setErrors({});
            }}
            data={REVIEW_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
          />
        </Input.Wrapper>
        <Textarea
          label="Notes"
          description="What went well, what did not, and what to do differently next time"
          autosize
          minRows={3}
          maxRows={12}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errors.notes}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            Save review
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The post-implementation review: how it went, and the incidents opened on its CIs around it. */
export function ChangeReview({ change }: { change: Change }) {
  const review = useQuery({ queryKey: changeKeys.review(change.id), queryFn: () => getReview(change.id) });
  const reviewer = useUserNames([review.data?.reviewedById]);
  const r = review.data;
  const editable = change.state === "review" && change.abilities.update;
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-labelledby="change-review-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="change-review-title">
          Post-implementation review
        </Title>
        {r?.outcome && (
          <Badge color={OUTCOME_COLORS[r.outcome]} variant="light" tt="none" size="lg" data-testid="review-outcome">
            {OUTCOME_LABELS[r.outcome]}
          </Badge>
        )}
      </Group>
      {review.isLoading ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading the review" />
        </Center>
      ) : !r ? (
        <Text fz="sm" c="red">
          {errorMessage(review.error)}
        </Text>
      ) : (
        <Stack gap="md">
          {r.reviewedAt && (
            <Text fz="xs" c="dimmed">
              Reviewed by {r.reviewedById ? (reviewer.get(r.reviewedById) ?? "…") : "someone"} on{" "}
              {formatDateTime(r.reviewedAt)}
            </Text>
          )}
          {editable ? (
            <ReviewForm change={change} review={r} />
          ) : r.notes ? (
            <Text fz="sm" style={{ whiteSpace: "pre-wrap" }}>
              {r.notes}
            </Text>
          ) : (
            !r.outcome && (
              <Text fz="sm" c="dimmed">
                Not reviewed.
              </Text>
            )
          )}
          <Stack gap={6}>
            <Text fz="sm" fw={600}>
              Incidents after the change
            </Text>
            <Text fz="xs" c="dimmed">
              Opened on the affected CIs from the start of the change until{" "}
              {formatMinutes(r.windowHours * 60, { days: true })} after its end; found automatically.
            </Text>
            {r.incidents.length === 0 ? (
              <Text fz="sm" c="teal.7">
                None.
              </Text>
            ) : (
              <Stack
                component="ul"
                gap={6}
                m={0}
                p={0}
                style={{ listStyle: "none" }}
                aria-label="Incidents after the change"
              >
                {r.incidents.map((t) => (
                  <Group component="li" key={t.id} gap="xs" wrap="nowrap">
                    <Text ff="monospace" fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                      {t.number}
                    </Text>
                    <Anchor
                      renderRoot={(rootProps) => <Link {...rootProps} to="/tickets/$id" params={{ id: t.id }} />}
                      fz="sm"
                      truncate
                    >
                      {t.title}
                    </Anchor>
                    <Text fz="xs" c="dimmed" ml="auto" style={{ whiteSpace: "nowrap" }}>
                      {stateLabel(t.state)} · {formatDateTime(t.createdAt)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Stack>
        </Stack>
      )}
    </Paper>
  );
}
