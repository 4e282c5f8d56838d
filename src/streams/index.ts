// The streams layer: the edges that read the world and turn it into typed domain events.
export { clock$ } from './clock.js';
export { activeMarkets, discovery$, slugFor, currentAndNextStarts, INTERVAL_MS } from './discovery.js';
export { marketData$, type MarketDataEvent } from './marketData.js';
export { userData$, type UserDataEvent, type UserReconciler } from './userData.js';
export { prices$, type PriceFeedEvent } from './prices.js';
export type { StreamDeps } from './deps.js';
