/** Serves the checkout over HTTP on 127.0.0.1, the way a static host serves a repository. */
import { localPath, ROOT } from "./deno_child.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".json": "application/json",
};

/** A running server: its origin, the paths it was asked for, and how to stop it. */
export interface RepoServer {
  origin: string;
  requested: Set<string>;
  close: () => Promise<void>;
}

/** Starts the server on a free port; only .ts and .json files are served, each with its type. */
export function serveRepo(): RepoServer {
  const requested = new Set<string>();
  const root = localPath(ROOT);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      requested.add(path);
      const type = CONTENT_TYPES[path.slice(path.lastIndexOf("."))];
      if (!type || path.split("/").includes("..")) return new Response(null, { status: 404 });
      try {
        const body = await Deno.readFile(root + path);
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response(null, { status: 404 });
      }
    },
  );
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    requested,
    close: () => server.shutdown(),
  };
}
