"""Compressed size of each main page and the server time of the home page vs a bare Flask route.

Run: .venv/bin/python bench/pages.py  (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)"""
from _common import css_of, floor_client, logged_in_client, make_app, sizes, timed

PAGES = ["/login", "/", "/senha", "/pesquisar", "/admin/", "/admin/unidades", "/admin/usuarios", "/admin/cargos",
         "/admin/auditoria", "/senha/esqueci"]
ANONYMOUS_PAGES = {"/login", "/senha/esqueci"}
EXTRA_PAGES = ["/processos/novo", "/acompanhamento"]


def main():
    app = make_app(SMTP_HOST="127.0.0.1")  # e-mail on, so /senha/esqueci shows its form (nothing is sent)
    anon = app.test_client()
    client = logged_in_client(app, "admin.pm")
    print(f"{'page':28} {'HTML':>7} {'gzip':>7} {'br':>7}   (HTML+CSS compressed; budget 14336)")
    for url in PAGES + EXTRA_PAGES:
        response = (anon if url in ANONYMOUS_PAGES else client).get(url)
        if response.status_code != 200:
            continue
        html = response.get_data()
        gz, br = sizes(html, css_of(client, html))
        flag = "" if gz <= 14336 else "  OVER BUDGET"
        print(f"{url:28} {len(html):7d} {gz:7d} {br:7d}{flag}")
    home = timed(lambda: client.get("/"))
    bare = floor_client()
    floor = timed(lambda: bare.get("/"))
    print(f"\nhome page server time: p50 {home[0]:.2f} ms  p95 {home[1]:.2f} ms")
    print(f"bare Flask floor:      p50 {floor[0]:.2f} ms  p95 {floor[1]:.2f} ms")
    print(f"ratio (p50):           {home[0] / floor[0]:.1f}x")


if __name__ == "__main__":
    main()
