// The one place for domain types: import from here.
export * from './market.js';
export * from './orders.js';
export * from './events.js';
export * from './auth.js';
export * from './halts.js';
export * from './schedule.js';
export type * from './logger.js';
