// The live dashboard: the pure fold and render, and `polymm start` on a terminal (tmux), where the
// screen is redrawn in place and shows the fresh market quoted with its price to beat.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EMPTY_DASHBOARD, foldDashboard, renderDashboard } from '../../src/cli/dashboard.js';
import type { BotEvent, DesiredOrder } from '../../src/domain/index.js';
import { bookEv, chainlink, fillEv, market, START, up } from '../support/events.js';

const order = (outcome: 'up' | 'down', price: number): DesiredOrder => ({
  outcome,
  tokenId: outcome === 'up' ? 'UP' : 'DOWN',
  level: 0,
  price,
  size: 10,
  side: 'BUY',
  postOnly: true,
  orderType: 'GTC',
});

describe('dashboard render', () => {
  it('shows time to cutoff, price to beat, q_up, regime, ours against the book, inventory, PnL and health', () => {
    const events: BotEvent[] = [
      up('market', START - 5_000),
      up('user', START - 5_000),
      { kind: 'market', tsMs: START - 5_000, market },
      chainlink(START - 1_000, 99_990),
      chainlink(START + 500, 100_010),
      chainlink(START + 60_000, 100_050),
      bookEv('UP', START + 1_000, 0.52, 0.55),
      bookEv('DOWN', START + 1_000, 0.44, 0.47),
      {
        kind: 'alpha',
        tsMs: START + 2_000,
        conditionId: market.conditionId,
        qUp: 0.61,
        regime: 'NORMAL',
        regimeReasons: [],
        targetTotal: 0.98,
        capUp: 0.59,
        capDown: 0.37,
        varPerS: 1e-8,
        sizeScalar: 1,
      } as unknown as BotEvent,
      {
        kind: 'decision',
        tsMs: START + 2_000,
        desired: {
          tsMs: START + 2_000,
          conditionId: market.conditionId,
          slug: market.slug,
          orders: [order('up', 0.51), order('down', 0.43)],
        },
      },
      fillEv('UP', 10, 0.51, START + 3_000),
    ];
    const s = events.reduce((acc, ev) => foldDashboard(acc, ev, 60_000), EMPTY_DASHBOARD);
    const screen = renderDashboard(s, START + 120_000, 60_000).join('\n');
    expect(screen).toMatch(/BTC 100050\.00/);
    expect(screen).toMatch(/feeds: market {2}user/);
    expect(screen).toContain(`${market.slug}`);
    expect(screen).toMatch(
      /12:00 +100010\.00 +0\.610 +NORMAL +0\.51 \| 0\.52\/0\.55 +0\.43 \| 0\.44\/0\.47 +10\.0\/0\.0 \(10\.0\)/,
    );
  });

  it('no price to beat for a market joined after its start', () => {
    const events: BotEvent[] = [
      { kind: 'market', tsMs: START + 5_000, market },
      chainlink(START + 4_000, 100_000),
      chainlink(START + 6_000, 100_001),
    ];
    const s = events.reduce((acc, ev) => foldDashboard(acc, ev, 60_000), EMPTY_DASHBOARD);
    expect(s.priceToBeat.size).toBe(0);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('polymm start on a terminal', () => {
  it('redraws the dashboard in place and shows the fresh market quoted', async () => {
    const session = `polymm-dash-${process.pid}`;
    const cmd = `${process.execPath} --import tsx src/index.ts start --duration 60s --metricsPort 0 --eventLogDir $(mktemp -d) --sim.weeklyRestart false; sleep 30`;
    expect(
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '30', cmd], { cwd: process.cwd() })
        .status,
    ).toBe(0);
    try {
      let pane = '';
      const end = Date.now() + 50_000;
      while (Date.now() < end) {
        pane = spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
        // The fresh market's row: minutes to cutoff, a price to beat, and our Up quote against the book.
        if (/btc-updown-15m-\d+ +\d+:\d\d +\d+\.\d\d +\d\.\d{3} +\w+ +\d\.\d\d \|/.test(pane)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(pane).toMatch(/btc-updown-15m-\d+ +\d+:\d\d +\d+\.\d\d +\d\.\d{3} +\w+ +\d\.\d\d \|/);
      expect(pane.match(/^polymm {2}\d\d:\d\d:\d\d UTC/gm)).toHaveLength(1); // redrawn in place, not scrolled
      expect(pane).toMatch(/feeds: .*market.*user/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 70_000);
});
