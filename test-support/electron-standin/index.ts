// What `import … from 'electron'` gives the main bundle under the stand-in: the part of Electron's API that
// src-main uses, each piece typed against electron's own declarations.

import { startControlServer } from './control.ts';

export { app } from './app.ts';
export { BrowserWindow } from './browser-window.ts';
export { ipcMain } from './ipc-main.ts';
export { Notification } from './notification.ts';
export { dialog, screen, session } from './session.ts';
export { Menu, nativeImage, Tray } from './tray.ts';
export { utilityProcess } from './utility-process.ts';

startControlServer();
