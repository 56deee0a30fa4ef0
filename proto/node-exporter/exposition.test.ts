import { describe, expect, it } from 'vitest';

import { MAX_KEPT_SERIES, MAX_SERIES_PER_NAME, parseExposition, type MetricSelection } from './exposition';

const ALL: MetricSelection = { prefixes: [''] };

function only(text: string, selection: MetricSelection = ALL) {
  const parsed = parseExposition(text, selection);
  return { ...parsed, series: Object.fromEntries(parsed.series) };
}

describe('text exposition parser', () => {
  it('reads samples with and without labels, skipping HELP, TYPE, other comments and blank lines', () => {
    const parsed = only(
      [
        '# HELP node_load1 1m load average.',
        '# TYPE node_load1 gauge',
        'node_load1 0.42',
        '',
        '   ',
        '# a comment with {braces} and "quotes"',
        '# HELP node_x Help with \\\\ and \\n escapes, a { and a "',
        'node_cpu_seconds_total{cpu="0",mode="idle"} 38653.29',
        'node_boot_time_seconds 1.796464011e+09',
        '',
      ].join('\n'),
    );
    expect(parsed.series).toEqual({
      node_load1: [{ labels: {}, value: 0.42 }],
      node_cpu_seconds_total: [{ labels: { cpu: '0', mode: 'idle' }, value: 38653.29 }],
      node_boot_time_seconds: [{ labels: {}, value: 1_796_464_011 }],
    });
    expect(parsed.sampleLines).toBe(3);
    expect(parsed.skippedLines).toBe(0);
  });

  it('decodes the three escapes of a label value and keeps commas, braces and equals signs inside quotes', () => {
    const parsed = only('node_uname_info{a="back\\\\slash",b="say \\"hi\\"",c="two\\nlines",d="x,y}=z"} 1\n');
    expect(parsed.series.node_uname_info![0]!.labels).toEqual({ a: 'back\\slash', b: 'say "hi"', c: 'two\nlines', d: 'x,y}=z' });
  });

  it('refuses an unknown escape, an unclosed quote, a label without a value and a name twice', () => {
    const parsed = only(['node_a{x="\\t"} 1', 'node_b{x="open} 1', 'node_c{x} 1', 'node_d{x="1",x="2"} 1', 'node_e{9x="1"} 1', 'node_ok 1', ''].join('\n'));
    expect(Object.keys(parsed.series)).toEqual(['node_ok']);
    expect(parsed.skippedLines).toBe(5);
  });

  it('accepts a trailing comma, blanks and tabs between tokens, empty braces and an empty label value', () => {
    const parsed = only(['node_a{cpu="0",} 1', ' node_b { cpu = "1" , mode="" }\t2', 'node_c{} 3', 'node_d\t4', ''].join('\n'));
    expect(parsed.series).toEqual({
      node_a: [{ labels: { cpu: '0' }, value: 1 }],
      node_b: [{ labels: { cpu: '1', mode: '' }, value: 2 }],
      node_c: [{ labels: {}, value: 3 }],
      node_d: [{ labels: {}, value: 4 }],
    });
  });

  it('reads NaN, +Inf, -Inf and exponents as written, for the reader to refuse', () => {
    const parsed = only(['a NaN', 'b +Inf', 'c -Inf', 'd Inf', 'e -1.5e-3', 'f .5', 'g 1E3', ''].join('\n'));
    expect(Object.values(parsed.series).map((list) => list[0]!.value)).toEqual([NaN, Infinity, -Infinity, Infinity, -0.0015, 0.5, 1000]);
  });

  it('refuses values that are not numbers: words, hex, an empty value, two dots', () => {
    const parsed = only(['a one', 'b 0x10', 'c', 'd 1.2.3', 'e Infinity', 'f 1_000', 'ok 1', ''].join('\n'));
    expect(Object.keys(parsed.series)).toEqual(['ok']);
    expect(parsed.skippedLines).toBe(6);
  });

  it('keeps an integer timestamp in milliseconds and refuses anything after it', () => {
    const parsed = only(['a 1 1700000000000', 'b{x="y"} 2 -5', 'c 3 17.5', 'd 4 1700000000000 extra', ''].join('\n'));
    expect(parsed.series).toEqual({
      a: [{ labels: {}, value: 1, timestampMs: 1_700_000_000_000 }],
      b: [{ labels: { x: 'y' }, value: 2, timestampMs: -5 }],
    });
    expect(parsed.skippedLines).toBe(2);
  });

  it('reads CRLF line ends as LF ones', () => {
    const parsed = only('# TYPE node_load1 gauge\r\nnode_load1 0.5\r\nnode_x{a="b"} 1 123\r\n\r\n');
    expect(parsed.series).toEqual({ node_load1: [{ labels: {}, value: 0.5 }], node_x: [{ labels: { a: 'b' }, value: 1, timestampMs: 123 }] });
    expect(parsed.skippedLines).toBe(0);
  });

  it('skips a last line without its newline, as an answer cut short may have cut its value too', () => {
    const parsed = only('node_load1 0.42\nnode_load5 0.5');
    expect(Object.keys(parsed.series)).toEqual(['node_load1']);
    expect(parsed.skippedLines).toBe(1);
    expect(only('node_load1 1\n# EOF').skippedLines).toBe(0);
  });

  it('skips the lines of an HTML page, counting them, and never throws', () => {
    const parsed = only('<html>\n<head><title>Node Exporter</title></head>\n<body>node_load1 is not here</body>\n</html>\n');
    expect(parsed.series).toEqual({});
    expect(parsed.sampleLines).toBe(0);
    expect(parsed.skippedLines).toBe(4);
  });

  it('keeps only the names and prefixes asked for, while checking every line', () => {
    const text = 'go_goroutines 7\nnode_load1 1\nnode_cpu_seconds_total{cpu="0",mode="user"} 5\nDCGM_FI_DEV_GPU_UTIL{gpu="0"} 9\nbroken{ 1\n';
    const parsed = only(text, { names: new Set(['node_load1']), prefixes: ['DCGM_'] });
    expect(Object.keys(parsed.series)).toEqual(['node_load1', 'DCGM_FI_DEV_GPU_UTIL']);
    expect(parsed.sampleLines).toBe(4);
    expect(parsed.skippedLines).toBe(1);
  });

  it('takes a `__proto__` label as a label, not as the object prototype', () => {
    const labels = only('node_x{__proto__="polluted",constructor="c"} 1\n').series.node_x![0]!.labels;
    expect(labels.__proto__).toBe('polluted');
    expect(labels.constructor).toBe('c');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('caps the series kept per name and in all, counting the rest', () => {
    const flood = Array.from({ length: MAX_SERIES_PER_NAME + 10 }, (_, index) => `node_flood{i="${index}"} 1\n`).join('');
    const parsed = parseExposition(flood, ALL);
    expect(parsed.series.get('node_flood')).toHaveLength(MAX_SERIES_PER_NAME);
    expect(parsed.droppedSeries).toBe(10);

    const names = Math.ceil(MAX_KEPT_SERIES / 1000) + 2;
    const many = Array.from({ length: names * 1000 }, (_, index) => `node_n${Math.floor(index / 1000)}{i="${index}"} 1\n`).join('');
    const wide = parseExposition(many, ALL);
    expect([...wide.series.values()].reduce((sum, list) => sum + list.length, 0)).toBe(MAX_KEPT_SERIES);
    expect(wide.droppedSeries).toBe(names * 1000 - MAX_KEPT_SERIES);
  });

  it('reads 16 MB of node_exporter-shaped text, keeping only what was asked and at most the cap per name', () => {
    const block = [
      '# HELP node_network_receive_packets_total Network device statistic receive_packets.',
      '# TYPE node_network_receive_packets_total counter',
      ...Array.from({ length: 40 }, (_, index) => `node_network_receive_packets_total{device="veth${index}a1b2c3"} 1.234567e+07`),
      ...Array.from({ length: 8 }, (_, index) => `node_cpu_seconds_total{cpu="${index}",mode="idle"} 38653.29`),
      'node_load1 0.42',
    ].join('\n');
    const body = `${block}\n`.repeat(Math.ceil((16 * 1024 * 1024) / (block.length + 1)));
    const parsed = parseExposition(body, { names: new Set(['node_load1', 'node_cpu_seconds_total']) });
    expect(parsed.skippedLines).toBe(0);
    expect(parsed.series.get('node_load1')!.length).toBeGreaterThan(100);
    expect(parsed.series.get('node_cpu_seconds_total')).toHaveLength(MAX_SERIES_PER_NAME);
  });
});
