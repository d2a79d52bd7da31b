import { Worker } from 'node:worker_threads';

/**
 * Posts bodies to a URL from a worker thread (its own core, as Alipay would be another machine),
 * over keep-alive node:http sockets with `concurrency` requests in flight. Resolves to the
 * seconds taken and how many answers were exactly `success`.
 */
export function postAll(url: string, bodies: string[], concurrency: number): Promise<{ seconds: number; ok: number }> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const { url, bodies, concurrency } = workerData;
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const post = (body) => new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    (async () => {
      let next = 0, ok = 0;
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) { if ((await post(bodies[next++])) === 'success') ok++; }
      }));
      const seconds = (performance.now() - start) / 1000;
      agent.destroy();
      parentPort.postMessage({ seconds, ok });
    })().catch((e) => { throw e; });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url, bodies, concurrency } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
