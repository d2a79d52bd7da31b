import { VerificationError } from '../errors.js';
import { toFen } from '../money.js';

/** How a message reached the merchant: the buyer's browser (`return`, at return_url) or Alipay's POST (`notify`, at notify_url). */
export type MessageVia = 'return' | 'notify';

/** The basic return/notify parameters (protocol.md §3.2) every message kind has. */
export interface MessageBase {
  /** How the message arrived. */
  via: MessageVia;
  /**
   * Every parameter exactly as received (after the one decoding), including `sign`, `sign_type`
   * and any field this SDK does not know: nothing is dropped.
   */
  raw: Readonly<Record<string, string>>;
  /** `is_success` of a return: `T` says the call worked, nothing about the trade (protocol.md §3.2). */
  is_success?: 'T' | 'F';
  /** The ATN token for `notify_verify` (protocol.md §4.7). A return's keeps its inner `%2F` escapes. */
  notify_id?: string;
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time. */
  notify_time?: string;
  notify_type?: string;
  sign?: string;
  sign_type?: string;
}

/** A message whose kind this SDK does not model (e.g. `batch_trans_notify`): only the basics and `raw`. */
export interface OtherMessage extends MessageBase {
  kind: 'other';
}

/** Copies the basic parameters of protocol.md §3.2. */
export function baseFields(raw: Readonly<Record<string, string>>, via: MessageVia): MessageBase {
  const base: MessageBase = { via, raw };
  const isSuccess = raw.is_success;
  if (isSuccess !== undefined) {
    if (isSuccess !== 'T' && isSuccess !== 'F') throw malformed(`is_success is "${isSuccess}", expected T or F`);
    base.is_success = isSuccess;
  }
  copyFields(raw, base as unknown as Record<string, unknown>, BASE_FIELDS);
  return base;
}

const BASE_FIELDS = ['notify_id', 'notify_time', 'notify_type', 'sign', 'sign_type'] as const;

/** Copies the named parameters that are present (and not empty) onto a message. */
export function copyFields(raw: Readonly<Record<string, string>>, target: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    const value = raw[name];
    if (value !== undefined && value !== '') target[name] = value;
  }
}

/** A required parameter, or a `malformed` refusal naming it. */
export function required(raw: Readonly<Record<string, string>>, name: string, kind: string): string {
  const value = raw[name];
  if (value === undefined || value === '') throw malformed(`a ${kind} message without ${name}`);
  return value;
}

/** The amount in fen of an optional amount parameter; a malformed amount is refused. */
export function fenOf(raw: Readonly<Record<string, string>>, name: string): number | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  try {
    return toFen(value, name);
  } catch {
    throw malformed(`${name}="${value}" is not an amount in yuan`);
  }
}

/** A `malformed` verification error: the message is signed but cannot be read as its kind. */
export function malformed(message: string): VerificationError {
  return new VerificationError('malformed', `malformed message: ${message}`);
}
