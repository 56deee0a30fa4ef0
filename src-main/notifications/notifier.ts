// Shows the notifications the UI asks for (its CPU/GPU rules, server alerts) and the shell's own notices,
// after the gate has let them through. A click opens the host it is about.

import { Notification } from 'electron';
import type { AppNotification } from '../../src-renderer/platform/platform';
import type { NotificationGate } from '../tray/notification-gate';

export interface NotifierOptions {
  gate: NotificationGate;
  pausedUntilMs(): number | undefined;
  onClick(hostKey: string | undefined): void;
  log(line: string): void;
  now?: () => number;
}

const MAX_KEPT = 100;

export class Notifier {
  /** Shown notifications by id: kept referenced so their click handlers survive garbage collection. */
  private readonly showing = new Map<string, Notification>();

  constructor(private readonly options: NotifierOptions) {}

  show(notification: AppNotification): void {
    if (!Notification.isSupported()) return;
    const decision = this.options.gate.decide(notification, { nowMs: (this.options.now ?? Date.now)(), pausedUntilMs: this.options.pausedUntilMs() });
    if (!decision.show) {
      this.options.log(`notification ${notification.id}: not shown (${decision.reason})`);
      return;
    }
    this.showing.get(notification.id)?.close();
    const shown = new Notification({
      title: notification.title,
      body: notification.body,
      urgency: notification.severity === 'critical' ? 'critical' : 'normal',
      timeoutType: notification.severity === 'critical' ? 'never' : 'default',
    });
    shown.on('click', () => this.options.onClick(notification.hostKey));
    shown.on('close', () => {
      if (this.showing.get(notification.id) === shown) this.showing.delete(notification.id);
    });
    this.showing.set(notification.id, shown);
    // Desktops that never report a close must not make this map grow forever.
    if (this.showing.size > MAX_KEPT) this.showing.delete(this.showing.keys().next().value!);
    shown.show();
  }
}
