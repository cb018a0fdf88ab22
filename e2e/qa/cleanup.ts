/**
 * Last-resort clean-up of what a run created outside this process
 * (namespaces, veths, child processes): registered tasks also run when the
 * process exits or is interrupted, so Ctrl-C or a crash leaves nothing
 * behind. Tasks must be synchronous: 'exit' handlers cannot wait.
 */

type Task = () => void;
const tasks = new Set<Task>();
let installed = false;

function runAll(): void {
  for (const t of [...tasks].reverse()) {
    tasks.delete(t);
    try {
      t();
    } catch {
      /* keep cleaning the rest */
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // Re-raise with the default handler, so the exit status says how we ended.
      process.kill(process.pid, signal);
    });
  }
}

/** Registers a task; the returned function runs it now (once) and unregisters it. */
export function onCleanup(task: Task): () => void {
  install();
  tasks.add(task);
  return () => {
    if (!tasks.delete(task)) return;
    task();
  };
}
