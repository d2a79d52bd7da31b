// Typechecked with module node16 where only the tarballs are installed: the CommonJS declarations.
import { createClient, VerificationError, type AlipayMessage } from 'alipay-legacy';
import { canonicalize, verifySign, type SignCheck, type VerifyOptions } from 'alipay-legacy/protocol';
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

// The protocol entry: the same signing the client uses, one level down.
const verifyOptions: VerifyOptions = { key: '10000000000000000000000000000000', charset: 'utf-8' };
export const presign: string = canonicalize({ service: 'test', partner: '123' });
export const check: SignCheck = verifySign({ service: 'test', partner: '123' }, 'bbd13b52823b576291595f472ebcfbc2', verifyOptions);
