"""Signing bench: Assinar latency (the whole POST: password, freezing, PDF, PAdES seal, fsync, commit),
a co-signature, Assinar todos of a 10-document block, and the Conferir autenticidade page (time and size).

Run: .venv/bin/python bench/signing.py   (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)
Passwords use the production Argon2 profile. Targets: signing p95 ≤ 300 ms; /conferir ≤ 14 KB compressed."""
import statistics
import time

from _common import css_of, make_app, sizes, timed

from app.extensions import db

SIGNATURES = 40
PARAGRAPH = ("<p>Considerando o que consta do processo, informamos que a Secretaria Municipal de Administração "
             "concluiu a análise dos documentos apresentados, nos termos da Lei nº 14.133, de 2021, e solicitamos "
             "a manifestação dessa unidade no prazo de dez dias úteis.</p>")


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def setup(app, count):
    """`count` one-page ofícios of SEMAD (ana) in one process, plus the ids the bench needs."""
    from app.models import Organization, Unit, User
    from app.services import catalog, documents, orgs, processes
    from tests.documents_support import doc_type
    with app.app_context():
        org = db.session.scalar(db.select(Organization).where(Organization.sigla == "PMEX"))
        ana = db.session.scalar(db.select(User).where(User.login == "ana"))
        semad = db.session.scalar(db.select(Unit).where(Unit.organization_id == org.id, Unit.sigla == "SEMAD"))
        gab = db.session.scalar(db.select(Unit).where(Unit.organization_id == org.id, Unit.sigla == "GAB"))
        ana.last_unit_id = semad.id
        db.session.scalar(db.select(User).where(User.login == "bruno")).last_unit_id = semad.id
        process = processes.create_process(semad, by=ana, process_type=catalog.find_type(
            org, "Administração Geral: Processo Administrativo"), specification="Bench de assinatura", interested="",
            access_level="publico", legal_basis=None)
        ids = []
        for n in range(count):
            doc = documents.create_internal_document(process, doc_type(org), by=ana, unit=semad,
                                                     recipient=f"Destinatário {n}")
            documents.save_version(doc, PARAGRAPH * 6, by=ana, unit=semad, base_version=1)
            ids.append(doc.id)
        role = orgs.signature_roles_for(semad)[0].id
        gab_role = orgs.signature_roles_for(gab)[0].id
        db.session.commit()
        return dict(process=process.id, docs=ids, role=role, gab=gab.id, gab_role=gab_role, semad=semad.id)


