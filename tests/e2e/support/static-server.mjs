// A small static file server for the built site (dist/), for the demo and
// the end-to-end tests. Options let tests add response headers (e.g. a CSP).
// Usage: node static-server.mjs DIR [PORT]
import { createServer, request } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
  ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
};

/** Starts a server for `root`; resolves to `{ url, close }`. Options:
 * `headers(path)` adds response headers; `mounts` maps URL prefixes to
 * other folders (e.g. `{"/test/": "tests/e2e/pages"}`); `proxy` forwards
 * `/api/` requests to another origin (the inbox); `transform(path, text)`
 * rewrites HTML pages (to point them at another origin); `compress` gzips
 * what a real host would (for timing over a throttled connection);
 * `seen(path)` is told of every request as it arrives, and `delay(path)`
 * holds a file's answer back that many milliseconds, or until the promise
 * it returns settles. */
export function serveStatic(root, { port = 0, headers = () => ({}), mounts = {}, proxy = null, transform = null, compress = false,
  seen = () => {}, delay = () => 0 } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      seen(path);
      const wait = delay(path);
      if (wait?.then) await wait;
      else if (wait) await new Promise((r) => setTimeout(r, wait));
      if (proxy && path.startsWith("/api/")) { forward(req, res, proxy); return; }
      const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
      const base = resolve(prefix ? mounts[prefix] : root);
      let file = normalize(join(base, prefix ? path.slice(prefix.length) : path));
      if (!file.startsWith(base)) { res.writeHead(403).end("forbidden"); return; }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      let body = await readFile(file);
      if (transform && extname(file) === ".html") body = transform(path, body.toString("utf8"));
      const gzip = compress && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && extname(file) !== ".png";
      if (gzip) body = gzipSync(body, { level: 6 });
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...(gzip ? { "content-encoding": "gzip", vary: "accept-encoding" } : {}),
        ...headers(path),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** Forwards a request to `target` (an origin) and streams the answer back,
 * keeping the browser's Host as a reverse proxy does, so the inbox sees the
 * site's own origin as its own. */
function forward(req, res, target) {
  const url = new URL(req.url, target);
  const upstream = request(url, { method: req.method, headers: { ...req.headers } }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => res.writeHead(502, { "content-type": "text/plain" }).end("inbox unreachable"));
  req.pipe(upstream);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = "dist", port = "8080"] = process.argv.slice(2);
  const { url } = await serveStatic(dir, { port: Number(port) });
  console.log(`serving ${dir} on ${url}`);
}
