/**
 * The dispatcher's wake-up: a nudge (new work committed) or an attempt's end (a slot, or a
 * trade's next notification, became free) wakes whoever waits; a signal given while nobody waits
 * is kept for the next wait.
 */
export interface WakeUp {
  signal(): void;
  /** Resolves at the next signal (at once if one is pending), or after `ms`. */
  wait(ms: number): Promise<void>;
}

export function createWakeUp(): WakeUp {
  let waiters: (() => void)[] = [];
  let signalled = false;
  return {
    signal() {
      signalled = true;
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    },
    wait(ms) {
      if (signalled) {
        signalled = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        waiters.push(done);
      }).then(() => {
        signalled = false;
      });
    },
  };
}
