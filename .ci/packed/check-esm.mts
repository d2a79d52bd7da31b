// Typechecked with module node16 where only the tarballs are installed: the ESM declarations.
import { createClient, VerificationError, type AlipayMessage } from 'alipay-legacy';
import { fakeNotifyVerify } from 'alipay-legacy/testing';

const alipay = createClient({ partner: '2088328287403500', key: 'ymcws8c0kb3i51tmtxc5y8na6rxlfgtp', fetch: fakeNotifyVerify() });
export async function handle(body: Uint8Array): Promise<string> {
  try {
    const message: AlipayMessage = await alipay.verifyNotification(body);
    return message.kind;
  } catch (err) {
    return err instanceof VerificationError ? err.reason : 'error';
  }
}
