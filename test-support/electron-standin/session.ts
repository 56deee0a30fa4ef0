// Electron's session, dialog and screen as far as the main process uses them: handlers are recorded (so
// a test can see they were installed), error boxes are recorded and printed, and there is one display.

import type { Display, Session } from 'electron';
import { record } from './record.ts';

const defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setCertificateVerifyProc'> & { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> } = {
  setPermissionRequestHandler: () => void (record.session.permissionRequestHandler = true),
  setPermissionCheckHandler: () => void (record.session.permissionCheckHandler = true),
  setCertificateVerifyProc: () => void (record.session.certificateVerifyProc = true),
  webRequest: { onHeadersReceived: () => void (record.session.headersReceivedListener = true) },
};

export const session = { defaultSession };

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record.dialogs.push({ title, content });
    process.stderr.write(`[dialog] ${title}: ${content}\n`);
  },
};

const DISPLAY_AREA = { x: 0, y: 0, width: 1920, height: 1080 };

export const screen = {
  getAllDisplays: (): Pick<Display, 'workArea' | 'bounds' | 'scaleFactor'>[] => [{ workArea: DISPLAY_AREA, bounds: DISPLAY_AREA, scaleFactor: 1 }],
};
