// A measured figure, its target, and how results are printed and saved.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** Upper bound the figure should stay under, where the issue sets one. */
  target?: number;
}

export function describeMachine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    kernel: os.release(),
  };
}

export function renderFigures(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => {
    const value = figure.value >= 100 ? figure.value.toFixed(0) : figure.value.toFixed(figure.value >= 10 ? 1 : 2);
    const target = figure.target === undefined ? '' : `≤ ${figure.target}`;
    const ratio = figure.target === undefined ? '' : `${(figure.value / figure.target).toFixed(2)}×`;
    const verdict = figure.target === undefined ? '' : figure.value <= figure.target ? 'ok' : 'OVER';
    return [figure.label, `${value} ${figure.unit}`, target, ratio, verdict];
  });
  const header = ['measure', 'value', 'target', 'ratio', ''];
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

interface SavedFigure extends Figure {
  measuredAt: string;
}

/** Merges by id into the saved results, so running one scenario updates only its own figures. */
export function saveFigures(figures: readonly Figure[], file = path.join(import.meta.dirname, '../results/latest.json')): string {
  mkdirSync(path.dirname(file), { recursive: true });
  let saved: SavedFigure[] = [];
  try {
    saved = (JSON.parse(readFileSync(file, 'utf8')) as { figures: SavedFigure[] }).figures;
  } catch {
    saved = [];
  }
  const measuredAt = new Date().toISOString();
  const fresh = new Map(figures.map((figure) => [figure.id, { ...figure, measuredAt }]));
  const merged = [...saved.map((figure) => fresh.get(figure.id) ?? figure), ...[...fresh.values()].filter((figure) => !saved.some((old) => old.id === figure.id))];
  writeFileSync(file, JSON.stringify({ machine: describeMachine(), figures: merged }, null, 2) + '\n');
  return file;
}
