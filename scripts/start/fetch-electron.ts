// Child process of `npm start` that fetches Electron's binary for the installed electron package, so that
// the parent can kill it when the download stalls. Usage: node fetch-electron.ts <electron package dir>
// Writes one JSON line per step on stdout ({transferredBytes,totalBytes} while downloading, then
// {extracting:true}); on failure, one line on stderr and exit code 1.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Progress {
  transferred: number;
  total: number;
}

type DownloadArtifact = (details: Record<string, unknown>) => Promise<string>;

const PROGRESS_EVERY_MS = 2000;

function report(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** @electron/get as the electron package itself resolves it, whether it is published as CommonJS or ESM. */
async function loadDownloadArtifact(fromElectron: NodeJS.Require): Promise<DownloadArtifact> {
  const loaded = (await import(pathToFileURL(fromElectron.resolve('@electron/get')).href)) as { downloadArtifact?: DownloadArtifact; default?: { downloadArtifact?: DownloadArtifact } };
  const downloadArtifact = loaded.downloadArtifact ?? loaded.default?.downloadArtifact;
  if (!downloadArtifact) throw new Error('@electron/get has no downloadArtifact');
  return downloadArtifact;
}

async function fetchElectron(electronDir: string): Promise<void> {
  const fromElectron = createRequire(path.join(electronDir, 'package.json'));
  const { version } = fromElectron('./package.json') as { version: string };
  // The same checksums and settings electron's own install.js uses, so that it finds our download in the cache.
  const remoteChecksums = process.env.electron_use_remote_checksums ?? process.env.npm_config_electron_use_remote_checksums;
  const downloadArtifact = await loadDownloadArtifact(fromElectron);
  let lastReportMs = 0;
  let lastPercent = -1;
  await downloadArtifact({
    version,
    artifactName: 'electron',
    platform: process.env.npm_config_platform ?? process.platform,
    arch: process.env.npm_config_arch ?? process.arch,
    cacheRoot: process.env.electron_config_cache,
    checksums: remoteChecksums ? undefined : fromElectron('./checksums.json'),
    downloadOptions: {
      quiet: true,
      getProgressCallback: (progress: Progress) => {
        const percent = progress.total > 0 ? Math.floor((progress.transferred / progress.total) * 100) : 0;
        const nowMs = Date.now();
        if (percent === lastPercent && nowMs - lastReportMs < PROGRESS_EVERY_MS) return;
        lastPercent = percent;
        lastReportMs = nowMs;
        report({ transferredBytes: progress.transferred, totalBytes: progress.total });
      },
    },
  });
  report({ extracting: true });
  // electron's install.js finds the zip in the cache, checks it again, unpacks it and writes path.txt.
  const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (install.status !== 0) {
    const lines = (install.stderr ?? '').trim().split('\n');
    throw new Error(`unpacking failed: ${lines[0] || `install.js exited with ${install.status}`}`);
  }
}

const electronDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
if (!electronDir) {
  process.stderr.write('usage: node fetch-electron.ts <electron package dir>\n');
  process.exit(2);
}
fetchElectron(electronDir).then(
  () => process.exit(0),
  (error: unknown) => {
    // fetch() reports every network failure as "fetch failed"; what happened is in its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    process.stderr.write(`${message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
