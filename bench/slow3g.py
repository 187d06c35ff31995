"""Clicks on a "Slow 3G" link (≈400 kbit/s both ways, 400 ms round trip) in a real Chromium.

DESIGN.md §5: a warm inbox click shows new content in ≤ 1 s. Serves the seeded demo, logs in as
"ana", then — with the network throttled through the DevTools protocol — times, from the click to
the new content being visible: the menu link to Controle de Processos (warm: CSS and htmx cached),
opening a process from the inbox, its Consultar Andamento, and a search; plus a cold /login with an
empty cache. Prints each time and the bytes the page moved.

Run: .venv/bin/python bench/slow3g.py   (needs Debian's chromium at /usr/bin/chromium)."""
import statistics
import threading
import time

from _common import make_app
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
TARGET_S = 1.0
RUNS = 5


def throttle(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return cdp


def count_bytes(cdp):
    """Bytes on the wire (compressed, headers included), as DevTools counts them."""
    moved = {"bytes": 0}
    cdp.on("Network.loadingFinished", lambda event: moved.__setitem__("bytes", moved["bytes"] + event["encodedDataLength"]))
    return moved


def timed_click(page, click, url, visible):
    start = time.perf_counter()
    click()
    page.wait_for_url(url, wait_until="commit")
    page.locator(visible).first.wait_for(state="visible")
    return time.perf_counter() - start


def main():
    app = make_app(JOBS_IMMEDIATE=True, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(base_url=base, locale="pt-BR")
        page = context.new_page()

        moved = count_bytes(throttle(page))
        start = time.perf_counter()
        page.goto("/login")
        page.locator("#login").wait_for(state="visible")
        print(f"cold /login (empty cache): {time.perf_counter() - start:.2f} s, {moved['bytes'] / 1024:.1f} KB")

        page.fill("#login", "ana")
        page.fill("#password", "Expediente@2026")
        page.click("button[type=submit]")
        page.locator("table.inbox").wait_for(state="visible")
        page.wait_for_load_state("load")
        process_link = page.locator("table.inbox a[href^='/processos/']").first.get_attribute("href")

        steps = {
            "Controle de Processos (menu)": (lambda: page.get_by_role("link", name="Controle de Processos").click(),
                                             "**/", "table.inbox"),
            "abrir processo": (lambda: page.locator(f"table.inbox a[href='{process_link}']").first.click(),
                               "**" + process_link, "#nup"),
            "Consultar Andamento": (lambda: page.get_by_role("link", name="Consultar Andamento").click(),
                                    "**/andamento", "main table"),
            "Pesquisar": (lambda: page.get_by_role("link", name="Pesquisar", exact=True).click(),
                          "**/pesquisar", "main input[name=q]"),
        }
        worst = 0.0
        for name, (click, url, visible) in steps.items():
            times, sizes = [], []
            for _ in range(RUNS):
                if name == "Controle de Processos (menu)":
                    page.goto(process_link)
                elif name == "abrir processo":
                    page.goto("/")
                elif name == "Consultar Andamento":
                    page.goto(process_link)
                else:
                    page.goto("/")
                page.wait_for_load_state("load")
                moved["bytes"] = 0
                times.append(timed_click(page, click, url, visible))
                sizes.append(moved["bytes"])
            median = statistics.median(times)
            worst = max(worst, median)
            print(f"warm click, {name}: median {median:.2f} s (max {max(times):.2f} s), "
                  f"{statistics.median(sizes) / 1024:.1f} KB moved")
        print(f"slowest warm click {worst:.2f} s: target ≤ {TARGET_S:.0f} s {'ok' if worst <= TARGET_S else 'OVER'}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
