// The hub's alerts, evaluated whether or not a page is open: the rules (<data-dir>/rules.json; the
// defaults until a page changes them) on every machine's newest reading, the alerts servers send, and a
// built-in rule for a host that stops answering (on by default after 60 s, --offline-alert-after).
// Alerts and their acknowledgements live in <data-dir>/alerts.json, so neither a page reload nor a hub
// restart brings an acknowledged alert back.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { HostEvent } from '../../proto/model';
import { AlertBook, alertEntrySchema, type AlertEntry } from '../../fleet/alerts/alert-book';
import { AlertEngine, effectiveRules, metricValue } from '../../fleet/alerts/alert-engine';
import type { AppNotification } from '../../fleet/alerts/notification';
import { DEFAULT_ALERT_RULES, ruleSetSchema, type RuleSet } from '../../fleet/alerts/rules';
import type { Machine } from '../../fleet/fleet';
import { writePrivateFile } from '../data-dir';

const storedSchema = z.object({ version: z.literal(1), rules: ruleSetSchema, alerts: z.array(alertEntrySchema).max(1000) });

/** Statuses in which a host is not answering: down after answering, or never reached after several tries. */
const NOT_ANSWERING = new Set<Machine['status']>(['offline', 'failed']);

export interface HubAlertsOptions {
  file: string;
  now: () => number;
  /** How long a host may go unanswered before it raises an alert; 0 turns the rule off. */
  offlineAfterMs: number;
  /** Something could not be read or written. */
  onProblem(message: string): void;
}

const NONE: ReadonlySet<string> = new Set();

export class HubAlerts {
  private readonly engine = new AlertEngine();
  private readonly book = new AlertBook();
  private rules: RuleSet = { rules: DEFAULT_ALERT_RULES.map((rule) => ({ ...rule })), overrides: {} };
  /** Hosts not answering: since when, and their name for the alert. */
  private readonly down = new Map<string, { sinceMs: number; name: string; raised: boolean }>();
  /**
   * Hosts seen online whose offline alert (if any) is already cleared. Clearing looks through the whole
   * alert list, so it is done once when a host comes back, not for every online host every second.
   */
  private readonly answering = new Set<string>();
  private notifications: AppNotification[] = [];
  private changed = false;
  private unsaved = false;
  private saveFailing = false;

  constructor(private readonly options: HubAlertsOptions) {
    this.load();
  }

  get ruleSet(): RuleSet {
    return this.rules;
  }

  setRules(rules: RuleSet): void {
    this.rules = rules;
    this.touch();
  }

  entries(): AlertEntry[] {
    return this.book.stored();
  }

  /**
   * Takes the machines that changed: the rules run on those that got a reading, and each one's answering
   * state is noted; then every host down for long enough raises its offline alert. The rules skip machines
   * shown as another (`hidden`): the one shown is the same machine, and one CPU spike notifies once.
   */
  evaluate(machines: readonly Machine[], withNewReading: ReadonlySet<string>, hidden: ReadonlySet<string> = NONE): void {
    const nowMs = this.options.now();
    for (const machine of machines) {
      this.noteAnswering(machine, nowMs);
      if (!withNewReading.has(machine.key) || hidden.has(machine.key) || machine.status !== 'online' || !machine.sample) continue;
      const sample = machine.sample;
      const rules = effectiveRules(this.rules.rules, this.rules.overrides, machine.key);
      for (const transition of this.engine.evaluate(machine.key, rules, (metric) => metricValue(metric, sample, machine.info), nowMs)) {
        this.raise(this.book.applyTransition(transition, hostName(machine)));
        this.touch();
      }
    }
    this.raiseOffline(nowMs);
  }

  /** Whether a rule is above its threshold on the host, not yet for long enough: it is heading for an alert. */
  pending(hostKey: string): boolean {
    return this.engine.isPending(hostKey);
  }

  serverAlert(hostKey: string, hostNameText: string, event: Extract<HostEvent, { kind: 'alert' }>): void {
    this.raise(this.book.addServerAlert(hostKey, hostNameText, event, this.options.now()));
    this.touch();
  }

  acknowledge(id: string | undefined): number {
    const nowMs = this.options.now();
    const count = id === undefined ? this.book.acknowledgeAll(nowMs) : this.book.acknowledge(id, nowMs) ? 1 : 0;
    if (count > 0) this.touch();
    return count;
  }

