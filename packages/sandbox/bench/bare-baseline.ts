/**
 * The limit of the sandbox's design on this machine, for the flow bench to measure beside it: a
 * bare Hono app on @hono/node-server over the same store (Kysely on SQLite or PostgreSQL), serving
 * the flow bench's three exchanges with the same transactions and about the same statements as the
 * sandbox, and nothing else — no parameter checks, no signing, no pages, no rules:
 *
 * - `GET /gateway.do?out_trade_no=…&notify_url=…`: one transaction (look the trade up, insert it,
 *   insert its event), then 303;
 * - `POST /sandbox/api/pay {out_trade_no}`: one transaction (the buyer, the balance, the trade, its
 *   event, the notification, its notify_id), then 200 JSON;
 * - the notification: claimed in batches of up to 8 (one transaction), POSTed with the real
 *   gateway's headers (`Connection: close`, a connection each, as the sandbox sends them), the
 *   outcomes recorded together (one transaction: the attempts, the notifications).
 *
 *   node --import tsx bench/bare-baseline.ts <sqlite file | postgres://…>
 * prints `bare baseline on http://127.0.0.1:PORT` once it listens.
 */
import { request } from 'node:http';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { notificationHeaders } from 'alipay-legacy/protocol';

const location = process.argv[2] ?? ':memory:';
const postgres = /^postgres(ql)?:\/\//.test(location);
const db = new Kysely<unknown>({
  dialect: postgres ? new PostgresDialect({ pool: new pg.Pool({ connectionString: location, max: 10 }) }) : new SqliteDialect({ database: sqliteDatabase(location) }),
});

function sqliteDatabase(file: string): Database.Database {
  const d = new Database(file);
  d.pragma('journal_mode = WAL');
  d.pragma('synchronous = OFF');
  return d;
}

const id = postgres ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
for (const ddl of [
  sql`create table if not exists trades (trade_no text primary key, partner text not null, out_trade_no text not null, status text not null, total_fen bigint not null, notify_url text not null, unique (partner, out_trade_no))`,
  sql`create table if not exists trade_events (id ${id}, trade_no text not null, kind text not null, at bigint not null)`,
  sql`create table if not exists buyers (user_id text primary key, balance_fen bigint not null)`,
  sql`create table if not exists notifications (id ${id}, trade_no text not null, url text not null, body text not null, state text not null, attempts integer not null)`,
  sql`create table if not exists notify_ids (notify_id text primary key, notification_id bigint not null)`,
  sql`create table if not exists attempts (id ${id}, notification_id bigint not null, status integer, at bigint not null)`,
  sql`create index if not exists notifications_due on notifications (state, id)`,
]) {
  await ddl.execute(db);
}
await sql`insert into buyers (user_id, balance_fen) values ('buyer', 100000000000) on conflict do nothing`.execute(db);

let sequence = 0;
const app = new Hono();

app.get('/gateway.do', async (c) => {
  const outTradeNo = c.req.query('out_trade_no') ?? '';
  const tradeNo = `${Date.now()}${++sequence}`;
  await db.transaction().execute(async (trx) => {
    await sql`select * from trades where partner = ${'p'} and out_trade_no = ${outTradeNo}`.execute(trx);
    await sql`insert into trades (trade_no, partner, out_trade_no, status, total_fen, notify_url) values (${tradeNo}, ${'p'}, ${outTradeNo}, ${'WAIT_BUYER_PAY'}, ${1}, ${c.req.query('notify_url') ?? ''})`.execute(trx);
    await sql`insert into trade_events (trade_no, kind, at) values (${tradeNo}, ${'created'}, ${Date.now()})`.execute(trx);
  });
  return c.redirect(`/cashier/${tradeNo}`, 303);
});

app.post('/sandbox/api/pay', async (c) => {
  const { out_trade_no: outTradeNo } = await c.req.json<{ out_trade_no: string }>();
  const notifyId = `${Date.now()}${++sequence}`;
  const paid = await db.transaction().execute(async (trx) => {
    await sql`select * from buyers where user_id = ${'buyer'}`.execute(trx);
    await sql`update buyers set balance_fen = balance_fen - ${1} where user_id = ${'buyer'} and balance_fen >= ${1}`.execute(trx);
    const trade = (await sql<{ trade_no: string; notify_url: string }>`select * from trades where partner = ${'p'} and out_trade_no = ${outTradeNo}`.execute(trx)).rows[0]!;
    await sql`update trades set status = ${'TRADE_SUCCESS'} where trade_no = ${trade.trade_no}`.execute(trx);
    await sql`insert into trade_events (trade_no, kind, at) values (${trade.trade_no}, ${'paid'}, ${Date.now()})`.execute(trx);
    const body = `out_trade_no=${encodeURIComponent(outTradeNo)}&trade_status=TRADE_SUCCESS&notify_id=${notifyId}`;
    const inserted = await sql<{ id: number }>`insert into notifications (trade_no, url, body, state, attempts) values (${trade.trade_no}, ${trade.notify_url}, ${body}, ${'pending'}, ${0}) returning id`.execute(trx);
    await sql`insert into notify_ids (notify_id, notification_id) values (${notifyId}, ${inserted.rows[0]!.id})`.execute(trx);
    return trade;
  });
  wake();
  return c.json({ trade_no: paid.trade_no, trade_status: 'TRADE_SUCCESS' });
});

// The delivery loop: claim up to 8, send them, record their outcomes together; again while any are
// due, and again when a payment woke it meanwhile.
let running = false;
let woken = false;
function wake(): void {
  woken = true;
  if (running) return;
  running = true;
  void loop();
}
async function loop(): Promise<void> {
  while (woken) {
    woken = false;
    await deliver();
  }
  running = false;
}
async function deliver(): Promise<void> {
  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      const due = (await sql<{ id: number; url: string; body: string }>`select id, url, body from notifications where state = ${'pending'} order by id limit 8`.execute(trx)).rows;
      if (due.length > 0) await sql`update notifications set state = ${'sending'} where id in (${sql.join(due.map((d) => d.id))})`.execute(trx);
      return due;
    });
    if (claimed.length === 0) return;
    const statuses = await Promise.all(claimed.map((n) => post(n.url, n.body)));
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < claimed.length; i++) {
        await sql`insert into attempts (notification_id, status, at) values (${claimed[i]!.id}, ${statuses[i]!}, ${Date.now()})`.execute(trx);
      }
      await sql`update notifications set state = ${'acknowledged'}, attempts = attempts + 1 where id in (${sql.join(claimed.map((d) => d.id))})`.execute(trx);
    });
  }
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { ...notificationHeaders('utf-8'), 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`bare baseline on http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => void db.destroy().finally(() => process.exit(0)));
