// Electron's Notification: records each one shown; the control server clicks one as a person would.

import { EventEmitter } from 'node:events';
import type { Notification, NotificationConstructorOptions } from 'electron';
import { record } from './record.ts';

const shown: StandInNotification[] = [];

class StandInNotification extends EventEmitter implements Pick<Notification, 'show' | 'close'> {
  static isSupported(): boolean {
    return true;
  }

  private readonly options: NotificationConstructorOptions;

  constructor(options: NotificationConstructorOptions = {}) {
    super();
    this.options = options;
  }

  show(): void {
    shown.push(this);
    record.notifications.push({ title: this.options.title ?? '', body: this.options.body ?? '', ...(this.options.urgency ? { urgency: this.options.urgency } : {}) });
    this.emit('show');
  }

  close(): void {
    this.emit('close');
  }
}

export function clickNotification(index: number): boolean {
  const notification = shown[index];
  if (!notification) return false;
  notification.emit('click');
  return true;
}

export { StandInNotification as Notification };
