/**
 * Runs a module Worker for one exchange: posts `message`, resolves with its first reply, and
 * terminates it; an uncaught error in the Worker rejects, naming `label`.
 */
export function workerReply<T>(url: URL, message: unknown, label: string): Promise<T> {
  const w = new Worker(url, { type: "module" });
  return new Promise<T>((resolve, reject) => {
    w.onmessage = (e) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      reject(new Error(`${label}: ${e.message}`));
    };
    w.postMessage(message);
  });
}
