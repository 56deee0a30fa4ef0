// What an alert raises: a notification the shell shows (tray, browser) and the page toasts.

export interface AppNotification {
  /** Same id → replaces the previous notification (one per host and rule). */
  id: string;
  title: string;
  body: string;
  severity: 'warning' | 'critical' | 'info';
  /** The host to open when the notification is clicked. */
  hostKey?: string;
}
