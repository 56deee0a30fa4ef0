// What the stand-in was asked to show, kept for the control server: a test asserts on this record
// where a person would look at the tray, a notification or a dialog.

export interface RecordedMenuItem {
  label?: string;
  type?: string;
}

export interface StandInRecord {
  tray?: { image: string; tooltip: string; menu: RecordedMenuItem[]; destroyed: boolean };
  notifications: { title: string; body: string; urgency?: string }[];
  dialogs: { title: string; content: string }[];
  windows: { visible: boolean; focused: number; url: string; bounds: { x: number; y: number; width: number; height: number } }[];
  children: { pid: number | undefined; modulePath: string; args: string[]; exitCode?: number }[];
  session: { permissionRequestHandler: boolean; permissionCheckHandler: boolean; certificateVerifyProc: boolean; headersReceivedListener: boolean };
  ipc: { handle: string[]; on: string[] };
  secondInstances: number;
}

export const record: StandInRecord = {
  notifications: [],
  dialogs: [],
  windows: [],
  children: [],
  session: { permissionRequestHandler: false, permissionCheckHandler: false, certificateVerifyProc: false, headersReceivedListener: false },
  ipc: { handle: [], on: [] },
  secondInstances: 0,
};
