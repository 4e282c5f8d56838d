// Tick-grid rounding, float-safe: prices are handled as integer tick counts.

const EPS = 1e-9;

export function tickDecimals(tick: number): number {
  const text = String(tick);
  const dot = text.indexOf('.');
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return dot < 0 ? 0 : text.length - dot - 1;
}

const gridPrice = (ticks: number, tick: number): number => Number((ticks * tick).toFixed(tickDecimals(tick)));

/**
 * The grid's prices per tick size, computed once: rounding runs for every quote of every decision
 * and toFixed is its cost. Markets use a handful of tick sizes; the cache is bounded regardless.
 */
const grids = new Map<number, number[]>();
const MAX_GRID_TICKS = 10_000;

const toGrid = (ticks: number, tick: number): number => {
  let grid = grids.get(tick);
  if (!grid) {
    const n = Math.round(1 / tick);
    if (!(n >= 1 && n <= MAX_GRID_TICKS)) return gridPrice(ticks, tick);
    if (grids.size >= 16) grids.clear();
    grid = Array.from({ length: n + 1 }, (_, i) => gridPrice(i, tick));
    grids.set(tick, grid);
  }
  return Number.isInteger(ticks) && ticks >= 0 && ticks < grid.length ? grid[ticks]! : gridPrice(ticks, tick);
};

/** Clamp to [tick, 1 - tick] on the grid (nearest grid point). */
export function clampPrice(price: number, tick: number): number {
  const maxTicks = Math.round(1 / tick) - 1;
  const n = Math.min(maxTicks, Math.max(1, Math.round(price / tick)));
  return toGrid(n, tick);
}

/** Bids round down: never pay more than asked. 0.29 stays 0.29 on a 0.01 grid. */
export function roundBidDown(price: number, tick: number): number {
  const maxTicks = Math.round(1 / tick) - 1;
  const n = Math.floor(price / tick + EPS);
  return toGrid(Math.min(maxTicks, Math.max(1, Number.isFinite(n) ? n : 1)), tick);
}

/** Asks round up. */
export function roundAskUp(price: number, tick: number): number {
  const maxTicks = Math.round(1 / tick) - 1;
  const n = Math.ceil(price / tick - EPS);
  return toGrid(Math.min(maxTicks, Math.max(1, Number.isFinite(n) ? n : maxTicks)), tick);
}

export function isOnGrid(price: number, tick: number): boolean {
  const n = price / tick;
  return Math.abs(n - Math.round(n)) < 1e-6 && price >= tick - EPS && price <= 1 - tick + EPS;
}

/** Sizes to 2 decimals, rounding down (never more than intended). */
export function roundSize(size: number): number {
  if (!(size > 0) || !Number.isFinite(size)) return 0;
  return Math.floor(size * 100 + EPS) / 100;
}
