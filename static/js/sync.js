// One sync at a time: a runner around an async job (the outbox's replay, the excursion captures' sync).
//
//   const sync = syncRunner(async () => { … }, { lock: "tandem-outbox" });
//   sync()  → the promise of the run going on, or of a new one. A call made during a run asks for one more
//             run right after it (what arrived meanwhile is not left waiting), never for a second run at
//             the same time. `lock` (optional) makes it one at a time across the tabs too, where the
//             browser offers Web Locks.
//   sync.running → whether a run is going on.

export function syncRunner(job, { lock = null } = {}) {
  let current = null;
  let again = false;

  const loop = async () => {
    do {
      again = false;
      await job();
    } while (again);
  };

  function run() {
    if (current) {
      again = true;
      return current;
    }
    const exclusive = lock && navigator.locks ? navigator.locks.request(lock, loop) : loop();
    current = exclusive.finally(() => { current = null; });
    return current;
  }

  Object.defineProperty(run, "running", { get: () => current !== null });
  return run;
}
