import {
  Alert,
  Button,
  Center,
  Divider,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { IconAlertTriangle, IconRefresh } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { isApiError } from "../../api/client.ts";
import {
  type AttributeDefinition,
  type Ci,
  type CiClass,
  type CiCreate,
  type CiUpdate,
  cmdbKeys,
  createCi,
  getClass,
  updateCi,
} from "../../api/cmdb.ts";
import { errorAt, type FieldErrors, handleSaveError } from "../../lib/form-errors.ts";
import { notifySuccess } from "../../lib/notify.ts";
import { FormActions } from "../admin/form-drawer.tsx";
import { sentences } from "../tickets/custom-field-input.tsx";
import { GroupSelect } from "../tickets/ticket-pickers.tsx";
import { type ApiValue, AttributeInput, type FormValue, isBlank, toApiValue, toFormValue } from "./attribute-input.tsx";
import { CiSelect } from "./ci-picker.tsx";
import { deploymentOptions } from "./cmdb-badges.tsx";
import { OrganizationPicker } from "./entity-pickers.tsx";
import { useCatalog, useClassByCode, useClasses } from "./use-cmdb.ts";

const FIELDS = [
  "classId",
  "name",
  "deploymentStateId",
  "incidentState",
  "organizationId",
  "groupId",
  "locationId",
  "attributes",
  "locks",
  "serviceOrganizationIds",
  "version",
];

interface Values {
  classId: string | null;
  name: string;
  deploymentStateId: string | null;
  incidentState: "operational" | "incident";
  organizationId: string | null;
  groupId: string | null;
  locationId: string | null;
  attributes: Record<string, FormValue>;
  locks: string[];
  serviceOrganizationIds: string[];
}

function initialValues(ci: Ci | null, classId: string | null): Values {
  return {
    classId: ci?.classId ?? classId,
    name: ci?.name ?? "",
    deploymentStateId: ci?.deploymentState.id ?? null,
    incidentState: ci?.incidentManual && ci.incidentState === "incident" ? "incident" : "operational",
    organizationId: ci?.organizationId ?? null,
    groupId: ci?.groupId ?? null,
    locationId: ci?.locationId ?? null,
    attributes: {},
    locks: ci?.locks ?? [],
    serviceOrganizationIds: ci?.serviceOrganizationIds ?? [],
  };
}

/** The class's current definition: editing moves a CI onto it. */
function useDefinition(classId: string | null, classes: CiClass[] | undefined, fresh: boolean) {
  const latest = useQuery({
    queryKey: [...cmdbKeys.classes, "detail", classId],
    queryFn: () => getClass(classId ?? ""),
    enabled: fresh && !!classId,
    staleTime: 0,
  });
  const listed = classes?.find((c) => c.id === classId);
  return { cls: latest.data ?? listed, loading: fresh && latest.isLoading };
}

/**
 * A new configuration item (every field), or an edit of one (its class stays). Attributes come from
 * the class's definition; each can be locked against discovery and import. An edit sends the version
 * it started from: a stale one is refused and said so above the form.
 */
export function CiForm(props: {
  ci: Ci | null;
  defaultClassId?: string | null | undefined;
  onDone: (ci: Ci) => void;
  onCancel: () => void;
  onReload?: () => void | Promise<void>;
}) {
  const { ci, onDone, onCancel } = props;
  const queryClient = useQueryClient();
  const classes = useClasses();
  const [values, setValues] = useState(() => initialValues(ci, props.defaultClassId ?? null));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [stale, setStale] = useState<string | null>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Save sits at the bottom of a long form: bring the explanation into view.
    if (stale) staleRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [stale]);
  const { cls, loading } = useDefinition(values.classId, classes.data, ci !== null);
  const states = useCatalog("deployment_state");
  const location = useClassByCode("location");
  const definition = cls?.attributes ?? [];
  const isService = cls?.code === "business_service";
  const ids = { name: useId(), deployment: useId(), incident: useId() };

  const defaultState = useMemo(() => {
    const items = (states.data ?? []).filter((s) => s.active);
    return (items.find((s) => s.name === "Production") ?? items.find((s) => s.properties.group === "productive"))?.id;
  }, [states.data]);
  const deploymentStateId = values.deploymentStateId ?? defaultState ?? null;

  const attributeValue = (def: AttributeDefinition): FormValue =>
    def.key in values.attributes ? (values.attributes[def.key] ?? null) : toFormValue(def, ci?.attributes[def.key]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const setAttribute = (key: string, value: FormValue) => {
    setValues((v) => ({ ...v, attributes: { ...v.attributes, [key]: value } }));
    setErrors(({ [`attributes.${key}`]: _, ...rest }) => rest);
  };
  const setLock = (key: string, locked: boolean) =>
    setValues((v) => ({ ...v, locks: locked ? [...new Set([...v.locks, key])] : v.locks.filter((k) => k !== key) }));

  /** The body to send, or the errors the form can see without asking the server. */
  const build = (): { body: CiCreate | CiUpdate } | { errors: FieldErrors } => {
    const found: FieldErrors = {};
    if (!values.name.trim()) found.name = "Enter a name";
    if (!values.classId) found.classId = "Choose a class";
    const attributes: Record<string, ApiValue> = {};
    for (const def of definition) {
      const v = attributeValue(def);
      const api = toApiValue(def, v);
      if ("error" in api) found[`attributes.${def.key}`] = api.error;
      else attributes[def.key] = api.value;
      if (def.required && isBlank(v)) found[`attributes.${def.key}`] = "Required";
    }
    if (Object.keys(found).length > 0) return { errors: found };
    const keys = new Set(definition.map((d) => d.key));
    const locks = values.locks.filter((k) => keys.has(k) || k === "name");
    const common = {
      name: values.name.trim(),
      organizationId: values.organizationId,
      groupId: values.groupId,
      locationId: values.locationId,
      attributes,
      locks,
      ...(isService ? { serviceOrganizationIds: values.serviceOrganizationIds } : {}),
      ...(deploymentStateId ? { deploymentStateId } : {}),
    };
    if (ci) {
      const initial = initialValues(ci, null).incidentState;
      return {
        body: {
          ...common,
          version: ci.version,
          ...(values.incidentState !== initial ? { incidentState: values.incidentState } : {}),
        },
      };
    }
    const fresh = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null));
    return {
      body: {
        ...common,
        classId: values.classId ?? "",
        attributes: fresh,
        incidentState: values.incidentState,
        organizationId: values.organizationId ?? undefined,
        groupId: values.groupId ?? undefined,
        locationId: values.locationId ?? undefined,
      },
    };
  };

  const mutation = useMutation({
    mutationFn: (body: CiCreate | CiUpdate) => (ci ? updateCi(ci.id, body as CiUpdate) : createCi(body as CiCreate)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(cmdbKeys.ci(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.root });
      notifySuccess(ci ? `${saved.number} was saved.` : `${saved.number} ${saved.name} was created.`);
      onDone(saved);
    },
    onError: (error) => {
      if (isApiError(error, 409) && error.fieldErrors().version) {
        setStale(error.problem.detail ?? "Someone else changed this configuration item.");
        return;
      }
      handleSaveError(error, {
        noun: "configuration item",
        fields: FIELDS,
        paths: true,
        setFieldErrors: (e) => setErrors(sentences(e)),
      });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const built = build();
    if ("errors" in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    mutation.mutate(built.body);
  };

  const classOptions = (classes.data ?? [])
    .filter((c) => c.active || c.id === values.classId)
    .map((c) => ({ value: c.id, label: c.name }));
  const wide = (def: AttributeDefinition) => def.type === "longtext" || def.multiple;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={ci ? `Edit ${ci.name}` : "New configuration item"}>
      <Stack gap="md">
        {stale && (
          <Alert
            ref={staleRef}
            color="yellow"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden />}
            title="Someone else saved this configuration item"
            role="alert"
          >
            <Text fz="sm" mb="xs">
              {stale}. Your changes were not saved.
            </Text>
            {props.onReload && (
              <Button
                size="compact-sm"
                variant="light"
                color="yellow"
                leftSection={<IconRefresh size={14} aria-hidden />}
                onClick={() => void props.onReload?.()}
              >
                Load the latest version
              </Button>
            )}
          </Alert>
        )}
        {errors.version && !stale && (
          <Text c="red" fz="sm">
            {errors.version}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="md">
          <Select
            label="Class"
            description={ci ? "Fixed once the CI exists" : undefined}
            required
            data={classOptions}
            value={values.classId}
            onChange={(v) => {
              set("classId", v);
              setValues((prev) => ({ ...prev, attributes: {}, locks: [] }));
            }}
            searchable
            disabled={ci !== null}
            error={errors.classId}
            nothingFoundMessage={classes.isLoading ? "Loading…" : "No class found"}
            comboboxProps={{ withinPortal: true }}
            data-autofocus={ci ? undefined : true}
          />
          <TextInput
            id={ids.name}
            label="Name"
            required
            maxLength={200}
            value={values.name}
            onChange={(e) => set("name", e.currentTarget.value)}
            error={errors.name}
            placeholder="Host name, service name, room…"
            data-autofocus={ci ? true : undefined}
          />
          <Select
            id={ids.deployment}
            label="Deployment state"
            data={deploymentOptions(states.data ?? [], deploymentStateId)}
            value={deploymentStateId}
            onChange={(v) => set("deploymentStateId", v)}
            allowDeselect={false}
            error={errors.deploymentStateId}
            comboboxProps={{ withinPortal: true }}
          />
          <Stack gap={4}>
            <Text fz="sm" fw={500} id={ids.incident}>
              Incident state
            </Text>
            <SegmentedControl
              fullWidth
              value={values.incidentState}
              onChange={(v) => set("incidentState", v as Values["incidentState"])}
              data={[
                { value: "operational", label: "Operational" },
                { value: "incident", label: "Incident" },
              ]}
              color={values.incidentState === "incident" ? "red" : "green"}
              aria-labelledby={ids.incident}
            />
            <Text fz="xs" c={errors.incidentState ? "red" : "dimmed"}>
              {errors.incidentState ?? "Warnings and incidents from linked tickets are set by Steward."}
            </Text>
          </Stack>
          <OrganizationPicker
            label="Organization"
            description="The customer who owns or uses it"
            value={values.organizationId}
            onChange={(v) => set("organizationId", v)}
            error={errors.organizationId}
            placeholder="Search organizations"
          />
          <GroupSelect
            label="Group"
            description="The agent group responsible for it"
            placeholder="Choose a group"
            value={values.groupId}
            onChange={(v) => set("groupId", v)}
            error={errors.groupId}
          />
          <CiSelect
            label="Location"
            description="A site, building, room or rack"
            placeholder="Search locations"
            classId={location?.id}
            exclude={ci ? [ci.id] : []}
            value={values.locationId}
            onChange={(v) => set("locationId", v)}
            error={errors.locationId}
          />
        </SimpleGrid>
        {isService && (
          <OrganizationPicker
            multiple
            label="Subscribed customers"
            description="Organizations that use this business service: they show as affected when it is"
            value={values.serviceOrganizationIds}
            onChange={(v) => set("serviceOrganizationIds", v)}
            error={errorAt(errors, "serviceOrganizationIds")}
            placeholder="Search organizations"
          />
        )}
        {values.classId && (
          <>
            <Divider
              label={cls ? `${cls.name} attributes` : "Attributes"}
              labelPosition="left"
              mt="xs"
              styles={{ label: { fontWeight: 600, fontSize: "var(--mantine-font-size-sm)" } }}
            />
            {loading ? (
              <Center py="md">
                <Loader size="sm" aria-label="Loading the class" />
              </Center>
            ) : definition.length === 0 ? (
              <Text fz="sm" c="dimmed">
                This class has no attributes of its own.
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="md">
                {definition.map((def) => (
                  <div key={def.key} style={wide(def) ? { gridColumn: "1 / -1" } : undefined}>
                    <AttributeInput
                      def={def}
                      value={attributeValue(def)}
                      onChange={(v) => setAttribute(def.key, v)}
                      error={errorAt(errors, `attributes.${def.key}`)}
                      locked={values.locks.includes(def.key)}
                      onLock={(locked) => setLock(def.key, locked)}
                    />
                  </div>
                ))}
              </SimpleGrid>
            )}
            {errors.locks && (
              <Text c="red" fz="sm">
                {errors.locks}
              </Text>
            )}
          </>
        )}
      </Stack>
      <FormActions
        onCancel={onCancel}
        submitLabel={ci ? "Save" : "Create configuration item"}
        loading={mutation.isPending}
      />
    </form>
  );
}
