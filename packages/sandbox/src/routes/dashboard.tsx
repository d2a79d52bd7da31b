import { Hono } from 'hono';
import { DashboardPage } from '../pages/dashboard.js';
import { SEED_BUYERS } from '../seed.js';
import { listBuyers, listMerchants, listNotifications, listTrades } from '../services/index.js';
import type { AppEnv, Web } from './web-context.js';

/** `/`: the dashboard. The seeded buyers' passwords are public knowledge (README), so it shows them. */
export function dashboardRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;
  app.get('/', async (c) => {
    const [merchants, buyers, trades, notifications] = await Promise.all([
      listMerchants(deps),
      listBuyers(deps),
      listTrades(deps, { limit: 50 }),
      listNotifications(deps, { limit: 50 }),
    ]);
    const passwords = new Map(SEED_BUYERS.map((b) => [b.userId, `${b.loginPassword} / ${b.payPassword}`]));
    return c.html(
      <DashboardPage
        publicUrl={deps.publicUrl}
        merchants={merchants}
        buyers={buyers.map((b) => ({ ...b, ...(passwords.has(b.userId) ? { passwords: passwords.get(b.userId)! } : {}) }))}
        trades={trades}
        notifications={notifications}
        now={deps.clock.now()}
      />,
    );
  });
  return app;
}
