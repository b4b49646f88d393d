export { changeReminderPoller, notificationConsumer, remindStartingChanges } from "./consumer.ts";
export { notificationRoutes } from "./routes.ts";
