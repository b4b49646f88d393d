export { changeReminderPoller, notificationConsumer, remindStartingChanges } from "./consumer.ts";
export { closeNotificationStreams, notificationRoutes } from "./routes.ts";
