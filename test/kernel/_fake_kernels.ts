// Stand-ins for the two kernels' display channels, installed where the adapters look for them:
// `globalThis.Deno.jupyter` and tslab's jupyter.js in Node's module cache.

export interface Sent {
  kind: "deno" | "tslab";
  data: Record<string, unknown>;
  displayId?: string;
  update: boolean;
  raw?: boolean;
}

const TSLAB_PATH = "/fake/node_modules/tslab/dist/jupyter.js";

function moduleCache(): Record<string, unknown> {
  return (process as any).getBuiltinModule("module")._cache;
}

export function installFakeTslab(sent: Sent[]): () => void {
  const writer = (msg: any, update: boolean) => {
    // tslab serialises the message as JSON: make sure that works.
    JSON.stringify(msg);
    sent.push({ kind: "tslab", data: msg.data, displayId: msg.transient?.display_id, update });
  };
  moduleCache()[TSLAB_PATH] = { exports: { lastWriteDisplayData: writer } };
  return () => {
    delete moduleCache()[TSLAB_PATH];
  };
}

export function installFakeDeno(sent: Sent[]): () => void {
  (globalThis as any).Deno = {
    jupyter: {
      display(value: any, options: any = {}) {
        sent.push({
          kind: "deno",
          data: value,
          displayId: options.display_id,
          update: options.update === true,
          raw: options.raw,
        });
        return Promise.resolve();
      },
    },
  };
  return () => {
    delete (globalThis as any).Deno;
  };
}

export function installThrowingDeno(): () => void {
  (globalThis as any).Deno = {
    get jupyter() {
      throw new Error("Deno.jupyter is only available in 'deno jupyter' subcommand");
    },
  };
  return () => {
    delete (globalThis as any).Deno;
  };
}
