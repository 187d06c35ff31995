"""100 clerks on one server: gunicorn with gunicorn.conf.py, latency under load and worker memory.

Starts the real production stack (gunicorn, preloaded app, production password hashing) on a
seeded temp database, logs 100 demo sessions in, then runs two phases:
  1. "100 clerks": 100 sessions, each clicking every 1–4 s (inbox, a process, a search, the tree);
  2. "saturation": 16 sessions clicking without pause — the most the server answers per second.
and prints p50/p95/p99 per phase plus the RSS of every gunicorn worker (target: < 100 MB each).
The clients run in this process (threads), on the same cores as the server: figures are a floor.

Run: .venv/bin/python bench/load.py   (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL;
BENCH_WORKERS, BENCH_SECONDS to change the defaults 4 and 20)."""
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Expediente@2026"
LOGINS = ["ana", "bruno", "carla", "diego", "elisa", "fabio", "gabriela"]
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
RSS_TARGET_MB = 100


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(tmp, port):
    env = dict(os.environ, EXPEDIENTE_ENV="production", SECRET_KEY="bench-" + "x" * 32,
               DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/load.db"),
               STORAGE_DIR=f"{tmp}/storage", SEAL_DIR=f"{tmp}/certs", JOBS_DB=f"{tmp}/jobs.db",
               INSTANCE_DIR=tmp, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(WORKERS),
               LOGIN_MAX_FAILURES_PER_IP="1000")
    return env


def prepare(env):
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    if env["DATABASE_URL"].startswith("postgresql"):
        subprocess.run([str(BIN / "python"), "-c", "from sqlalchemy import create_engine, text; e = create_engine("
                        f"{env['DATABASE_URL']!r}); c = e.connect(); c.execute(text('DROP SCHEMA public CASCADE;"
                        " CREATE SCHEMA public')); c.commit()"], check=True, cwd=ROOT)
    subprocess.run(flask + ["db", "upgrade", "heads"], check=True, cwd=ROOT, env=env, capture_output=True)
    subprocess.run(flask + ["seed-demo"], check=True, cwd=ROOT, env=env, capture_output=True)


class Clerk:
    """One browser session: a cookie jar and the links it found on its inbox."""

    def __init__(self, base, login):
        self.base, self.login = base, login
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.processes = []

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read()

    def sign_in(self):
        page = self.get("/login").decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        data = {"login": self.login, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        with self.opener.open(self.base + "/login", urllib.parse.urlencode(data).encode(), timeout=30) as response:
            inbox = response.read().decode()
        self.processes = sorted(set(re.findall(r'href="(/processos/\d+)"', inbox)))

    def click(self, rng):
        pages = ["/", "/", "/pesquisar?q=processo"]
        if self.processes:
            process = rng.choice(self.processes)
            pages += [process, process + "/andamento"]
        path = rng.choice(pages)
        self.get(path)
        return path


def run_phase(clerks, seconds, think):
    latencies, errors, stop = [], [], time.monotonic() + seconds
    by_page = {}
    lock = threading.Lock()

    def loop(clerk, seed):
        rng = random.Random(seed)
        if think:  # clerks do not all click at the same instant
            time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                path = clerk.click(rng)
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
                    by_page.setdefault(re.sub(r"\d+", "N", path), []).append(latencies[-1])
            except (urllib.error.URLError, OSError) as error:
                with lock:
                    errors.append(f"{error} ({getattr(error, 'url', '')})")
            if think:
                time.sleep(rng.uniform(*think))

    threads = [threading.Thread(target=loop, args=(clerk, i)) for i, clerk in enumerate(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, by_page


def report(name, latencies, errors, by_page, seconds):
    if not latencies:
        print(f"{name}: no answers ({len(errors)} errors: {errors[:3]})")
        return
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{name}: {len(latencies)} requests in {seconds:.0f} s = {len(latencies) / seconds:.0f} req/s; "
          f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms; errors {len(errors)}")
    if errors:
        print("  errors seen:", "; ".join(sorted(set(errors))[:5]))
    for page, times in sorted(by_page.items()):
        print(f"  {page:28s} n={len(times):5d}  p50 {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms")


def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory_mb(pid):
    """(RSS, PSS, private) in MB: RSS counts the pages shared with the master in every worker; PSS
    splits them among the sharers; private is what one more worker really costs."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0]) / 1024
    return values["Rss"], values["Pss"], values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)


def main():
    tmp, port = tempfile.mkdtemp(prefix="expediente-load-"), free_port()
    env = environment(tmp, port)
    prepare(env)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        clerks = [Clerk(base, LOGINS[i % len(LOGINS)]) for i in range(100)]
        started = time.perf_counter()
        for clerk in clerks:
            clerk.sign_in()
        print(f"gunicorn: {WORKERS} workers × 2 threads, {os.cpu_count()} cores, "
              f"database {'PostgreSQL' if 'postgresql' in env['DATABASE_URL'] else 'SQLite'}")
        print(f"100 logins (Argon2id, production profile): {time.perf_counter() - started:.1f} s")
        report("100 clerks, a click every 1–4 s", *run_phase(clerks, SECONDS, (1.0, 4.0)), SECONDS)
        report("saturation, 16 sessions without pause", *run_phase(clerks[:16], SECONDS, None), SECONDS)
        workers = [memory_mb(pid) for pid in children(server.pid)]
        print(f"master: RSS {memory_mb(server.pid)[0]:.1f} MB")
        for rss, pss, private in workers:
            print(f"worker: RSS {rss:.1f} MB, PSS {pss:.1f} MB, private {private:.1f} MB")
        worst = max((w[0] for w in workers), default=0)
        print(f"largest worker RSS {worst:.1f} MB: target < {RSS_TARGET_MB} MB {'ok' if worst < RSS_TARGET_MB else 'OVER'}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
