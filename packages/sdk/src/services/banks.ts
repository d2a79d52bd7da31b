/** A bank of the cashier's online-banking channel: its `defaultbank` code and its name. */
export interface Bank {
  code: string;
  name: string;
}

/**
 * Bank codes for `paymethod=bankPay` with `defaultbank` (protocol.md §4.1, §12.6),
 * the common ones of the published code list, with their Chinese names.
 * @example BANKS.find((b) => b.code === 'CMB')?.name // '招商银行'
 */
export const BANKS: readonly Bank[] = Object.freeze([
  { code: 'ICBCB2C', name: '中国工商银行' },
  { code: 'CMB', name: '招商银行' },
  { code: 'CCB', name: '中国建设银行' },
  { code: 'BOCB2C', name: '中国银行' },
  { code: 'ABC', name: '中国农业银行' },
  { code: 'COMM', name: '交通银行' },
  { code: 'SPDB', name: '上海浦东发展银行' },
  { code: 'CIB', name: '兴业银行' },
]);

/**
 * The bank of a `defaultbank` code, or undefined.
 * @example bankByCode('CCB')?.name // '中国建设银行'
 */
export function bankByCode(code: string): Bank | undefined {
  return BANKS.find((b) => b.code === code);
}
