/** Test-only parser of the Prometheus text exposition: samples by `name{labels}`, and TYPE lines. */
export interface Exposition {
  readonly samples: Map<string, number>;
  readonly types: Map<string, string>;
  /** Value of the first sample of `name` whose labels include every given label. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)(\s+\d+)?$/;

export function parseExposition(text: string): Exposition {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    if (Number.isNaN(value) && m[4] !== 'NaN') throw new Error(`bad value in: ${line}`);
    samples.set(`${m[1]}{${m[3] ?? ''}}`, value);
  }
  return {
    samples,
    types,
    value(name, labels = {}) {
      for (const [key, v] of samples) {
        const [n, rest] = [key.slice(0, key.indexOf('{')), key.slice(key.indexOf('{') + 1, -1)];
        if (n !== name) continue;
        if (Object.entries(labels).every(([k, val]) => rest.split(',').includes(`${k}="${val}"`))) return v;
      }
      return undefined;
    },
  };
}
