/** A bank of the cashier's online-banking channel: its `defaultbank` code and its name. */
export interface Bank {
  code: string;
  name: string;
}

/**
 * Bank codes for `paymethod=bankPay` with `defaultbank` (protocol.md §4.1, §12.6): the codes
 * protocol.md §4.1 lists, with the banks' Chinese names.
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
  { code: 'GDB', name: '广发银行' },
  { code: 'CMBC', name: '中国民生银行' },
  { code: 'CITIC', name: '中信银行' },
  { code: 'CEBBANK', name: '中国光大银行' },
  { code: 'SHBANK', name: '上海银行' },
  { code: 'SPABANK', name: '平安银行' },
  { code: 'PSBC-DEBIT', name: '中国邮政储蓄银行' },
  { code: 'BJBANK', name: '北京银行' },
]);

/**
 * The bank of a `defaultbank` code, or undefined.
 * @example bankByCode('CCB')?.name // '中国建设银行'
 */
export function bankByCode(code: string): Bank | undefined {
  return BANKS.find((b) => b.code === code);
}
