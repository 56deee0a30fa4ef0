import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIcon, iconFiles, TRAY_STATES, trayIconChoice } from './icon-set';
import { crc32 } from './png-encoder';

const BUILD_DIR = path.resolve(import.meta.dirname, '../../build');
const FILES = iconFiles();

/** Reads back the PNGs our encoder writes (RGBA, filter 0), checking every chunk's CRC on the way. */
function readPng(bytes: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    expect(raw[row * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(row * (width * 4 + 1) + 1, (row + 1) * (width * 4 + 1)), row * width * 4);
  }
  return { width, height, rgba };
}

describe('icons', () => {
  it('computes CRC-32 as zlib and PNG define it', () => {
    expect(crc32(Buffer.from('IEND', 'ascii'))).toBe(0xae426082);
    expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
  });

  it('has committed PNGs that match the generator, pixel for pixel (UPDATE_ICONS=1 rewrites them)', () => {
    for (const file of FILES) {
      const target = path.join(BUILD_DIR, file.path);
      if (process.env.UPDATE_ICONS === '1') {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, encodeIcon(file));
      }
      const decoded = readPng(readFileSync(target));
      expect([decoded.width, decoded.height], file.path).toEqual([file.size, file.size]);
      expect(Buffer.from(decoded.rgba).equals(Buffer.from(file.rgba)), `${file.path} differs from the generator`).toBe(true);
    }
  });

  it('draws each tray state differently, in colour and as a template', () => {
    const pixels = (name: string): string => Buffer.from(FILES.find((file) => file.path === name)!.rgba).toString('base64');
    const colour = TRAY_STATES.map((state) => pixels(`tray/tray-${state}-16.png`));
    const template = TRAY_STATES.map((state) => pixels(`tray/tray-${state}Template.png`));
    expect(new Set(colour).size).toBe(4);
    expect(new Set(template).size).toBe(4);
  });

  it('makes template images from black and alpha only, as macOS requires', () => {
    const templates = FILES.filter((candidate) => candidate.path.includes('Template'));
    expect(templates).toHaveLength(8);
    for (const file of templates) {
      const coloured = file.rgba.findIndex((value, offset) => offset % 4 !== 3 && value !== 0);
      expect(coloured, `${file.path} has colour at byte ${coloured}`).toBe(-1);
    }
  });

  it('picks a template on macOS, high-DPI variants on Windows and 32 px on Linux', () => {
    expect(trayIconChoice('alert', 'darwin', '/r/tray')).toEqual({ file: '/r/tray/tray-alertTemplate.png', template: true, highDpi: [] });
    expect(trayIconChoice('ok', 'win32', '/r/tray').highDpi.map((entry) => entry.scaleFactor)).toEqual([2, 4]);
    expect(trayIconChoice('offline', 'linux', '/r/tray').file).toBe('/r/tray/tray-offline-32.png');
  });
});
