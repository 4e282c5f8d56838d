// The venue without its servers, as `@polymm/venue/in-process`: the core, the socket hub and what
// a user in the same process (the bot's backtest) puts around them. It loads no HTTP server, no
// Ethereum library and no CLOB client (those are ~65 MB of RSS and ~28 MB of heap, a third of a
// day-long backtest's memory). `@polymm/venue` exports all of this too.
export { STEP_MS } from './core/prices.js';
export { createRng } from './core/rng.js';
export type { VenueCore, VenueEvent, VMarket, VOrder, VPlaceResult, VScenario, VTrade } from './core/types.js';
export { createVenueCore } from './core/venue.js';
export { CredStore } from './server/creds.js';
export { FaultController } from './server/faults.js';
export { SocketHub } from './server/sockets.js';
export type { SocketKind, ValueSocket } from './server/sockets.js';
export { gammaBookPrices, gammaMarket, tradeRecord } from './server/wire.js';
export type { KeyOf } from './server/wire.js';
