// The settings file in userData: read and validated once at start, written atomically on every save.
// A file that cannot be used is moved aside (never deleted) and the app starts from defaults with a notice.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedSettings } from '../../src-renderer/platform/platform';
import { defaultSettings, parseSettings, type Settings } from '../../src-renderer/platform/settings';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface SettingsStoreOptions {
  /** The folder holding settings.json: the app's userData. */
  dir: string;
  now?: () => number;
}

export class SettingsStore {
  readonly file: string;
  private settings: Settings = defaultSettings();
  private notice: string | undefined;
  /** Saves run one after another, so the last one requested is the one on disk. */
  private writes: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: SettingsStoreOptions) {
    this.file = path.join(options.dir, SETTINGS_FILE_NAME);
    this.now = options.now ?? Date.now;
  }

  get current(): Settings {
    return this.settings;
  }

  get loaded(): LoadedSettings {
    return { settings: this.settings, ...(this.notice !== undefined ? { notice: this.notice } : {}) };
  }

  async load(): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.use(defaultSettings());
      // Moved aside like a corrupt file, so the first save does not replace settings that may still be good.
      const keptAs = await this.moveAside();
      return this.use(defaultSettings(), `Your settings could not be read (${(error as Error).message}), so FleetWatch started with defaults.${keptAs ? ` The old file was kept as ${keptAs}.` : ''}`);
    }
    const problem = problemWith(text);
    if (typeof problem !== 'string') return this.use(problem);
    const keptAs = await this.moveAside();
    return this.use(defaultSettings(), `Your settings file could not be used (${problem}), so FleetWatch started with defaults.${keptAs ? ` The old file was kept as ${keptAs}.` : ''}`);
  }

  /** Validates and writes the whole document: a temp file, fsync, then rename over the old one. */
  save(settings: Settings): Promise<void> {
    const parsed = parseSettings(settings);
    if (!parsed.ok) return Promise.reject(new Error(`Refusing to save invalid settings: ${parsed.problem}`));
    this.settings = parsed.settings;
    this.notice = undefined;
    const write = this.writes.then(() => writeAtomically(this.file, JSON.stringify(parsed.settings, null, 2) + '\n'));
    this.writes = write.catch(() => {});
    return write;
  }

  /** Changes part of the current settings and saves. */
  update(change: (current: Settings) => Settings): Promise<void> {
    return this.save(change(this.settings));
  }

  private use(settings: Settings, notice?: string): LoadedSettings {
    this.settings = settings;
    this.notice = notice;
    return this.loaded;
  }

  private async moveAside(): Promise<string | undefined> {
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const aside = path.join(this.options.dir, `settings.corrupt-${stamp}.json`);
    try {
      await rename(this.file, aside);
      return path.basename(aside);
    } catch {
      return undefined;
    }
  }
}

/**
 * A save from the renderer, merged with what the main process owns: the window bounds, which the
 * renderer never sees change and must not overwrite with a stale copy.
 */
export function mergeRendererSettings(incoming: Settings, current: Settings): Settings {
  const { window: _ignored, ...rest } = incoming;
  return current.window ? { ...rest, window: current.window } : rest;
}

/** The settings in the text, or what is wrong with it. */
function problemWith(text: string): Settings | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const parsed = parseSettings(raw);
  return parsed.ok ? parsed.settings : parsed.problem;
}

/** A reader (or a crash mid-write) sees either the old file or the new one, never half of one. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/** Makes the rename itself durable; not possible (nor needed) on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the data itself is already synced.
  } finally {
    await handle.close();
  }
}
