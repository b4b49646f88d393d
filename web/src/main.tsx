import { getStyleNonce } from "./csp.ts";
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./styles.css";
import { MantineProvider } from "@mantine/core";
import { Notifications, notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { isApiError } from "./api/client.ts";
import { keys } from "./api/queries.ts";
import { createAppRouter } from "./router.tsx";
import { cssVariablesResolver, theme } from "./theme.ts";

/** A 401 on any call while we thought we were signed in: the session ended, so go to the login page. */
function onUnauthorized(error: unknown): void {
  if (!isApiError(error, 401) || !queryClient.getQueryData(keys.me)) return;
  queryClient.setQueryData(keys.me, null);
  notifications.show({ color: "yellow", title: "Session ended", message: "Please log in again." });
  void router.navigate({ to: "/login", search: { redirect: router.state.location.href } });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthorized }),
  mutationCache: new MutationCache({ onError: onUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => failures < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
    },
  },
});

const router = createAppRouter(queryClient);

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      getStyleNonce={getStyleNonce}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="light"
    >
      <Notifications position="bottom-right" zIndex={1000} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
