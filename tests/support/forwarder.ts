/**
 * TCP forwarders on 127.0.0.1: every connection one accepts is piped to a target port. Tests
 * use them as addresses only a resolver knows (and to cut connections). They run in a Worker
 * ({@link Forwarders}), so that a sync client blocking the test's thread still gets through.
 */

/** One forwarder. */
export class Forwarder {
  /** Connections accepted so far. */
  accepted = 0;
  readonly #listener: Deno.TcpListener;
  readonly #open = new Set<{ a: Deno.TcpConn; b: Deno.TcpConn }>();
  readonly #piping: Promise<unknown>[] = [];
  readonly #accepting: Promise<void>;

  constructor(readonly target: number) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  async #accept(): Promise<void> {
    for (;;) {
      let a: Deno.TcpConn;
      try {
        a = await this.#listener.accept();
      } catch {
        return; // closed
      }
      this.accepted++;
      let b: Deno.TcpConn;
      try {
        b = await Deno.connect({ hostname: "127.0.0.1", port: this.target });
      } catch {
        a.close();
        continue;
      }
      const pair = { a, b };
      this.#open.add(pair);
      const end = () => {
        if (!this.#open.delete(pair)) return;
        for (const c of [a, b]) {
          try {
            c.close();
          } catch {
            // closed already
          }
        }
      };
      this.#piping.push(
        Promise.allSettled([a.readable.pipeTo(b.writable), b.readable.pipeTo(a.writable)])
          .then(end),
      );
    }
  }

  /** Ends every connection it holds now (it keeps accepting). */
  cut(): void {
    for (const { a, b } of [...this.#open]) {
      for (const c of [a, b]) {
        try {
          c.close();
        } catch {
          // closed already
        }
      }
    }
    this.#open.clear();
  }

  /** Stops accepting, ends every connection, and waits until all of it is over. */
  async close(): Promise<void> {
    this.#listener.close();
    this.cut();
    await this.#accepting;
    await Promise.allSettled(this.#piping);
  }
}

type Ask =
  | { op: "open"; target: number }
  | { op: "accepted"; id: number }
  | { op: "cut"; id: number }
  | { op: "close" };

/** Forwarders in a Worker of their own; `close()` ends them all and the Worker. */
export class Forwarders {
  readonly #worker = new Worker(import.meta.url, { type: "module" });
  #queue = Promise.resolve<unknown>(undefined);

  #ask<T>(ask: Ask): Promise<T> {
    const next = this.#queue.then(() =>
      new Promise<T>((resolve, reject) => {
        this.#worker.onmessage = (e) => resolve(e.data);
        this.#worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(e.message));
        };
        this.#worker.postMessage(ask);
      })
    );
    this.#queue = next.catch(() => {});
    return next;
  }

  /** A forwarder to `target`: its id and port. */
  open(target: number): Promise<{ id: number; port: number }> {
    return this.#ask({ op: "open", target });
  }

  /** Connections forwarder `id` accepted so far. */
  accepted(id: number): Promise<number> {
    return this.#ask({ op: "accepted", id });
  }

  /** Ends the connections forwarder `id` holds now. */
  cut(id: number): Promise<void> {
    return this.#ask({ op: "cut", id });
  }

  /** Ends every forwarder and the Worker. */
  async close(): Promise<void> {
    try {
      await this.#ask({ op: "close" });
    } finally {
      this.#worker.terminate();
    }
  }
}

// Inside the Worker: serves the asks of `Forwarders`.
if (
  !("document" in globalThis) && "postMessage" in globalThis && "WorkerGlobalScope" in globalThis
) {
  const all: Forwarder[] = [];
  const scope = globalThis as unknown as {
    onmessage: (e: MessageEvent<Ask>) => void;
    postMessage: (m: unknown) => void;
  };
  scope.onmessage = async (e) => {
    const ask = e.data;
    switch (ask.op) {
      case "open": {
        const f = new Forwarder(ask.target);
        all.push(f);
        return scope.postMessage({ id: all.length - 1, port: f.port });
      }
      case "accepted":
        return scope.postMessage(all[ask.id].accepted);
      case "cut":
        all[ask.id].cut();
        return scope.postMessage(undefined);
      case "close":
        await Promise.all(all.map((f) => f.close()));
        return scope.postMessage(undefined);
    }
  };
}
