// Calibration figures of the simulated market (README "The simulated market"): one 15-minute
// market per scenario and seed, measured like a real book. `npx tsx bench/simMarket.ts [seeds]`;
// `sim.*`-style overrides as JSON in SIM_OVERRIDES, e.g. SIM_OVERRIDES='{"makers":12}'.
import { measureMarket } from '@polymm/venue';
import { SCENARIOS } from '@polymm/venue';
import type { VScenario } from '@polymm/venue';

const START = Date.UTC(2026, 10, 24, 20, 0, 0); // a 15-minute boundary
const seeds = Number(process.argv[2] ?? 2);
const overrides = JSON.parse(process.env.SIM_OVERRIDES ?? '{}') as Record<string, number>;
const round = (x: number): number => Math.round(x * 1000) / 1000;
for (const scenario of Object.keys(SCENARIOS) as VScenario[]) {
  for (let seed = 1; seed <= seeds; seed++) {
    const s = measureMarket({ startMs: START, scenario, seed, scenarioOverrides: overrides }, 840);
    console.log(
      JSON.stringify({
        simMarket: { scenario, seed, ...Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)])) },
      }),
    );
  }
}
