// Shared test helpers for the quant tests.
import { loadConfig } from '../../src/config/load.js';
export * from '../../src/quant/index.js';

export const loadDefaultsForTest = () => loadConfig({});
