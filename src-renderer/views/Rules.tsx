// Alert rules: the global thresholds (CPU; GPU utilization, memory and temperature; memory) with "for N
// seconds", hysteresis and cooldown, and per-host overrides of each rule's switch and threshold.

import { useState } from 'react';
import { ALERT_METRICS, type AlertRule } from '../platform/settings';
import type { AppStore } from '../state/app-store';
import { METRIC_LABELS } from '../../fleet/alerts/alert-book';
import { checkRules, defaultRules, withOverride, withRules } from '../state/rule-edits';

const unitOf = (rule: AlertRule): string => (rule.metric === 'gpuTemp' ? '°C' : '%');

function NumberField({ label, value, unit, onChange, min = 0, max }: { label: string; value: number; unit: string; onChange(value: number): void; min?: number; max?: number }) {
  return (
    <label className="field number-field">
      <span>{label}</span>
      <span className="with-unit">
        <input type="number" value={Number.isFinite(value) ? value : ''} min={min} max={max} onChange={(event) => onChange(event.target.value === '' ? Number.NaN : Number(event.target.value))} />
        <span className="unit">{unit}</span>
      </span>
    </label>
  );
}

function GlobalRules({ store }: { store: AppStore }) {
  const [rules, setRules] = useState<AlertRule[]>(() => store.settings.alerts.rules.map((rule) => ({ ...rule })));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const edit = (id: string, change: Partial<AlertRule>): void => {
    setSaved(false);
    setRules((current) => current.map((rule) => (rule.id === id ? { ...rule, ...change } : rule)));
  };
  const save = async (): Promise<void> => {
    const check = checkRules(rules);
    if (!check.ok) return setProblems(check.problems);
    setProblems({});
    await store.saveSettings(withRules(store.settings, check.rules));
    setSaved(true);
  };
  return (
    <section className="panel rules">
      <div className="panel-head">
        <h2>Alert rules</h2>
        <span className="muted">Apply to every host unless a host overrides them below.</span>
      </div>
      <p className="muted hint">
        An alert fires once the value has stayed above the threshold for the given time, clears only when it drops below the threshold minus the hysteresis, and then stays quiet on that host for the
        cooldown. GPU rules watch the busiest GPU.
      </p>
      <ul className="rule-list">
        {rules.map((rule) => (
          <li key={rule.id} className={`rule${rule.enabled ? '' : ' is-disabled'}`} data-rule-id={rule.id}>
            <label className="rule-switch">
              <input type="checkbox" checked={rule.enabled} onChange={(event) => edit(rule.id, { enabled: event.target.checked })} />
              <span className="rule-name">
                {METRIC_LABELS[rule.metric]} <span className="muted">({rule.id})</span>
              </span>
            </label>
            <label className="field">
              <span>Metric</span>
              <select value={rule.metric} onChange={(event) => edit(rule.id, { metric: event.target.value as AlertRule['metric'] })}>
                {ALERT_METRICS.map((metric) => (
                  <option key={metric} value={metric}>
                    {METRIC_LABELS[metric]}
                  </option>
                ))}
              </select>
            </label>
            <NumberField label="Above" value={rule.threshold} unit={unitOf(rule)} max={200} onChange={(threshold) => edit(rule.id, { threshold })} />
            <NumberField label="For" value={rule.forSeconds} unit="s" max={3600} onChange={(forSeconds) => edit(rule.id, { forSeconds })} />
            <NumberField label="Hysteresis" value={rule.hysteresis} unit={unitOf(rule)} max={100} onChange={(hysteresis) => edit(rule.id, { hysteresis })} />
            <NumberField label="Cooldown" value={rule.cooldownSeconds} unit="s" max={86_400} onChange={(cooldownSeconds) => edit(rule.id, { cooldownSeconds })} />
            <label className="field">
              <span>Severity</span>
              <select value={rule.severity} onChange={(event) => edit(rule.id, { severity: event.target.value as AlertRule['severity'] })}>
                <option value="warning">Warning</option>
                <option value="critical">Critical</option>
              </select>
            </label>
            {problems[rule.id] && <p className="form-error rule-problem">{problems[rule.id]}</p>}
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => void save()}>
          Save rules
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={() => {
            setRules(defaultRules());
            setSaved(false);
          }}
        >
          Back to defaults
        </button>
        {saved && (
          <span className="saved-note" role="status">
            Saved.
          </span>
        )}
      </div>
    </section>
  );
}

function HostOverrides({ store }: { store: AppStore }) {
  const rows = store.rows();
  const [hostKey, setHostKey] = useState<string>(() => (store.route.view === 'host' ? store.route.hostKey : (rows[0]?.machine.key ?? '')));
  const overrides = store.settings.alerts.overrides[hostKey] ?? {};
  const set = (ruleId: string, override: { enabled?: boolean; threshold?: number }): void => void store.saveSettings(withOverride(store.settings, hostKey, ruleId, override));
  return (
    <section className="panel overrides">
      <div className="panel-head">
        <h2>Per-host overrides</h2>
        <label className="field inline">
          <span>Host</span>
          <select value={hostKey} onChange={(event) => setHostKey(event.target.value)} aria-label="Host to override">
            {rows.map((row) => (
              <option key={row.machine.key} value={row.machine.key}>
                {row.machine.local ? `This computer (${row.machine.name})` : row.machine.name}
                {store.settings.alerts.overrides[row.machine.key] ? ' — has overrides' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!hostKey ? (
        <p className="muted">Add a server to override rules for it.</p>
      ) : (
        <table className="data-table override-table">
          <thead>
            <tr>
              <th>Rule</th>
              <th>On this host</th>
              <th className="numeric">Threshold here</th>
            </tr>
          </thead>
          <tbody>
            {store.settings.alerts.rules.map((rule) => {
              const override = overrides[rule.id] ?? {};
              return (
                <tr key={rule.id}>
                  <td>
                    {METRIC_LABELS[rule.metric]} <span className="muted">above {rule.threshold} {unitOf(rule)}</span>
                  </td>
                  <td>
                    <select
                      value={override.enabled === undefined ? 'inherit' : override.enabled ? 'on' : 'off'}
                      onChange={(event) => set(rule.id, { ...override, enabled: event.target.value === 'inherit' ? undefined : event.target.value === 'on' })}
                      aria-label={`${rule.id} on this host`}
                    >
                      <option value="inherit">As global ({rule.enabled ? 'on' : 'off'})</option>
                      <option value="on">On</option>
                      <option value="off">Off</option>
                    </select>
                  </td>
                  <td className="numeric">
                    <span className="with-unit">
                      <input
                        type="number"
                        placeholder={String(rule.threshold)}
                        value={override.threshold ?? ''}
                        min={0}
                        max={200}
                        aria-label={`${rule.id} threshold on this host`}
                        onChange={(event) => set(rule.id, { ...override, threshold: event.target.value === '' ? undefined : Number(event.target.value) })}
                      />
                      <span className="unit">{unitOf(rule)}</span>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Rules({ store }: { store: AppStore }) {
  return (
    <div className="page">
      <GlobalRules store={store} />
      <HostOverrides store={store} />
    </div>
  );
}
