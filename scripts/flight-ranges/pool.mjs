// A pool of child processes (worker.mjs), each flying one job at a time: the
// next job goes to whichever worker answers first. Resolves to the answers in
// job order; rejects on the first job that failed in a way no flight should
// (a bug, not a flight that did not finish: those are answers).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./worker.mjs", import.meta.url));

export function flyAll(jobs, { workers, dist, onDone = () => {} }) {
  return new Promise((resolve, reject) => {
    const results = new Array(jobs.length);
    let next = 0, done = 0, failed = false;
    const children = [];
    const stop = () => { for (const c of children) if (c.connected) c.disconnect(); };
    const feed = (child) => {
      if (next < jobs.length) child.send({ ...jobs[next], id: next++ });
      else if (child.connected) child.disconnect();
    };
    const n = Math.max(1, Math.min(workers, jobs.length));
    if (jobs.length === 0) { resolve(results); return; }
    for (let i = 0; i < n; i++) {
      const child = fork(WORKER, [dist], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(child);
      child.on("message", (m) => {
        if (failed) return;
        if (m.ready) { feed(child); return; }
        if (m.error) { failed = true; stop(); reject(new Error(`${jobs[m.id].scenario} seed ${jobs[m.id].seed}: ${m.error}`)); return; }
        results[m.id] = m.summary;
        onDone(m.summary, ++done, jobs.length);
        if (done === jobs.length) { stop(); resolve(results); } else feed(child);
      });
      child.on("exit", (code, signal) => {
        if (failed || done === jobs.length) return;
        if (code !== 0 || signal) { failed = true; stop(); reject(new Error(`a flight worker ended (${signal ?? `status ${code}`}) before its flights were done`)); }
      });
    }
  });
}
