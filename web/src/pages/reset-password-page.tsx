import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconAlertCircle, IconCircleCheck, IconLinkOff } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { isApiError } from "../api/client.ts";
import { confirmPasswordReset } from "../api/notifications.ts";
import { keys } from "../api/queries.ts";
import { type FieldErrors, validatePassword } from "../lib/form-errors.ts";
import { errorMessage } from "../lib/notify.ts";
import { AuthCard } from "./forgot-password-page.tsx";

/** The token from the mailed link: `/reset-password#token=…` (a fragment never reaches a server or a referrer). */
function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim() ?? "";
  return token.length >= 20 && token.length <= 200 ? token : null;
}

function InvalidLink() {
  return (
    <Stack gap="md">
      <Alert
        color="red"
        variant="light"
        icon={<IconLinkOff size={18} aria-hidden />}
        role="alert"
        title="Link not valid"
      >
        This link is invalid, was used already or has expired. Links work once, for 30 minutes.
      </Alert>
      <Button component={Link} to="/forgot-password" variant="light" fullWidth>
        Ask for a new link
      </Button>
    </Stack>
  );
}

/** Chooses a new password with the single-use token from the mailed link. */
export function ResetPasswordPage() {
  useDocumentTitle("Choose a new password · Steward");
  const queryClient = useQueryClient();
  const [token] = useState(() => tokenFromHash(window.location.hash));
  // The token leaves the address bar and the history once read.
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, "", window.location.pathname);
  }, []);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: () => confirmPasswordReset(token ?? "", password),
    onSuccess: async () => {
      // Every session of the account ended, perhaps this browser's too.
      await queryClient.invalidateQueries({ queryKey: keys.me });
    },
    onError: (error) => {
      if (isApiError(error, 400)) {
        const fields = error.fieldErrors();
        if (fields.password) setErrors({ password: fields.password });
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    const problem = validatePassword(password, true);
    if (problem) found.password = problem;
    if (!repeat) found.repeat = "Enter the new password again";
    else if (repeat !== password) found.repeat = "The two passwords are not the same";
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  if (!token || isApiError(mutation.error, 401)) {
    return (
      <AuthCard title="Choose a new password">
        <InvalidLink />
      </AuthCard>
    );
  }

  if (mutation.isSuccess) {
    return (
      <AuthCard title="Password changed" backLink={false}>
        <Stack gap="md">
          <Alert
            color="teal"
            variant="light"
            icon={<IconCircleCheck size={18} aria-hidden />}
            role="status"
            title="Your new password is set"
          >
            You were signed out everywhere. Log in with your new password.
          </Alert>
          <Button component={Link} to="/login" fullWidth size="md">
            Log in
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  const otherError = mutation.isError && !errors.password ? errorMessage(mutation.error) : null;
  return (
    <AuthCard title="Choose a new password" intro="At least 12 characters. A few unrelated words make a good one.">
      <form onSubmit={onSubmit} noValidate aria-label="Choose a new password">
        <Stack gap="md">
          {otherError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert">
              {otherError}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setErrors(({ password: _, ...rest }) => rest);
            }}
            error={errors.password}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => {
              setRepeat(e.currentTarget.value);
              setErrors(({ repeat: _, ...rest }) => rest);
            }}
            error={errors.repeat}
          />
          <Button type="submit" fullWidth size="md" loading={mutation.isPending}>
            Set new password
          </Button>
        </Stack>
      </form>
      <Text fz="xs" c="dimmed" mt="md">
        Setting it signs your account out on every device.{" "}
        <Anchor component={Link} to="/forgot-password" fz="xs">
          Need a new link?
        </Anchor>
      </Text>
    </AuthCard>
  );
}