def main():
    app = make_app(PASSWORD_HASH_PROFILE="strong", VERIFY_MAX_LOOKUPS=10**9, VERIFY_MAX_FAILURES=10**9,
                   VERIFY_FAILURES_BEFORE_CHALLENGE=10**9, LOGIN_MAX_FAILURES_PER_IP=10**9)
    ids = setup(app, SIGNATURES + 22)
    client = app.test_client()
    assert client.post("/login", data={"login": "ana", "password": "Expediente@2026"}).status_code == 303
    password = "Expediente@2026"

    # 1. Assinar: the first signature of each document, through the route (everything but the network).
    samples = []
    for doc_id in ids["docs"][:SIGNATURES]:
        url = f"/processos/{ids['process']}/documentos/{doc_id}/assinar"
        start = time.perf_counter()
        response = client.post(url, data={"role_id": ids["role"], "password": password, "version": 2})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    p50, p95 = percentiles(samples)
    print(f"Assinar (POST completo: senha Argon2, congelamento, PDF, selo PAdES, fsync, commit), {SIGNATURES} "
          f"documentos: p50 {p50:.0f} ms, p95 {p95:.0f} ms (meta ≤ 300 ms)")

    # The same work without the password check (service level, committed), then its parts alone.
    with app.app_context():
        from app.models import Document, Unit, User
        from app.services import seal, signing, signing_pdf
        from app.services.passwords import verify_password
        ana = db.session.scalar(db.select(User).where(User.login == "ana"))
        semad = db.session.get(Unit, ids["semad"])
        samples = []
        for doc_id in ids["docs"][SIGNATURES + 10:SIGNATURES + 20]:
            doc = db.session.get(Document, doc_id)
            start = time.perf_counter()
            signing._add_signature(doc, by=ana, unit=semad, role="Diretor(a)")
            db.session.commit()
            samples.append((time.perf_counter() - start) * 1000)
        p50, p95 = percentiles(samples)
        print(f"  sem a senha (congelamento, PDF, selo, fsync, commit), 10 documentos: p50 {p50:.0f} ms, "
              f"p95 {p95:.0f} ms")
        doc = db.session.get(Document, ids["docs"][0])
        freeze, sigs = signing_pdf.active_freeze(doc), signing.valid_signatures(doc)
        data = signing_pdf.render_pdf(doc, freeze, sigs)
        parts = {"senha (Argon2, perfil de produção)": lambda: verify_password(ana.password_hash, password),
                 "PDF (reportlab)": lambda: signing_pdf.render_pdf(doc, freeze, sigs),
                 "selo PAdES (pyHanko)": lambda: seal.seal_pdf(doc.unit.organization, data)}
        print("  partes: " + "; ".join(f"{name} p50 {timed(fn, n=20, warmup=3)[0]:.0f} ms" for name, fn in parts.items()))

    # 2. A co-signature (new rendition from the frozen inputs) by another user of the unit.
    bruno = app.test_client()
    assert bruno.post("/login", data={"login": "bruno", "password": password}).status_code == 303
    samples = []
    for doc_id in ids["docs"][:20]:
        start = time.perf_counter()
        response = bruno.post(f"/processos/{ids['process']}/documentos/{doc_id}/assinar",
                              data={"role_id": ids["role"], "password": password, "version": 2})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 303
    p50, p95 = percentiles(samples)
    print(f"Coassinatura (nova via a partir do conteúdo congelado), 20 documentos: p50 {p50:.0f} ms, p95 {p95:.0f} ms")

    # 3. Assinar todos: a block of 10 documents made available to GAB, signed there with one password.
    with app.app_context():
        from app.models import Document, Unit, User
        from app.services import blocks
        ana = db.session.scalar(db.select(User).where(User.login == "ana"))
        semad, gab = db.session.get(Unit, ids["semad"]), db.session.get(Unit, ids["gab"])
        block = blocks.create_block(semad, by=ana, description="Bench")
        for doc_id in ids["docs"][SIGNATURES:SIGNATURES + 10]:
            blocks.add_document(block, db.session.get(Document, doc_id), by=ana, unit=semad)
        blocks.make_available(block, [gab], by=ana, unit=semad)
        ana.last_unit_id = gab.id
        db.session.commit()
        block_id = block.id
    gab_client = app.test_client()
    assert gab_client.post("/login", data={"login": "ana", "password": password}).status_code == 303
    start = time.perf_counter()
    response = gab_client.post(f"/blocos/{block_id}/assinar", data={"role_id": ids["gab_role"], "password": password})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    print(f"Assinar todos (bloco de 10 documentos, uma senha): {elapsed:.0f} ms ({elapsed / 10:.0f} ms por documento)")

    # 4. Conferir autenticidade: the QR code URL (anonymous), its time and size; a dropped PDF.
    with app.app_context():
        from app.models import Document
        from app.services import signing
        from app.services.storage import get_storage
        doc = db.session.get(Document, ids["docs"][1])
        url = f"/conferir?codigo={doc.sei}&crc={doc.crc}"
        pdf = get_storage().read(signing.signed_pdf(doc))
    public = app.test_client()
    p50, p95 = timed(lambda: public.get(url), n=200, warmup=20)
    body = public.get(url).get_data()
    gz, br = sizes(body, css_of(public, body))
    print(f"Conferir autenticidade (URL do QR code, documento com 2 assinaturas): p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
          f"página (HTML + CSS) gzip {gz / 1024:.1f} KB, brotli {br / 1024:.1f} KB (meta ≤ 14 KB)")
    empty = public.get("/conferir").get_data()
    gz, br = sizes(empty, css_of(public, empty))
    print(f"Conferir autenticidade (formulário vazio): gzip {gz / 1024:.1f} KB, brotli {br / 1024:.1f} KB")
    with app.app_context():
        from app.services import verification
        p50, p95 = timed(lambda: verification.check_file(pdf), n=50, warmup=5)
    print(f"Conferir um PDF enviado ({len(pdf) / 1024:.0f} KB: SHA-256 + validação do selo): p50 {p50:.0f} ms, "
          f"p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
