import { fromFen } from 'alipay-legacy';

/**
 * An amount in fen as the sandbox shows it to people, the same on the terminal's banner and on
 * every page: the yuan sign and the SDK's two-decimal form, `¥12.30`.
 */
export function yuan(fen: number): string {
  return `¥${fromFen(fen)}`;
}
