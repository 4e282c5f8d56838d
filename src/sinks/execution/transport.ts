// The HTTP transport under the official client, which sends every REST call through axios' default
// instance. Configured once, through axios' public defaults:
// - no redirect following: the CLOB API does not redirect, and with redirects on axios wraps every
//   request in follow-redirects (measured ~0.1–0.2 ms per request on loopback);
// - a request timeout, so a hung call cannot hold a market's order lock (and its cancels) forever.
// Node's global agents already keep connections alive, so there is no handshake per batch.
// (The client's L2 HMAC is patched to node:crypto: see patches/ and the README.)
import axios from 'axios';

export function configureRestTransport(timeoutMs: number): void {
  axios.defaults.maxRedirects = 0;
  axios.defaults.timeout = timeoutMs;
}
