// Deployment files that cannot run here are checked by parsing them: the compose file is valid and
// wired (secrets, health check, Prometheus target, Grafana provisioning), every metric a dashboard
// panel queries is exported, the systemd unit has what systemd needs, the Dockerfile is multi-stage,
// non-root and health-checked, and every PMM_ variable they set is one the config loader knows.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configPaths, envNameOf, loadConfig } from '../../src/config/load.js';
import { ENV_ALIASES } from '../../src/config/schema.js';
import { createMetrics } from '../../src/sinks/metrics.js';

const root = resolve(__dirname, '../..');
const deploy = (p: string): string => join(root, 'deploy', p);
const read = (p: string): string => readFileSync(p, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Every PMM_ name the loader accepts (settings, secret aliases, their _FILE forms, the keys file). */
const knownEnv = new Set([
  ...configPaths().map(envNameOf),
  ...Object.keys(ENV_ALIASES),
  ...Object.keys(ENV_ALIASES).map((n) => `${n}_FILE`),
  'PMM_API_CREDENTIALS_FILE',
  'PMM_CONFIG',
]);

/** Names a scrape of a fresh registry can show (histograms as _bucket/_sum/_count). */
async function exportedNames(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of await createMetrics().registry.getMetricsAsJSON()) {
    out.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(m.name + s);
  }
  return out;
}

describe('Grafana dashboard and Prometheus config', () => {
  const dashboard = JSON.parse(read(deploy('grafana/dashboards/polymm.json'))) as Loose;

  it('every metric a panel queries is exported', async () => {
    const exported = await exportedNames();
    const queried = new Set<string>();
    for (const p of dashboard.panels as Loose[])
      for (const t of p.targets as Loose[])
        for (const m of String(t.expr).match(/\bpolymm_[a-z0-9_]+/g) ?? []) queried.add(m);
    expect(queried.size).toBeGreaterThan(15);
    expect([...queried].filter((m) => !exported.has(m))).toEqual([]);
    // The spec's list is on the dashboard.
    for (const m of [
      'ws_market_connected',
      'ws_user_connected',
      'rtds_connected',
      'ws_message_lag_ms_bucket',
      'order_submit_latency_ms_bucket',
      'order_rejects_total',
      'fills_total',
      'unpaired_shares',
      'pnl_realized_usdc',
      'fee_paid_usdc',
      'rebate_estimated_usdc',
    ])
      expect(queried).toContain(`polymm_${m}`);
  });

  it('panels use the provisioned data source; ids and grid positions are sound', () => {
    const ds = parseYaml(read(deploy('grafana/provisioning/datasources/prometheus.yml'))) as Loose;
    const uid = ds.datasources[0].uid as string;
    const ids = new Set<number>();
    for (const p of dashboard.panels as Loose[]) {
      expect(p.datasource.uid).toBe(uid);
      expect(ids.has(p.id)).toBe(false);
      ids.add(p.id);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
    expect(dashboard.uid).toBe('polymm');
  });

  it('Prometheus scrapes the bot service on the metrics port', () => {
    const prom = parseYaml(read(deploy('prometheus/prometheus.yml'))) as Loose;
    const job = (prom.scrape_configs as Loose[]).find((j) => j.job_name === 'polymm');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0].targets).toEqual([`bot:${loadConfig({}).metricsPort}`]);
  });
});

describe('docker-compose', () => {
  const compose = parseYaml(read(deploy('docker-compose.yml'))) as Loose;

  it('runs the bot, Prometheus and Grafana, wired together', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'grafana', 'prometheus']);
    const bot = compose.services.bot;
    expect(existsSync(resolve(deploy('.'), bot.build.context, bot.build.dockerfile))).toBe(true);
    expect(bot.healthcheck.test.join(' ')).toContain('/healthz');
    expect(bot.environment.PMM_METRICS_HOST).toBe('0.0.0.0');
    // Every bind-mounted file exists; the dashboards directory holds the dashboard.
    for (const svc of Object.values(compose.services) as Loose[]) {
      for (const v of (svc.volumes ?? []) as string[]) {
        const [src] = v.split(':');
        if (src!.startsWith('.')) expect(existsSync(resolve(deploy('.'), src!)), v).toBe(true);
      }
    }
    expect(compose.services.grafana.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
    const provider = parseYaml(read(deploy('grafana/provisioning/dashboards/polymm.yml'))) as Loose;
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
  });

  it('takes secrets from files, and sets only variables the loader knows', () => {
    const bot = compose.services.bot;
    for (const s of bot.secrets as string[]) expect(compose.secrets[s].file).toMatch(/^\.\/secrets\//);
    expect(bot.environment.PMM_PRIVATE_KEY_FILE).toBe('/run/secrets/pmm_private_key');
    for (const name of Object.keys(bot.environment)) expect(knownEnv, name).toContain(name);
    expect(Object.keys(bot.environment).filter((n) => /PRIVATE_KEY$|SECRET$|PASSPHRASE$/.test(n))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const lines = read(join(root, 'Dockerfile'))
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  it('is multi-stage, runs as a non-root user and checks /healthz', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const last = lines.slice(lines.lastIndexOf(froms.at(-1)!));
    const user = last.find((l) => l.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)$/);
    expect(last.some((l) => l.startsWith('COPY --from='))).toBe(true);
    const health = lines.findIndex((l) => l.startsWith('HEALTHCHECK'));
    expect(lines.slice(health, health + 2).join(' ')).toContain('/healthz');
    for (const m of read(join(root, 'Dockerfile')).matchAll(/\b(PMM_[A-Z_]+)=/g)) expect(knownEnv).toContain(m[1]);
  });
});

describe('systemd unit', () => {
  const sections = new Map<string, Array<[string, string]>>();
  let current = '';
  for (const raw of read(deploy('systemd/polymm.service')).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const sec = /^\[(\w+)\]$/.exec(line);
    if (sec) sections.set((current = sec[1]!), []);
    else {
      const eq = line.indexOf('=');
      expect(eq, `not key=value: ${line}`).toBeGreaterThan(0);
      sections.get(current)!.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  const get = (sec: string, key: string): string[] =>
    (sections.get(sec) ?? []).filter(([k]) => k === key).map(([, v]) => v);

  it('has the fields systemd needs, a clean stop, and secrets as credentials', () => {
    expect([...sections.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(get('Unit', 'Description')).toHaveLength(1);
    expect(get('Service', 'ExecStart')[0]).toMatch(/^\/\S+ /);
    expect(get('Service', 'User')[0]).not.toBe('root');
    expect(get('Service', 'Restart')).toEqual(['on-failure']);
    expect(get('Service', 'KillSignal')).toEqual(['SIGINT']);
    expect(get('Install', 'WantedBy')).toEqual(['multi-user.target']);
    const env = new Map(
      get('Service', 'Environment').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    for (const name of [...env.keys()].filter((n) => n.startsWith('PMM_'))) expect(knownEnv, name).toContain(name);
    expect(env.get('PMM_PRIVATE_KEY_FILE')).toBe('%d/private_key');
    expect(get('Service', 'LoadCredential').map((c) => c.split(':')[0])).toEqual(['private_key', 'api_credentials']);
  });
});
