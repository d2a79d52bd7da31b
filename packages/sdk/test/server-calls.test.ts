import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayError, GatewayError, resolveConfig, type AlipayConfig } from '../src/index.js';
import { parseForm } from '../src/protocol.js';
import { createDirectPayByUser } from '../src/requests/direct-pay.js';
import { replyCharset } from '../src/requests/gateway-call.js';
import { closeTrade, queryTimestamp, sendGoodsConfirmByPlatform, singleTradeQuery } from '../src/requests/server-calls.js';

/**
 * A loopback stand-in for the gateway's server-to-server replies: the first path segment picks a
 * canned answer; every request is recorded with its raw body.
 */
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}
let server: Server;
let base: string;
let closedPort: number;
const recorded: Recorded[] = [];
const hanging: IncomingMessage[] = [];

const TRADE_XML = `<?xml version="1.0" encoding="utf-8"?>
<alipay>
  <is_success>T</is_success>
  <request><param name="out_trade_no">A1</param><param name="service">single_trade_query</param></request>
  <response>
    <trade>
      <trade_no>2015051900001000980052833539</trade_no><out_trade_no>A1</out_trade_no>
      <subject>Tom &amp; Jerry</subject><trade_status>TRADE_SUCCESS</trade_status>
      <total_fee>640.00</total_fee><price>640.00</price><quantity>1</quantity><discount>-1.50</discount>
      <to_buyer_fee>0.00</to_buyer_fee><gmt_payment>2015-05-19 09:20:36</gmt_payment>
      <is_total_fee_adjust>F</is_total_fee_adjust><buyer_id>2088202561123456</buyer_id>
    </trade>
  </response>
  <sign>abc</sign><sign_type>MD5</sign_type>
</alipay>`;

const GBK_XML = '<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><response><trade><trade_no>2015051900001000980052833539</trade_no><out_trade_no>G1</out_trade_no><subject>《三体》全集</subject><trade_status>WAIT_BUYER_PAY</trade_status><total_fee>88.00</total_fee></trade></response></alipay>';

