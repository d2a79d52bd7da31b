import type { SandboxDeps } from '../deps.js';
import type { Notification, NotificationWithAttempts } from './types.js';

export async function listNotifications(deps: SandboxDeps, query: { partner?: string; outTradeNo?: string; tradeNo?: string; limit?: number } = {}): Promise<NotificationWithAttempts[]> {
  void deps; void query;
  throw new Error('not implemented');
}
/** Sends a notification again as a new one (same parameters, fresh notify_id and notify_time, re-signed). */
export async function replayNotification(deps: SandboxDeps, id: number): Promise<Notification> {
  void deps; void id;
  throw new Error('not implemented');
}
