import { Worker } from 'node:worker_threads';

/** What a run of the load generator measured. */
export interface LoadRun {
  seconds: number;
  /** Answers whose body was exactly `success`. */
  ok: number;
  /** The generator thread's CPU time (Linux; 0 elsewhere). */
  cpuNs: number;
}

/**
 * Posts bodies to a URL from a worker thread (its own core, as Alipay would be another machine),
 * over `concurrency` keep-alive connections with one request in flight on each. It writes prepared
 * HTTP/1.1 requests to plain TCP sockets and reads each answer by its Content-Length: node:http's
 * client costs more CPU per request than the servers it measures, on the same cores.
 */
export function postAll(url: string, bodies: string[], concurrency: number): Promise<LoadRun> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const net = require('node:net');
    const { url, bodies, concurrency } = workerData;
    const { hostname, port, pathname } = new URL(url);
    const requests = bodies.map((body) => Buffer.from(
      'POST ' + pathname + ' HTTP/1.1\\r\\nHost: ' + hostname + ':' + port +
      '\\r\\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\\r\\nContent-Length: ' + Buffer.byteLength(body) +
      '\\r\\n\\r\\n' + body));
    const cpu = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]); } catch { return 0; } };
    let next = 0, ok = 0;
    const connection = () => new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      socket.setNoDelay(true);
      let buffered = Buffer.alloc(0);
      let finished = false;
      const send = () => {
        if (next < requests.length) return socket.write(requests[next++]);
        finished = true;
        socket.end();
        resolve();
      };
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        for (;;) {
          const end = buffered.indexOf('\\r\\n\\r\\n');
          if (end < 0) return;
          const head = buffered.toString('latin1', 0, end);
          const length = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
          if (!length) return socket.destroy(new Error('an answer without Content-Length: ' + head.split('\\r\\n')[0]));
          const size = end + 4 + Number(length[1]);
          if (buffered.length < size) return;
          if (buffered.toString('latin1', end + 4, size) === 'success') ok++;
          buffered = buffered.subarray(size);
          send();
        }
      });
      socket.on('error', reject);
      socket.on('close', () => { if (!finished) reject(new Error('the server closed a connection with requests left to send')); });
    });
    (async () => {
      const cpuBefore = cpu();
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrency }, connection));
      const seconds = (performance.now() - start) / 1000;
      parentPort.postMessage({ seconds, ok, cpuNs: cpu() - cpuBefore });
    })().catch((e) => { throw e; });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url, bodies, concurrency } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
