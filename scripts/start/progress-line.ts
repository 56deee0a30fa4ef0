// Shows a long download on the terminal: one line rewritten in place on a TTY, a line per tenth elsewhere.

import type { DownloadProgress } from './electron-download.ts';

const MB = 1024 * 1024;

export function progressPrinter(stream: NodeJS.WriteStream): (progress: DownloadProgress) => void {
  let lastTenth = -1;
  return (progress) => {
    if ('extracting' in progress) {
      stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}  unpacking …\n`);
      return;
    }
    const { transferredBytes, totalBytes } = progress;
    const percent = totalBytes > 0 ? Math.floor((transferredBytes / totalBytes) * 100) : 0;
    const text = `  ${percent} % of ${(totalBytes / MB).toFixed(0)} MB`;
    if (stream.isTTY) {
      stream.write(`\r\x1b[K${text}`);
    } else if (Math.floor(percent / 10) > lastTenth) {
      lastTenth = Math.floor(percent / 10);
      stream.write(`${text}\n`);
    }
  };
}
