import { describe, expect, it } from 'vitest';
import type { Machine } from './fleet';
import { sameMachines } from './same-machine';

interface Spec {
  key: string;
  hostname?: string;
  url: string;
  uptimeSec?: number;
  local?: boolean;
  protocols?: Machine['protocols'];
  hubHostId?: string;
}

const NOW = 1_000_000_000;

function machine({ key, hostname, url, uptimeSec, local = false, protocols = ['servercontrol'], hubHostId }: Spec): Machine {
  return {
    key,
    sourceId: key,
    sourceName: key,
    local,
    name: key,
    protocols,
    tags: [],
    endpoints: [{ protocol: protocols[0]!, url, state: { status: 'connected', sinceMs: 0 }, everConnected: true }],
    status: 'online',
    capabilities: [],
    parts: [],
    ...(hostname !== undefined ? { info: { id: hostname, hostname } } : {}),
    ...(hubHostId !== undefined ? { hubHostId } : {}),
    sample: { timeMs: NOW, ...(uptimeSec !== undefined ? { uptimeSec } : {}) },
  };
}

describe('one machine behind several servers', () => {
  it("folds our agent's five endpoints added one by one into This computer, though no protocol gives every clue", () => {
    const shownAs = sameMachines([
      machine({ key: 'local', hostname: 'lab-1', url: 'ws://127.0.0.1:3000/ws', local: true, protocols: ['socktop'] }),
      machine({ key: 'sc', hostname: 'LAB-1', url: 'ws://localhost:8082/' }),
      machine({ key: 'gpu', hostname: 'lab-1', url: 'ws://127.0.0.1:8765/' }),
      // No hostname, but an uptime (in whole minutes, as SysMedic words it) and the same address.
      machine({ key: 'sysmedic', hostname: '127.0.0.1:8060', url: 'ws://127.0.0.1:8060/ws', uptimeSec: 4950, protocols: ['sysmedic'] }),
      // Reached through its hub, which says nothing of where it runs: its hostname and boot time.
      machine({ key: 'vstats/vstats:lab-1', hostname: 'lab-1', url: 'ws://127.0.0.1:3001/ws', uptimeSec: 5000, hubHostId: 'lab-1', protocols: ['vstats'] }),
    ]);
    expect(Object.fromEntries(shownAs)).toEqual({ sc: 'local', gpu: 'local', sysmedic: 'local', 'vstats/vstats:lab-1': 'local' });
  });

  it('leaves a nameless server apart when its address holds two named machines', () => {
    const shownAs = sameMachines([
      machine({ key: 'a', hostname: 'alpha', url: 'ws://10.0.0.1:8082/' }),
      machine({ key: 'b', hostname: 'beta', url: 'ws://10.0.0.1:8083/' }),
      machine({ key: 'nameless', hostname: '10.0.0.1:8060', url: 'ws://10.0.0.1:8060/ws', uptimeSec: 10, protocols: ['sysmedic'] }),
    ]);
    expect(shownAs.size).toBe(0);
  });

  it('folds an agent found on the LAN into This computer when both booted at the same moment', () => {
    const shownAs = sameMachines([
      machine({ key: 'local', hostname: 'lab-1', url: 'ws://127.0.0.1:3000/ws', uptimeSec: 5000, local: true }),
      machine({ key: 'lan', hostname: 'lab-1', url: 'ws://192.168.1.20:3000/ws', uptimeSec: 5001, protocols: ['socktop', 'sysmedic'] }),
    ]);
    expect(Object.fromEntries(shownAs)).toEqual({ lan: 'local' });
  });

  it('keeps apart machines that share a hostname but booted at other times, or that cannot say and are reached elsewhere', () => {
    expect(
      sameMachines([
        machine({ key: 'a', hostname: 'ubuntu', url: 'ws://10.0.0.1:3000/ws', uptimeSec: 5000 }),
        machine({ key: 'b', hostname: 'ubuntu', url: 'ws://10.0.0.1:3001/ws', uptimeSec: 9000 }),
        machine({ key: 'c', hostname: 'ubuntu', url: 'ws://10.0.0.2:8082/' }),
        machine({ key: 'd', hostname: 'ubuntu', url: 'ws://10.0.0.3:8082/' }),
      ]).size,
    ).toBe(0);
    // Two addresses of one name, neither with an uptime: nothing says they are one machine.
    expect(sameMachines([machine({ key: 'c', hostname: 'ubuntu', url: 'ws://10.0.0.2:8082/' }), machine({ key: 'd', hostname: 'ubuntu', url: 'ws://10.0.0.3:8082/' })]).size).toBe(0);
  });

  it('never folds a hub host by its hub\'s address, nor two machines that never reported themselves', () => {
    const silent = (key: string): Machine => {
      const { info: _info, ...rest } = machine({ key, url: 'ws://10.0.0.5:8060/ws' });
      return { ...rest, status: 'offline' };
    };
    expect(
      sameMachines([
        machine({ key: 'hub', hostname: 'hub-box', url: 'ws://10.0.0.9:3001/ws', uptimeSec: 50 }),
        machine({ key: 'hub/vstats:n1', hostname: 'node-1', url: 'ws://10.0.0.9:3001/ws', hubHostId: 'n1', uptimeSec: 50, protocols: ['vstats'] }),
        silent('s1'),
        silent('s2'),
      ]).size,
    ).toBe(0);
  });

  it('shows the machine read through the most protocols, and links the rest through one another', () => {
    const shownAs = sameMachines([
      machine({ key: 'x', hostname: 'db', url: 'ws://db:8082/' }),
      machine({ key: 'y', hostname: 'db', url: 'ws://db:3000/ws', uptimeSec: 100, protocols: ['socktop', 'sysmedic'] }),
      // Reached at another address, but booted with y: linked to x through y.
      machine({ key: 'z', hostname: 'db', url: 'ws://10.1.1.1:3000/ws', uptimeSec: 100 }),
    ]);
    expect(Object.fromEntries(shownAs)).toEqual({ x: 'y', z: 'y' });
  });
});
