import { parseArgs } from 'node:util';
import { URL_OPTION, call, partnerOrOnly, targetOf } from './admin-commands.js';
import { UsageError, type CliIo } from './io.js';

/** The report as the test API answers it (`POST /sandbox/api/check-merchant`). */
interface ReportView {
  partner: string;
  trade_no: string;
  out_trade_no: string;
  notify_url: string;
  return_url: string | null;
  charset: string;
  passed: number;
  failed: number;
  cases: { id: string; title: string; expects: string; got: string; outcome: 'passed' | 'failed' | 'check'; advice: string | null }[];
}

const MARK = { passed: '✓', check: '?', failed: '✗' } as const;

/** `check-merchant`: runs the cases against the merchant's endpoints and prints what to fix. */
export async function checkMerchantCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...URL_OPTION,
      'notify-url': { type: 'string' },
      'return-url': { type: 'string' },
      'out-trade-no': { type: 'string' },
      partner: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values['notify-url']) throw new UsageError('--notify-url is required: the address of your notification endpoint');
  const base = targetOf(io, values);
  const partner = await partnerOrOnly(io, base, values.partner);
  const report = (await call(io, base, 'POST', '/check-merchant', {
    partner,
    notify_url: values['notify-url'],
    ...(values['return-url'] ? { return_url: values['return-url'] } : {}),
    ...(values['out-trade-no'] ? { out_trade_no: values['out-trade-no'] } : {}),
  })) as ReportView;
  if (values.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(formatReport(report));
  }
  return report.failed === 0 ? 0 : 1;
}

export function formatReport(report: ReportView): string {
  const lines = [
    `check-merchant: partner ${report.partner}, order ${report.out_trade_no} (trade ${report.trade_no}), ${report.charset.toUpperCase()}`,
    `  notify_url ${report.notify_url}${report.return_url ? `\n  return_url ${report.return_url}` : ''}`,
    '',
  ];
  for (const c of report.cases) {
    lines.push(`${MARK[c.outcome]} ${c.title}`, `    expects  ${c.expects}`, `    got      ${c.got}`);
    if (c.advice) lines.push(`    ${c.outcome === 'failed' ? 'fix     ' : 'check   '} ${c.advice}`);
  }
  const toCheck = report.cases.filter((c) => c.outcome === 'check').length;
  lines.push('', `${report.passed} passed${toCheck ? ` (${toCheck} to check in your database: marked ?)` : ''}, ${report.failed} failed`, '');
  return lines.join('\n');
}
