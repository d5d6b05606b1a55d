// Preloaded into the CLI's process with NODE_OPTIONS="--import <this file>": shifts the process's
// wall clock (Date.now(), new Date()) by CLOCK_OFFSET_MS, as on a computer whose clock is off.
// Timers and the monotonic clock are left alone, as they are on such a computer.
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const RealDate = globalThis.Date;

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }

  static now() {
    return RealDate.now() + offset;
  }
}

globalThis.Date = ShiftedDate;
