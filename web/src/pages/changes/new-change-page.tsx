import { Alert, Anchor, Box, Button, Center, Container, Grid, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { type ChangeTemplate, changeKeys, createChange, getChangeTemplate } from "../../api/changes.ts";
import { useMe } from "../../auth.tsx";
import { type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { PageHeader } from "../page-header.tsx";
import { LiveAssessment } from "./change-assessment.tsx";
import {
  CHANGE_FIELDS,
  ChangeFormSections,
  type ChangeValues,
  checkValues,
  createBody,
  emptyValues,
  outageOf,
  sentences,
  valuesFromTemplate,
} from "./change-form.tsx";

const route = getRouteApi("/agent/changes/new");

/** A new request for change: normal or emergency, or a standard change made from an approved template. */
export function NewChangePage() {
  const { templateId } = route.useSearch();
  const template = useQuery({
    queryKey: changeKeys.template(templateId ?? ""),
    queryFn: () => getChangeTemplate(templateId ?? ""),
    enabled: !!templateId,
    retry: false,
  });
  const back = (
    <Anchor component={Link} to="/changes" fz="sm" c="dimmed">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        Changes
      </Group>
    </Anchor>
  );
  if (templateId && template.isLoading) {
    return (
      <Center mih="40dvh">
        <Loader aria-label="Loading the template" />
      </Center>
    );
  }
  if (templateId && !template.data) {
    return (
      <Container size="sm" px={0}>
        {back}
        <PageHeader title="New standard change" />
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
          The template could not be loaded: {errorMessage(template.error)}
        </Alert>
      </Container>
    );
  }
  const usable = template.data?.approved && template.data.active ? template.data : null;
  return (
    <Container size="xl" px={0}>
      {back}
      <Box mt="xs">
        <PageHeader
          title={usable ? "New standard change" : "New change"}
          description="Answer the eight questions. The change is saved as a draft; it leaves draft once every question has an answer."
        />
      </Box>
      {template.data && !usable ? (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
          The template “{template.data.name}” is not approved (or no longer active), so no standard change can be made
          from it.{" "}
          <Anchor component={Link} to="/changes/new">
            Draft a normal change instead.
          </Anchor>
        </Alert>
      ) : (
        <NewChangeForm key={usable?.id ?? "blank"} template={usable} />
      )}
    </Container>
  );
}

function NewChangeForm({ template }: { template: ChangeTemplate | null }) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ChangeValues>(() =>
    template ? valuesFromTemplate(template, me) : emptyValues(me),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = <K extends keyof ChangeValues>(key: K, value: ChangeValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    const field = key === "outageKind" || key === "outageMinutes" ? "outage" : key;
    setErrors(({ [field]: _, ...rest }) => rest);
  };
  const mutation = useMutation({
    mutationFn: () => createChange(createBody(values, template?.id)),
    onSuccess: async (change) => {
      queryClient.setQueryData(changeKeys.detail(change.id), change);
      await queryClient.invalidateQueries({ queryKey: changeKeys.lists });
      notifySuccess(`${change.number} was drafted.`);
      await navigate({ to: "/changes/$id", params: { id: change.id } });
    },
    onError: (error) =>
      handleSaveError(error, { noun: "change", fields: CHANGE_FIELDS, setFieldErrors: (e) => setErrors(sentences(e)) }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkValues(values);
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  const errorCount = Object.keys(errors).length;
  const actions = (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" component={Link} to="/changes">
        Cancel
      </Button>
      <Button type="submit" loading={mutation.isPending}>
        Create change
      </Button>
    </Group>
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New change">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <ChangeFormSections values={values} set={set} errors={errors} mode="create" template={template} />
            {errorCount > 0 && (
              <Text fz="sm" c="red" role="alert" ta="right">
                {errorCount === 1 ? "One field needs attention." : `${errorCount} fields need attention.`}
              </Text>
            )}
            {actions}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md" pos="sticky" top={80}>
            <LiveAssessment
              type={values.type}
              ciIds={values.ciIds}
              riskAnswers={values.riskAnswers}
              outage={outageOf(values)}
            />
          </Stack>
        </Grid.Col>
      </Grid>
    </form>
  );
}