const ANSWERS: Record<string, (res: ServerResponse) => void> = {
  trade: (res) => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(TRADE_XML),
  missing: (res) =>
    res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>'),
  status: (res) =>
    res.writeHead(200, { 'content-type': 'text/xml' }).end('<alipay><is_success>F</is_success><error>TRADE_STATUS_NOT_AVAILD</error></alipay>'),
  garbage: (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('this is not XML at all'),
  truncated: (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<alipay><is_success>T</is_success><response><trade>'),
  bad502: (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Bad Gateway</body></html>'),
  gbk: (res) => res.writeHead(200, { 'content-type': 'text/xml; charset=GBK' }).end(iconv.encode(GBK_XML, 'gbk')),
  gbkdecl: (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(iconv.encode(GBK_XML, 'gbk')),
  ok: (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>'),
  timestamp: (res) =>
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end('<alipay><is_success>T</is_success><response><timestamp><encrypt_key>KPrzY9IGG9iM9PgLGw==</encrypt_key></timestamp></response></alipay>'),
  nokey: (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<alipay><is_success>T</is_success><response/></alipay>'),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const scenario = url.pathname.split('/')[1] ?? '';
      recorded.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      if (scenario === 'hang') {
        hanging.push(req);
        return; // never answers
      }
      const answer = ANSWERS[scenario];
      if (answer) answer(res);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port with nothing listening: bind, note it, close.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  for (const req of hanging) req.socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const KEY = '10000000000000000000000000000000';
const PARTNER = '2088101122136241';
const config = (scenario: string, extra: Partial<AlipayConfig> = {}) =>
  resolveConfig({ partner: PARTNER, key: KEY, gateway: `${base}/${scenario}/gateway.do`, timeoutMs: 2000, ...extra });

async function failure(promise: Promise<unknown>): Promise<AlipayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AlipayError);
    return err as AlipayError;
  }
  throw new Error('expected a failure');
}

function lastRequest(): Recorded {
  return recorded[recorded.length - 1]!;
}

function independentMd5(params: Record<string, string>, charset: string): string {
  const presign = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5').update(iconv.encode(presign + KEY, charset)).digest('hex');
}

describe('single_trade_query over a loopback gateway (protocol.md §1.3, §4.9)', () => {
  it('POSTs the signed form to gateway.do?_input_charset=utf-8, like the official v3.3 SDK', async () => {
    await singleTradeQuery(config('trade'), { out_trade_no: 'A1' });
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/trade/gateway.do');
    expect(Object.fromEntries(req.query)).toEqual({ _input_charset: 'utf-8' });
    expect(req.contentType).toBe('application/x-www-form-urlencoded; charset=utf-8');
    const form = { ...parseForm(req.body, 'utf-8') };
    expect(form).toMatchObject({ service: 'single_trade_query', _input_charset: 'utf-8', partner: PARTNER, out_trade_no: 'A1', sign_type: 'MD5' });
    expect(form.sign).toBe(independentMd5(form, 'utf-8'));
  });

  it('returns the trade typed, with amounts as sent and in fen', async () => {
    const result = await singleTradeQuery(config('trade'), { out_trade_no: 'A1' });
    expect(result.trade).toMatchObject({
      trade_no: '2015051900001000980052833539',
      out_trade_no: 'A1',
      subject: 'Tom & Jerry',
      trade_status: 'TRADE_SUCCESS',
      total_fee: '640.00',
      gmt_payment: '2015-05-19 09:20:36',
      is_total_fee_adjust: 'F',
    });
    expect(result.fen).toEqual({ total_fee: 64000, price: 64000, discount: -150, to_buyer_fee: 0 });
    expect(result.quantity).toBe(1);
    expect(result.reply.sign).toBe('abc');
    expect(result.reply.request.service).toBe('single_trade_query');
  });

  it('throws GatewayError(TRADE_NOT_EXIST) for <is_success>F</is_success><error>TRADE_NOT_EXIST</error>', async () => {
    const err = await failure(singleTradeQuery(config('missing'), { trade_no: '2015051900001000980052833539' }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe('TRADE_NOT_EXIST');
  });

  it('throws malformed_xml for a reply that is not XML, quoting its start', async () => {
    const err = await failure(singleTradeQuery(config('garbage'), { out_trade_no: 'A1' }));
    expect(err.code).toBe('malformed_xml');
    expect(err.message).toContain('"this is not XML at all"');
    expect(err.cause).toBeInstanceOf(AlipayError);
  });

  it('throws malformed_xml for a truncated reply', async () => {
    expect((await failure(singleTradeQuery(config('truncated'), { out_trade_no: 'A1' }))).code).toBe('malformed_xml');
  });

  it('throws malformed_xml for a T reply without a trade', async () => {
    const err = await failure(singleTradeQuery(config('ok'), { out_trade_no: 'A1' }));
    expect(err.code).toBe('malformed_xml');
    expect(err.message).toMatch(/no <response><trade>/);
  });

  it('throws gateway_http_error for an HTML error page with a 502', async () => {
    const err = await failure(singleTradeQuery(config('bad502'), { out_trade_no: 'A1' }));
    expect(err.code).toBe('gateway_http_error');
    expect(err.message).toMatch(/HTTP 502/);
  });

  it('throws gateway_timeout when the gateway hangs past config.timeoutMs', async () => {
    const started = Date.now();
    const err = await failure(singleTradeQuery(config('hang', { timeoutMs: 300 }), { out_trade_no: 'A1' }));
    expect(err.code).toBe('gateway_timeout');
    expect(err.message).toMatch(/300 ms/);
    expect(err.cause).toBeDefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('throws gateway_unreachable with the cause when nothing listens', async () => {
    const err = await failure(
      singleTradeQuery(resolveConfig({ partner: PARTNER, key: KEY, gateway: `http://127.0.0.1:${closedPort}/gateway.do` }), { out_trade_no: 'A1' }),
    );
    expect(err.code).toBe('gateway_unreachable');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('decodes a GBK reply by its Content-Type charset', async () => {
    const result = await singleTradeQuery(config('gbk'), { out_trade_no: 'G1' });
    expect(result.trade.subject).toBe('《三体》全集');
    expect(result.fen.total_fee).toBe(8800);
  });

  it('decodes a GBK reply by its XML declaration when the Content-Type has no charset', async () => {
    const result = await singleTradeQuery(config('gbkdecl'), { out_trade_no: 'G1' });
    expect(result.trade.subject).toBe('《三体》全集');
  });

  it('refuses a query without any trade number before sending anything', async () => {
    const before = recorded.length;
    const err = await failure(singleTradeQuery(config('trade'), {} as never));
    expect(err).toMatchObject({ code: 'PARAMTER_IS_NULL', param: 'trade_no' });
    expect(recorded.length).toBe(before);
  });
});

describe('replyCharset', () => {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  it('prefers the header, then the declaration, then the request charset, skipping unknown names', () => {
    expect(replyCharset('text/xml; charset="GBK"', bytes('<?xml version="1.0" encoding="utf-8"?>'), 'utf-8')).toBe('gbk');
    expect(replyCharset('text/xml', bytes("<?xml version='1.0' encoding='GB2312'?>"), 'utf-8')).toBe('gb2312');
    expect(replyCharset('text/xml; charset=ISO-8859-1', bytes('<alipay/>'), 'gbk')).toBe('gbk');
    expect(replyCharset(null, bytes('<alipay/>'), 'utf-8')).toBe('utf-8');
  });
});

describe('close_trade (protocol.md §4.10)', () => {
  it('sends out_order_no and trade_role, and resolves on T', async () => {
    const result = await closeTrade(config('ok'), { out_order_no: 'A1', trade_role: 'S' });
    expect(result.reply.isSuccess).toBe(true);
    expect({ ...parseForm(lastRequest().body, 'utf-8') }).toMatchObject({ service: 'close_trade', out_order_no: 'A1', trade_role: 'S' });
  });

  it('throws TRADE_STATUS_NOT_AVAILD from the gateway', async () => {
    expect((await failure(closeTrade(config('status'), { trade_no: '2015051900001000980052833539' }))).code).toBe('TRADE_STATUS_NOT_AVAILD');
  });

  it('refuses out_trade_no with a hint, without sending', async () => {
    const before = recorded.length;
    const err = await failure(closeTrade(config('ok'), { out_trade_no: 'A1' } as never));
    expect(err).toMatchObject({ code: 'ILLEGAL_ARGUMENT', param: 'out_order_no' });
    expect(recorded.length).toBe(before);
  });
});

describe('send_goods_confirm_by_platform (protocol.md §4.4)', () => {
  it('sends the shipment in the request charset: GBK bytes for a GBK merchant', async () => {
    const result = await sendGoodsConfirmByPlatform(config('ok', { charset: 'gbk' }), {
      trade_no: '2015051900001000980052833539',
      logistics_name: '顺丰速运',
      invoice_no: 'SF1234567890',
      transport_type: 'EXPRESS',
    });
    expect(result.trade).toBeUndefined();
    const req = lastRequest();
    expect(Object.fromEntries(req.query)).toEqual({ _input_charset: 'gbk' });
    expect(req.body.toString('latin1')).toContain('logistics_name=%CB%B3%B7%E1%CB%D9%D4%CB');
    const form = { ...parseForm(req.body, 'gbk') };
    expect(form).toMatchObject({ service: 'send_goods_confirm_by_platform', logistics_name: '顺丰速运', transport_type: 'EXPRESS', _input_charset: 'gbk' });
    expect(form.sign).toBe(independentMd5(form, 'gbk'));
  });

  it('refuses an unknown transport type before sending', async () => {
    const err = await failure(
      sendGoodsConfirmByPlatform(config('ok'), { trade_no: '2015051900001000980052833539', logistics_name: 'x', transport_type: 'SHIP' }),
    );
    expect(err).toMatchObject({ code: 'ILLEGAL_LOGISTICS_FORMAT', param: 'transport_type' });
  });
});

describe('query_timestamp and anti-phishing (protocol.md §4.8)', () => {
  it('GETs service, partner and _input_charset only, unsigned, and returns the encrypt_key', async () => {
    const { encryptKey } = await queryTimestamp(config('timestamp'));
    expect(encryptKey).toBe('KPrzY9IGG9iM9PgLGw==');
    const req = lastRequest();
    expect(req.method).toBe('GET');
    expect(Object.fromEntries(req.query)).toEqual({ service: 'query_timestamp', partner: PARTNER, _input_charset: 'utf-8' });
  });

  it('throws malformed_xml when the reply has no encrypt_key', async () => {
    expect((await failure(queryTimestamp(config('nokey')))).code).toBe('malformed_xml');
  });

  it('fills anti_phishing_key in a page request when config.antiPhishing is on, fresh each time', async () => {
    const before = recorded.length;
    const cfg = config('timestamp', { antiPhishing: true });
    const req = await createDirectPayByUser(cfg, { out_trade_no: 'A1', subject: 'x', total_fee: '0.01' });
    await createDirectPayByUser(cfg, { out_trade_no: 'A2', subject: 'x', total_fee: '0.01' });
    expect(req.params.anti_phishing_key).toBe('KPrzY9IGG9iM9PgLGw==');
    expect(req.params.sign).toBe(independentMd5(req.params, 'utf-8'));
    expect(recorded.length - before).toBe(2);
  });

  it('does not spend a key on a request that fails validation', async () => {
    const before = recorded.length;
    const err = await failure(createDirectPayByUser(config('timestamp', { antiPhishing: true }), { out_trade_no: 'A1', subject: 'x' }));
    expect(err.code).toBe('ILLEGAL_FEE_PARAM');
    expect(recorded.length).toBe(before);
  });

  it('uses a key the caller gives instead of fetching one', async () => {
    const before = recorded.length;
    const req = await createDirectPayByUser(config('timestamp', { antiPhishing: true }), {
      out_trade_no: 'A1', subject: 'x', total_fee: '0.01', anti_phishing_key: 'given',
    });
    expect(req.params.anti_phishing_key).toBe('given');
    expect(recorded.length).toBe(before);
  });
});
