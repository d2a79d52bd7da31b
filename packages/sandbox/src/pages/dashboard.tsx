import type { Buyer, Fault, Merchant, NotificationWithAttempts, TradeRow } from '../services/index.js';
import { formatDuration } from '../time-input.js';
import { FAULTS } from '../dispatcher/faults/index.js';
import { FAULT_LABELS, yuan } from './labels.js';
import { DashboardLayout } from './dashboard-layout.js';
import { Back, NotificationTable, time, TradeTable } from './dashboard-parts.js';
import { faultText, ResultBox, type ControlResult } from './dashboard-results.js';

export interface DashboardProps {
  publicUrl: string;
  merchants: Array<Merchant & { fault: Fault }>;
  buyers: Array<Buyer & { passwords?: string }>;
  trades: TradeRow[];
  notifications: NotificationWithAttempts[];
  now: number;
  offsetMs: number;
  nextDueAt: number | undefined;
  /** The recover form's default "since" (Beijing time). */
  recoverSince: string;
  result?: ControlResult | undefined;
}

const onOff = (on: boolean) => (on ? '开' : '关');

/** The clock's one-click steps: a retry gap, an hour, the confirm and unpaid timeouts. */
const CLOCK_PRESETS = [120, 600, 3600, 86_400, 10 * 86_400, 15 * 86_400];

/**
 * `/`: what a developer needs at a glance and the sandbox's controls — the clock, faults per
 * merchant, recovering given-up notifications — then credentials, buyers, and the newest trades
 * and notifications (live).
 */
export function DashboardPage(props: DashboardProps) {
  const here = '/';
  return (
    <DashboardLayout title="概览 Overview" section="/" now={props.now}>
      {props.result ? <ResultBox result={props.result} /> : null}
      <h1>支付宝沙箱 · alipay-legacy sandbox</h1>
      <p>
        网关 <code>{props.publicUrl}/gateway.do</code> · 验证通知 <code>{props.publicUrl}/gateway.do?service=notify_verify</code> · API <code>/sandbox/api</code>
        （见 README）
      </p>

      <h2>控制 Controls</h2>
      <div class="controls">
        <fieldset id="clock">
          <legend>沙箱时钟 clock</legend>
          <div>
            现在 now <strong>{time(props.now)}</strong>
            <span class="muted"> · 偏移 offset {formatDuration(props.offsetMs / 1000)}</span>
          </div>
          <div class="muted" id="next-due">
            下一项到期 next due: {props.nextDueAt === undefined ? '无 nothing waits' : time(props.nextDueAt)}
          </div>
          <div>
            {CLOCK_PRESETS.map((seconds) => (
              <form class="inline" method="post" action="/clock/advance">
                <Back here={here} />
                <input type="hidden" name="duration" value={String(seconds)} />
                <button type="submit" class="small secondary" data-seconds={String(seconds)}>
                  +{formatDuration(seconds)}
                </button>
              </form>
            ))}
          </div>
          <form class="row" method="post" action="/clock/advance">
            <Back here={here} />
            <label>
              前进 advance by
              <input type="text" name="duration" id="advance-duration" placeholder="90, 2m, 1h, 10d" required />
            </label>
            <button type="submit" class="small" id="advance-submit">
              前进 advance
            </button>
          </form>
        </fieldset>

        <fieldset id="recover">
          <legend>补发失败通知 recover failed notifications</legend>
          <p class="muted">自某时起写入、已放弃投递（given up）的每条通知，作为新的通知重发，并链接到原通知。</p>
          <form class="row" method="post" action="/notifications/recover">
            <Back here={here} />
            <label>
              自 since
              <input type="text" name="since" id="recover-since" value={props.recoverSince} placeholder="2026-11-22 10:00:00" required />
            </label>
            <label>
              商户 partner
              <select name="partner" id="recover-partner">
                <option value="">全部 all</option>
                {props.merchants.map((m) => (
                  <option value={m.partner}>{m.partner}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="small" id="recover-submit">
              补发 recover
            </button>
          </form>
        </fieldset>
      </div>

      <h2>商户（合作身份者）merchants</h2>
      <table class="list" id="merchants">
        <thead>
          <tr>
            <th>partner / seller_id</th>
            <th>key（MD5）</th>
            <th>seller_email · 签名方式</th>
            <th>防钓鱼 / IP 校验 / 高级即时到账 / 自定义超时</th>
            <th>故障注入 faults</th>
          </tr>
        </thead>
        <tbody>
          {props.merchants.map((m) => (
            <tr data-partner={m.partner}>
              <td data-label="partner / seller_id">
                <code>{m.partner}</code>
                <br />
                {m.displayName}
              </td>
              <td data-label="key（MD5）">
                <code>{m.key}</code>
              </td>
              <td data-label="seller_email · 签名方式">
                {m.sellerEmail}
                <br />
                <span class="muted">{m.signTypes.join(', ')}</span>
              </td>
              <td data-label="防钓鱼 / IP 校验 / 高级即时到账 / 自定义超时">
                {onOff(m.antiPhishing)} / {onOff(m.ipCheck)} / {onOff(m.advancedInstant)} / {onOff(m.selfTimeout)}
              </td>
              <td data-label="故障注入 faults">
                <div class="fault-now" data-kind={m.fault.kind}>
                  当前 now: <strong>{faultText(m.fault)}</strong>
                </div>
                <form class="row fault-form" method="post" action={`/merchants/${encodeURIComponent(m.partner)}/fault`}>
                  <Back here={here} />
                  <select name="kind" aria-label="kind">
                    {FAULTS.map((f) => (
                      <option value={f.kind}>
                        {f.kind} {FAULT_LABELS[f.kind]}
                      </option>
                    ))}
                  </select>
                  <input type="number" name="count" min="1" placeholder="次数 count" aria-label="count" />
                  <input type="text" name="seconds" placeholder="延迟 delay (60, 5m)" aria-label="delay" />
                  <button type="submit" class="small fault-set">
                    设置 set
                  </button>
                </form>
                {m.fault.kind !== 'none' ? (
                  <form class="inline" method="post" action={`/merchants/${encodeURIComponent(m.partner)}/fault`}>
                    <Back here={here} />
                    <input type="hidden" name="kind" value="none" />
                    <button type="submit" class="small secondary fault-clear">
                      清除 clear
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>买家 buyers</h2>
      <table class="list" id="buyers">
        <thead>
          <tr>
            <th>账户名</th>
            <th>user_id</th>
            <th>姓名</th>
            <th>余额</th>
            <th>登录密码 / 支付密码</th>
          </tr>
        </thead>
        <tbody>
          {props.buyers.map((b) => (
            <tr>
              <td data-label="账户名">{b.login}</td>
              <td data-label="user_id">
                <code>{b.userId}</code>
              </td>
              <td data-label="姓名">{b.realName}</td>
              <td data-label="余额">{yuan(b.balanceFen)}</td>
              <td data-label="登录密码 / 支付密码">{b.passwords ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <section id="live-recent" data-live>
        <h2>
          最新交易 newest trades · <a href="/trades">全部 all →</a>
        </h2>
        <TradeTable trades={props.trades} />
        <h2>
          最新异步通知 newest notifications · <a href="/notifications">全部 all →</a>
        </h2>
        <NotificationTable notifications={props.notifications} here={here} />
      </section>
    </DashboardLayout>
  );
}
