import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AppNotification, FleetSnapshot, LoadedSettings, Platform } from '../../src-renderer/platform/platform';
import { defaultSettings, type Settings } from '../../src-renderer/platform/settings';
import { CHANNELS, type EventKey, type InputOf, type InvokeKey, type OutputOf, type PayloadOf, type SendKey } from './channels';
import { fleetSnapshotSchema, INPUT_SCHEMAS, isAppUrl, notificationSchema, validateInput } from './validators';

describe('the IPC channel table', () => {
  it('gives every channel a unique name under the app prefix', () => {
    const names = Object.values(CHANNELS).map((channel) => channel.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('fleetwatch:'))).toBe(true);
  });

  it('has a validator for exactly the channels the renderer can use', () => {
    const fromRenderer = Object.entries(CHANNELS)
      .filter(([, channel]) => channel.kind !== 'event')
      .map(([key]) => key)
      .sort();
    expect(Object.keys(INPUT_SCHEMAS).sort()).toEqual(fromRenderer);
  });

  it('carries the Platform types, checked at compile time', () => {
    expectTypeOf<InvokeKey>().toEqualTypeOf<'loadSettings' | 'saveSettings' | 'getAgentStatus' | 'retryAgent' | 'getDiscovery' | 'scanDiscovery'>();
    expectTypeOf<SendKey>().toEqualTypeOf<'notify' | 'publishFleet'>();
    expectTypeOf<EventKey>().toEqualTypeOf<'agentStatus' | 'discoveryState' | 'openHost'>();
    expectTypeOf<OutputOf<'loadSettings'>>().toEqualTypeOf<LoadedSettings>();
    expectTypeOf<InputOf<'saveSettings'>>().toEqualTypeOf<Parameters<Platform['saveSettings']>[0]>();
    expectTypeOf<InputOf<'notify'>>().toEqualTypeOf<Parameters<Platform['notify']>[0]>();
    expectTypeOf<InputOf<'publishFleet'>>().toEqualTypeOf<Parameters<Platform['publishFleet']>[0]>();
    expectTypeOf<PayloadOf<'agentStatus'>>().toEqualTypeOf<Parameters<Parameters<NonNullable<Platform['localAgent']>['subscribe']>[0]>[0]>();
    expectTypeOf<PayloadOf<'discoveryState'>>().toEqualTypeOf<Parameters<Parameters<Platform['discovery']['subscribe']>[0]>[0]>();
    expectTypeOf<PayloadOf<'openHost'>>().toEqualTypeOf<Parameters<Parameters<Platform['onOpenHost']>[0]>[0]>();
    expectTypeOf<z.infer<typeof notificationSchema>>().toEqualTypeOf<AppNotification>();
    expectTypeOf<z.infer<typeof fleetSnapshotSchema>>().toEqualTypeOf<FleetSnapshot>();
  });
});

describe('IPC input validation', () => {
  const notification: AppNotification = { id: 'gpu-box/cpu-high', title: 'gpu-box: CPU high', body: 'CPU at 97 % for 30 s', severity: 'warning', hostKey: 'gpu-box' };

  it('accepts what the Platform contract allows', () => {
    expect(validateInput('notify', [notification])).toEqual({ ok: true, value: notification });
    expect(validateInput('saveSettings', [defaultSettings()])).toEqual({ ok: true, value: defaultSettings() });
    expect(validateInput('publishFleet', [{ hosts: [{ key: 'a', name: 'a', state: 'ok', cpuPercent: 5 }] }]).ok).toBe(true);
    expect(validateInput('getAgentStatus', [])).toEqual({ ok: true, value: undefined });
  });

  it('rejects wrong shapes and names the field', () => {
    expect(validateInput('notify', [{ ...notification, severity: 'panic' }])).toEqual({ ok: false, problem: expect.stringMatching(/^notify: severity/) });
    expect(validateInput('notify', [{ ...notification, title: 'x'.repeat(201) }])).toMatchObject({ ok: false, problem: expect.stringMatching(/title/) });
    expect(validateInput('saveSettings', [{ ...defaultSettings(), version: 9 } as unknown as Settings])).toMatchObject({ ok: false, problem: expect.stringMatching(/version/) });
    expect(validateInput('publishFleet', [{ hosts: [{ key: 'a', name: 'a', state: 'ok', cpuPercent: Number.NaN }] }])).toMatchObject({ ok: false });
    expect(validateInput('publishFleet', ['not a fleet'])).toMatchObject({ ok: false });
  });

  it('rejects extra arguments, and any argument on channels that take none', () => {
    expect(validateInput('notify', [notification, 'extra'])).toMatchObject({ ok: false, problem: expect.stringMatching(/at most one argument/) });
    expect(validateInput('retryAgent', [{ now: true }])).toMatchObject({ ok: false });
  });

  it('drops unknown keys rather than passing them on', () => {
    const result = validateInput('notify', [{ ...notification, onclick: 'evil()' }]);
    expect(result).toEqual({ ok: true, value: notification });
  });

  it('bounds a fleet snapshot', () => {
    const hosts = Array.from({ length: 2001 }, (_, index) => ({ key: `h${index}`, name: 'h', state: 'ok' as const }));
    expect(validateInput('publishFleet', [{ hosts }]).ok).toBe(false);
  });
});

describe('the app page check', () => {
  const entry = { servedFrom: 'http://127.0.0.1:41234/' };

  it("accepts only the hub's page, with any path, hash or query", () => {
    expect(isAppUrl('http://127.0.0.1:41234/#/host/a', entry)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:41235/', entry)).toBe(false);
    expect(isAppUrl('http://localhost:41234/', entry)).toBe(false);
    expect(isAppUrl('file:///opt/FleetWatch/resources/app.asar/out/renderer/index.html', entry)).toBe(false);
    expect(isAppUrl('https://example.org/', entry)).toBe(false);
    expect(isAppUrl(undefined, entry)).toBe(false);
    expect(isAppUrl('not a url', entry)).toBe(false);
  });

  it('accepts the dev server by origin during development', () => {
    const dev = { servedFrom: 'http://localhost:5173' };
    expect(isAppUrl('http://localhost:5173/#/x', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('file:///anything.html', dev)).toBe(false);
  });
});
