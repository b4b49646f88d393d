import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { IconAlertCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError, isApiError } from "../api/client.ts";
import { login } from "../api/identity.ts";
import { keys } from "../api/queries.ts";
import { safeRedirect } from "../auth.tsx";
import { Logo } from "../layout/logo.tsx";
import { errorMessage } from "../lib/notify.ts";

function loginError(error: unknown): string {
  if (isApiError(error, 401)) return "The e-mail address or password is not correct.";
  if (isApiError(error, 429)) return error.problem.detail ?? "Too many attempts. Please wait a moment and try again.";
  return errorMessage(error);
}

export function LoginPage() {
  useDocumentTitle("Log in · Steward");
  const search = useSearch({ from: "/login" });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => login(email.trim(), password),
    onSuccess: async (me) => {
      queryClient.setQueryData(keys.me, me);
      await navigate({ href: safeRedirect(search.redirect, me), replace: true });
    },
  });
  const [missing, setMissing] = useState<Record<string, string>>({});
  const fieldErrors = { ...(mutation.error instanceof ApiError ? mutation.error.fieldErrors() : {}), ...missing };
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!email.trim()) next.email = "Enter your e-mail address";
    if (!password) next.password = "Enter your password";
    setMissing(next);
    if (Object.keys(next).length === 0) mutation.mutate();
  };

  return (
    <Center mih="100dvh" p="md">
      <Box w="100%" maw={420}>
        <Center mb="xl">
          <Logo />
        </Center>
        <Paper withBorder shadow="sm" p={{ base: "lg", sm: 32 }}>
          <Title order={1} fz={24} mb={4}>
            Log in
          </Title>
          <Text c="dimmed" fz="sm" mb="lg">
            Welcome back. Use your work e-mail address to continue.
          </Text>
          <form onSubmit={onSubmit} noValidate aria-label="Log in">
            <Stack gap="md">
              {mutation.isError && !hasFieldErrors && (
                <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} role="alert">
                  {loginError(mutation.error)}
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
                  setMissing(({ email: _, ...rest }) => rest);
                }}
                error={fieldErrors.email}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  setMissing(({ password: _, ...rest }) => rest);
                }}
                error={fieldErrors.password}
              />
              <Group justify="flex-end" mt={-8}>
                <Anchor component={Link} to="/forgot-password" fz="sm">
                  Forgot password?
                </Anchor>
              </Group>
              <Button type="submit" fullWidth size="md" loading={mutation.isPending}>
                Log in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Box>
    </Center>
  );
}
