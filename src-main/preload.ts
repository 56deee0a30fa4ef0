import { contextBridge } from 'electron';
contextBridge.exposeInMainWorld('fleetwatch', {});
