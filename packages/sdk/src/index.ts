// Every export of the package, named (STYLE.md §4).
export { canonicalize, compactParams, isSignField } from './canonicalize.js';
export type { Params } from './canonicalize.js';
export { CHARSETS, decodeBytes, encodeText, isAscii, normalizeCharset } from './charset.js';
export type { Charset } from './charset.js';
export { formatAlipayTime, parseAlipayTime, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { DEFAULT_GATEWAY, resolveConfig } from './config.js';
export type { AlipayConfig, ResolvedConfig } from './config.js';
export { AlipayError, GatewayError, VerificationError } from './errors.js';
export type { GatewayErrorCode, VerificationReason } from './errors.js';
export { encodeComponent, encodeForm, parseForm, parseFormPairs, peekParam } from './form-encoding.js';
export type { FormPair } from './form-encoding.js';
export { loadPrivateKey, loadPublicKey } from './keys.js';
export type { KeyInput } from './keys.js';
export { fromFen, isAmount, toFen } from './money.js';
export {
  md5Digest,
  parseSignType,
  rsaDigest,
  safeEqual,
  sign,
  signPresign,
  verifyPresign,
  verifySign,
} from './sign.js';
export type { SignCheck, SignOptions, SignType, VerifyOptions } from './sign.js';
export { escapeXml, parseAlipayXml, parseXml, readXmlElements, renderAlipayXml, textContent } from './xml.js';
export type { AlipayXmlReply, AlipayXmlReplyInput, XmlElement } from './xml.js';
