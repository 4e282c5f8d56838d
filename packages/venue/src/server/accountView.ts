// What the venue holds for one account, as `GET /control/account?owner=` answers it: its resting
// orders, its positions and the orders it had accepted since this process started (with the
// venue's time). The fault matrix reads a venue running as its own process through this; the
// in-process matrix reads the core directly.
import type { VenueCore } from '../core/types.js';

export interface Accepted {
  readonly tokenId: string;
  readonly orderType: string;
  /** Venue time of the accept, epoch ms. */
  readonly atMs: number;
}

export interface AccountView {
  readonly orders: readonly { readonly id: string; readonly tokenId: string; readonly createdMs: number }[];
  readonly positions: Readonly<Record<string, number>>;
  readonly accepted: readonly Accepted[];
}

/** Kept per account (oldest dropped): enough for a test run, bounded for a venue left running. */
const ACCEPTED_KEPT = 5_000;

/** Record every order the core accepts (wraps `placeOrder`); the view of an account on demand. */
export function accountViews(core: VenueCore): (owner: string) => AccountView {
  const accepted = new Map<string, Accepted[]>();
  const place = core.placeOrder.bind(core);
  core.placeOrder = (req, nowMs) => {
    const r = place(req, nowMs);
    if (r.success) {
      const list = accepted.get(req.owner) ?? [];
      list.push({ tokenId: req.tokenId, orderType: req.orderType, atMs: nowMs });
      if (list.length > ACCEPTED_KEPT) list.splice(0, list.length - ACCEPTED_KEPT);
      accepted.set(req.owner, list);
    }
    return r;
  };
  return (owner) => {
    const who = owner.toLowerCase();
    return {
      orders: core.openOrders(who).map((o) => ({ id: o.id, tokenId: o.tokenId, createdMs: o.createdMs })),
      positions: { ...core.balance(who).positions },
      accepted: [...(accepted.get(who) ?? [])],
    };
  };
}