  /** Machines now shown as another: the rules stop watching them, and what they raised clears. */
  hide(hostKeys: Iterable<string>): void {
    const nowMs = this.options.now();
    for (const key of hostKeys) {
      this.engine.forget(key, nowMs);
      if (this.book.clearRuleAlerts(key, nowMs)) this.touch();
    }
  }

  /** Hosts removed from the fleet: their alerts go with them. */
  forget(hostKeys: readonly string[]): void {
    for (const key of hostKeys) {
      this.engine.forget(key, this.options.now());
      this.book.forgetHost(key);
      this.down.delete(key);
      this.answering.delete(key);
    }
    if (hostKeys.length > 0) this.touch();
  }

  /** What to raise since the last call. */
  takeNotifications(): AppNotification[] {
    const taken = this.notifications;
    this.notifications = [];
    return taken;
  }

  /** Whether the alerts or rules changed since the last call: pages then get them again. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  save(): void {
    if (!this.unsaved) return;
    try {
      writePrivateFile(this.options.file, JSON.stringify({ version: 1, rules: this.rules, alerts: this.book.stored() }) + '\n');
      this.unsaved = false;
    } catch (error) {
      // Tried again at the next save; said once until it works.
      if (!this.saveFailing) this.options.onProblem(`Alerts could not be saved to ${this.options.file}: ${(error as Error).message}`);
      this.saveFailing = true;
      return;
    }
    this.saveFailing = false;
  }

  private noteAnswering(machine: Machine, nowMs: number): void {
    if (this.options.offlineAfterMs <= 0) return;
    if (!NOT_ANSWERING.has(machine.status)) {
      this.down.delete(machine.key);
      if (machine.status !== 'online' || this.answering.has(machine.key)) return;
      this.answering.add(machine.key);
      if (this.book.hostBack(machine.key, nowMs)) this.touch();
      return;
    }
    this.answering.delete(machine.key);
    const known = this.down.get(machine.key);
    this.down.set(machine.key, { sinceMs: known?.sinceMs ?? nowMs, name: hostName(machine), raised: known?.raised ?? false });
  }

  private raiseOffline(nowMs: number): void {
    for (const [key, state] of this.down) {
      if (state.raised || nowMs - state.sinceMs < this.options.offlineAfterMs) continue;
      state.raised = true;
      const notification = this.book.hostOffline(key, state.name, state.sinceMs, nowMs);
      if (!notification) continue;
      this.raise(notification);
      this.touch();
    }
  }

  private raise(notification: AppNotification | undefined): void {
    if (notification) this.notifications.push(notification);
  }

  private touch(): void {
    this.changed = true;
    this.unsaved = true;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onProblem(`Could not read ${this.options.file}: ${(error as Error).message}; starting with the default rules.`);
      return;
    }
    let parsed;
    try {
      parsed = storedSchema.safeParse(JSON.parse(text));
    } catch (error) {
      this.options.onProblem(`${this.options.file} is not JSON (${(error as Error).message}); starting with the default rules.`);
      return;
    }
    if (!parsed.success) {
      this.options.onProblem(`${this.options.file} could not be used (${parsed.error.issues[0]?.message}); starting with the default rules.`);
      return;
    }
    this.rules = parsed.data.rules;
    const alerts: AlertEntry[] = parsed.data.alerts;
    const inForce = new Set(this.rules.rules.map((rule) => rule.id));
    // A rule removed while it was firing has nothing left to clear it.
    for (const entry of alerts) if (entry.origin === 'rule' && entry.clearedAtMs === undefined && !inForce.has(entry.ruleId ?? '')) entry.clearedAtMs = this.options.now();
    this.book.restore(alerts);
    // A rule that was firing goes on firing until its value drops back, without a second notification.
    for (const entry of alerts) {
      const rule = this.rules.rules.find((candidate) => candidate.id === entry.ruleId);
      if (entry.clearedAtMs === undefined && rule) this.engine.resume(entry.hostKey, rule, entry.raisedAtMs);
    }
  }
}

function hostName(machine: Machine): string {
  return machine.local ? `This computer (${machine.name})` : machine.name;
}
