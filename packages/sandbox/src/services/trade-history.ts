import type { SandboxDeps } from '../deps.js';
import { listRefunds } from './escrow-refunds.js';
import { listNotifications } from './observation.js';
import { getTrade, tradeEvents } from './trades.js';
import type { NotificationWithAttempts, Refund, Trade, TradeEvent } from './types.js';

/** A change of the trade and the notifications it caused (with their replays after them). */
export interface TimelineEntry {
  event: TradeEvent;
  notifications: NotificationWithAttempts[];
}

export interface TradeHistory {
  trade: Trade;
  timeline: TimelineEntry[];
  /** Notifications no event explains (none, unless written by hand). */
  unexplained: NotificationWithAttempts[];
  refunds: Refund[];
}

/** A trade with its history: every event beside the notifications it caused. */
export async function tradeHistory(deps: SandboxDeps, tradeNo: string): Promise<TradeHistory | undefined> {
  const trade = await getTrade(deps, tradeNo);
  if (!trade) return undefined;
  const [events, notifications, refunds] = await Promise.all([tradeEvents(deps, tradeNo), listNotifications(deps, { tradeNo, limit: 10_000 }), listRefunds(deps, tradeNo)]);
  return { trade, ...pairEvents(events, notifications), refunds };
}

/**
 * Which event caused which notification. A notifying change writes its event and its notification
 * in one transaction at one time (services/trade-store.ts), and the notification reports the
 * status the event led to, so each event takes the first notification not yet taken with its time
 * and status. A replay goes with the notification it replays.
 */
export function pairEvents(events: TradeEvent[], notifications: NotificationWithAttempts[]): { timeline: TimelineEntry[]; unexplained: NotificationWithAttempts[] } {
  const timeline: TimelineEntry[] = events.map((event) => ({ event, notifications: [] }));
  const home = new Map<number, TimelineEntry>();
  const unexplained: NotificationWithAttempts[] = [];
  for (const n of [...notifications].sort((a, b) => a.id - b.id)) {
    const entry =
      n.replayOf !== null
        ? home.get(n.replayOf)
        : timeline.find(
            (e) => e.event.at === n.createdAt && e.event.toStatus === n.params.trade_status && !e.notifications.some((m) => m.replayOf === null),
          );
    if (!entry) {
      unexplained.push(n);
      continue;
    }
    entry.notifications.push(n);
    home.set(n.id, entry);
  }
  return { timeline, unexplained };
}
