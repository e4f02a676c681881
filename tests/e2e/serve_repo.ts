/**
 * Serves the checkout over HTTP on 127.0.0.1, the way raw.githubusercontent.com serves a
 * repository: every file as text/plain, so Deno goes by the file's extension.
 */
import { localPath, ROOT } from "./deno_child.ts";

const SERVED = [".ts", ".js", ".json"];

/** A running server: its origin, the paths it was asked for, and how to stop it. */
export interface RepoServer {
  origin: string;
  requested: Set<string>;
  close: () => Promise<void>;
}

/** Starts the server on a free port; only .ts, .js and .json files are served. */
export function serveRepo(): RepoServer {
  const requested = new Set<string>();
  const root = localPath(ROOT);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      requested.add(path);
      const served = SERVED.includes(path.slice(path.lastIndexOf(".")));
      if (!served || path.split("/").includes("..")) return new Response(null, { status: 404 });
      try {
        const body = await Deno.readFile(root + path);
        return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
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
