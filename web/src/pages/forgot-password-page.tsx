import { Alert, Anchor, Box, Button, Center, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconAlertCircle, IconMailForward } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";
import { isApiError } from "../api/client.ts";
import { requestPasswordReset } from "../api/notifications.ts";
import { Logo } from "../layout/logo.tsx";
import { errorMessage } from "../lib/notify.ts";

/** The signed-out pages' frame: the logo above one card. */
export function AuthCard(props: { title: string; intro?: string; children: ReactNode; backLink?: boolean }) {
  const { title, intro, children, backLink = true } = props;
  return (
    <Center mih="100dvh" p="md">
      <Box w="100%" maw={420}>
        <Center mb="xl">
          <Logo />
        </Center>
        <Paper withBorder shadow="sm" p={{ base: "lg", sm: 32 }}>
          <Title order={1} fz={24} mb={4}>
            {title}
          </Title>
          {intro && (
            <Text c="dimmed" fz="sm" mb="lg">
              {intro}
            </Text>
          )}
          {children}
        </Paper>
        {backLink && (
          <Text fz="sm" ta="center" mt="lg">
            <Anchor component={Link} to="/login" fz="sm">
              Back to log in
            </Anchor>
          </Text>
        )}
      </Box>
    </Center>
  );
}

function requestError(error: unknown): string {
  if (isApiError(error, 429)) return error.problem.detail ?? "Too many requests. Please wait a while and try again.";
  return errorMessage(error);
}

/** Asks for a mailed link to choose a new password. The answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  useDocumentTitle("Forgot password · Steward");
  const [email, setEmail] = useState("");
  const [missing, setMissing] = useState<string | undefined>();
  const mutation = useMutation({ mutationFn: () => requestPasswordReset(email.trim()) });
  const fieldError = missing ?? (isApiError(mutation.error) ? mutation.error.fieldErrors().email : undefined);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    if (!value) return setMissing("Enter your e-mail address");
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) return setMissing("Enter an address, like you@example.com");
    setMissing(undefined);
    mutation.mutate();
  };

  if (mutation.isSuccess) {
    return (
      <AuthCard title="Check your mail">
        <Alert
          color="teal"
          variant="light"
          icon={<IconMailForward size={18} aria-hidden />}
          role="status"
          title="Request received"
        >
          {mutation.data.message}
        </Alert>
        <Text fz="sm" c="dimmed" mt="md">
          No mail after a few minutes? Check your spam folder, or{" "}
          <Anchor component="button" type="button" fz="sm" onClick={() => mutation.reset()}>
            try again
          </Anchor>
          .
        </Text>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Forgot your password?"
      intro="Enter the e-mail address of your Steward account. We will send you a link to choose a new password."
    >
      <form onSubmit={onSubmit} noValidate aria-label="Reset password">
        <Stack gap="md">
          {mutation.isError && !fieldError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert">
              {requestError(mutation.error)}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              setMissing(undefined);
            }}
            error={fieldError}
          />
          <Button type="submit" fullWidth size="md" loading={mutation.isPending}>
            Send the link
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
