// The pure quant core: no RxJS, no I/O, no clock.
export * from './fees.js';
export * from './normal.js';
export * from './ewma.js';
export * from './probability.js';
export * from './toxicity.js';
export * from './targetTotal.js';
export * from './ticks.js';
export * from './caps.js';
export * from './ladder.js';
export * from './skew.js';
export * from './inventory.js';
export * from './risk.js';
export * from './quote.js';
export * from './twap.js';
export * from './plausibility.js';
