// A stand-in for Electron's release zip, for tests of the download this machine cannot make: its
// "electron" is a shell script, executable once unpacked, and it comes with its SHASUMS256.txt line.

import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';

/** The release zip's name for this platform, as @electron/get asks a mirror for it. */
export function electronZipName(version: string): string {
  return `electron-v${version}-${process.platform}-${process.arch}.zip`;
}

/** A zip holding `electron` (the script, mode 755 in the upper half of the external attributes, which extract-zip restores) and `version`. */
export function standInElectronZip(script: string, version: string): Buffer {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  return Buffer.from(zipSync({ electron: [encode(script), { os: 3, attrs: (0o100755 << 16) >>> 0 }], version: encode(`v${version}`) }));
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The SHASUMS256.txt a release mirror serves for one zip. */
export function shasumsLine(zipName: string, hash: string): string {
  return `${hash} *${zipName}\n`;
}
