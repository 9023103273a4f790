// A test backend on 127.0.0.1 that fails on command. It stands in front of
// a real `accord inbox` (which stores records, once per submission_id) on
// its own origin, so the widget posts cross-origin with CORS as it would to
// a real backend. Tests plan what the next POSTs get:
//
//   backend.plan({ status: 500 }, { status: 429, retryAfter: 30 })
//   backend.plan({ hang: 20000, forward: true })  // stored, answered late
//   backend.plan({ status: 503, forward: true })  // stored, answered 503
//   backend.down(); backend.up();                 // connection refused
//   backend.holdForms(60000)                      // form posts kept, answered late
//
// POSTs without a plan are forwarded to the inbox. `attempts` logs every
// POST with its submission id and what it got. `/form` accepts form posts
// (Salesforce Web-to-Lead style: no CORS headers) and keeps their bodies.
import { createServer } from "node:http";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Retry-After",
};

export async function startBackend(inboxUrl) {
  const plans = [];
  const attempts = [];
  const forms = [];
  const sockets = new Set();
  const hung = new Set();
  let port = 0;
  let holdFormsMs = 0;

  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString("utf8");
    if (req.method === "POST" && req.url === "/form") {
      forms.push(Object.fromEntries(new URLSearchParams(body)));
      const answer = () => { hung.delete(res); if (!res.writableEnded) res.writeHead(200, { "content-type": "text/html" }).end("<p>Thanks</p>"); };
      if (holdFormsMs > 0) {
        hung.add(res);
        setTimeout(answer, holdFormsMs).unref();
      } else answer();
      return;
    }
    if (req.method !== "POST") return forward(req, body, res);
    let id = null;
    try { id = JSON.parse(body).submission_id ?? null; } catch {}
    const plan = plans.shift() ?? {};
    const attempt = { id, key: req.headers["idempotency-key"] ?? null, got: null };
    attempts.push(attempt);
    if (plan.forward || plan.status === undefined) {
      const headers = { "content-type": req.headers["content-type"] };
      if (attempt.key) headers["idempotency-key"] = attempt.key;
      const answer = await fetch(inboxUrl + req.url, { method: "POST", headers, body });
      attempt.stored = answer.status;
      if (plan.status === undefined && !plan.hang) {
        attempt.got = answer.status;
        res.writeHead(answer.status, { ...CORS, "content-type": "application/json" }).end(await answer.text());
        return;
      }
    }
    if (plan.hang) {
      attempt.got = "hung";
      hung.add(res);
      setTimeout(() => { hung.delete(res); if (!res.writableEnded) res.writeHead(200, CORS).end("{}"); }, plan.hang).unref();
      return;
    }
    attempt.got = plan.status;
    const headers = { ...CORS, "content-type": "text/plain" };
    if (plan.retryAfter !== undefined) headers["retry-after"] = String(plan.retryAfter);
    res.writeHead(plan.status, headers).end(plan.body ?? `planned ${plan.status}`);
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });

  // Preflights and reads go to the inbox as they are.
  async function forward(req, body, res) {
    const answer = await fetch(inboxUrl + req.url, {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))),
      body: ["GET", "HEAD", "OPTIONS"].includes(req.method) ? undefined : body,
    });
    const headers = Object.fromEntries([...answer.headers].filter(([k]) => !["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)));
    res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
  }

  async function listen() {
    await new Promise((ok, fail) => { server.once("error", fail); server.listen(port, "127.0.0.1", ok); });
    port = server.address().port;
  }
  async function stop() {
    for (const res of hung) res.destroy();
    hung.clear();
    const closed = new Promise((r) => server.close(r));
    for (const s of sockets) s.destroy();
    await closed;
  }
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    forms,
    /** What the next POSTs get, in order. */
    plan(...next) { plans.push(...next); },
    /** Keeps form posts (they are recorded at once) and answers them after
     * `ms`; 0 answers at once again. */
    holdForms(ms) { holdFormsMs = ms; },
    /** Refuses connections until `up()`. */
    down: stop,
    up: listen,
    /** POST attempts that carried this submission id. */
    attemptsFor(id) { return attempts.filter((a) => a.id === id); },
    close: stop,
  };
}
