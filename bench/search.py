"""Search bench: a realistic Portuguese corpus built with bulk inserts, then p50/p95 of Pesquisar for
rare, medium and common words, on SQLite (FTS5) and/or PostgreSQL (tsvector + GIN).

    .venv/bin/python bench/search.py                       # 20 000 documents, SQLite
    .venv/bin/python bench/search.py --docs 1000000 --backend both
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_search  (default)

The corpus is reusable: --db PATH keeps the SQLite file (and PostgreSQL keeps its database); a second
run with the same --docs skips the generation. Targets: p95 ≤ 50 ms (SQLite), ≤ 100 ms (PostgreSQL)."""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from _common import make_app, timed

from app.extensions import db

VOCABULARY = """processo licitação pregão eletrônico contrato aditivo convênio empenho liquidação pagamento nota fiscal
secretaria municipal administração fazenda saúde educação obras infraestrutura transporte escolar merenda
requerimento servidor férias licença prêmio aposentadoria pensão diária viagem ofício memorando despacho parecer
jurídico procuradoria portaria decreto lei orgânica câmara vereador prefeito gabinete protocolo arquivo
orçamento dotação crédito suplementar exercício financeiro balanço prestação contas tribunal controle interno
auditoria fiscalização vigilância sanitária alvará funcionamento habite-se certidão negativa débito tributo
imposto predial territorial urbano iptu iss taxa coleta lixo iluminação pública pavimentação asfalto calçamento
reforma escola unidade básica posto hospital ambulância medicamento farmácia vacina campanha programa federal
estadual repasse fundo fundeb sus assistência social cras benefício eventual cesta básica aluguel social
habitação regularização fundiária loteamento zoneamento plano diretor meio ambiente licença ambiental poda
árvore praça parque esporte cultura festa evento patrimônio bem imóvel veículo combustível manutenção
equipamento informática sistema software locação serviço terceirizado limpeza vigilância recurso humano
concurso seleção nomeação posse exoneração gratificação adicional insalubridade folha pagamento consignado
empresa fornecedor proposta preço ata registro homologação adjudicação recurso impugnação edital termo
referência estudo técnico preliminar pesquisa mercado dispensa inexigibilidade emergencial justificativa
autorização ordenador despesa fiscal gestor contrato cronograma medição boletim entrega recebimento
provisório definitivo garantia multa sanção advertência suspensão rescisão notificação prazo resposta""".split()
COMMON = "processo"   # in most documents
MEDIUM = "hemodiálise"  # ~1 % (not in the vocabulary)
RARE_EVERY = 10_000    # one document in this many has the rare word "xilogravura"


def zipf_words(rng, n):
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(VOCABULARY))]
    return rng.choices(VOCABULARY, weights=weights, k=n)


def build_org():
    from app.services import orgs, users
    org = orgs.create_organization(sigla="BENCH", name="Prefeitura de Bench", city="Bench", uf="MG",
                                   protocol_code="55555")
    units = [orgs.create_unit(org, sigla=f"U{n}", name=f"Unidade {n}") for n in range(20)]
    user = users.create_user(org, login="bench", name="Bench", password="Senha-de-bench-1", units=units[:2])
    db.session.commit()
    return org, units, user


def generate(total, batch=5000, seed=7):
    """Insert `total` documents (10 per process; 10 % of processes restritos) with their index entries."""
    from sqlalchemy import insert, select

    from app.models import Process, ProcessType, ProcessUnit
    from app.models.document import Document, DocumentType
    from app.services.search_terms import stem
    from app.services.search_index import write_entry
    rng = random.Random(seed)
    org, units, user = build_org()
    ptype = db.session.scalar(select(ProcessType.id).where(ProcessType.organization_id == org.id).limit(1))
    dtype = db.session.scalar(select(DocumentType.id).where(DocumentType.organization_id == org.id).limit(1))
    stems = {w: stem(w) for w in VOCABULARY + ["xilogravura", MEDIUM, COMMON]}
    start_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(db.text("DROP INDEX IF EXISTS ix_document_text_tsv"))
    began, doc_id = time.perf_counter(), 0
    for first in range(0, total, batch):
        count = min(batch, total - first)
        processes, links, docs = [], [], []
        for n in range(first // 10, (first + count + 9) // 10):
            unit = units[n % len(units)]
            processes.append(dict(id=n + 1, organization_id=org.id, number=f"55555.{n:06d}/2026-{n % 97:02d}",
                                  number_digits=f"55555{n:06d}2026{n % 97:02d}", type_id=ptype,
                                  specification="Bench", access_level="restrito" if n % 10 == 0 else "publico",
                                  generating_unit_id=unit.id, author_id=user.id, state="open",
                                  created_at=start_at))
            links.append(dict(process_id=n + 1, unit_id=unit.id, origin="generated"))
        entries = []
        for i in range(count):
            doc_id += 1
            words = zipf_words(rng, 120)
            if rng.random() < 0.6:
                words.append(COMMON)
            if rng.random() < 0.01:
                words.append(MEDIUM)
            if doc_id % RARE_EVERY == 0:
                words.append("xilogravura")
            rng.shuffle(words)
            at = start_at + timedelta(minutes=doc_id)
            docs.append(dict(id=doc_id, organization_id=org.id, process_id=(doc_id - 1) // 10 + 1, sei_number=doc_id,
                             kind="internal", type_id=dtype, year=2026, title=f"Ofício nº {doc_id}", access_level="publico",
                             unit_id=units[((doc_id - 1) // 10) % len(units)].id, author_id=user.id, state="signed",
                             current_version=1, created_at=at, updated_at=at))
            entries.append((doc_id, " ".join(words).capitalize() + ".",
                            " ".join(stems[w] for w in words if stems[w])))
        db.session.execute(insert(Process), [p for p in processes if p["id"] * 10 - 9 > first])
        db.session.execute(insert(ProcessUnit), [link for link in links if link["process_id"] * 10 - 9 > first])
        db.session.execute(insert(Document), docs)
        for document_id, body, terms in entries:
            write_entry(document_id, status="done", source="html", text_value=body, terms=terms)
        db.session.commit()
        print(f"  {first + count:>9} documentos ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
    if dialect == "postgresql":
        index_began = time.perf_counter()
        db.session.execute(db.text("CREATE INDEX ix_document_text_tsv ON document_text USING gin (tsv)"))
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        print(f"  índice GIN: {time.perf_counter() - index_began:.0f} s", file=sys.stderr)
    else:
        db.session.execute(db.text("INSERT INTO document_fts(document_fts) VALUES ('optimize')"))
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - began


def existing(total):
    from sqlalchemy import func, select

    from app.models.document import Document
    try:
        return db.session.scalar(select(func.count(Document.id))) == total
    except Exception:  # noqa: BLE001 - a fresh database
        db.session.rollback()
        return False


def _sqlite_has(path, total):
    import sqlite3
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM document").fetchone()[0] == total
    except sqlite3.Error:
        return False


def run(backend, total, path):
    if backend == "postgresql":
        url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_search")
    else:
        url = f"sqlite:///{path}"
    os.environ["BENCH_DATABASE_URL"] = url
    if backend == "sqlite" and os.path.exists(path) and not _sqlite_has(path, total):
        os.remove(path)  # a corpus of another size: start again
    app = make_app(seed_demo=False, SQLALCHEMY_DATABASE_URI=url, JOBS_IMMEDIATE=True)
    with app.app_context():
        from sqlalchemy import select

        from app.models import Unit, User
        from app.services import search
        if existing(total):
            build = None
        else:
            if backend == "postgresql":
                db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
                from flask_migrate import upgrade
                upgrade(revision="heads")
            build = generate(total)
        user = db.session.scalar(select(User).where(User.login == "bench"))
        unit = db.session.get(Unit, user.last_unit_id) if user.last_unit_id else user.units[0]
        print(f"\n{backend}: {total} documentos" + (f", corpus e índice em {build:.0f} s" if build else
                                                   " (corpus reaproveitado)"))
        for label, q in (("rara", "xilogravura"), ("média", "hemodiálises"), ("comum", "processos"),
                         ("frase", '"processo licitação"'), ("E/NÃO", "contrato NÃO aditivo")):
            results = search.search(user, unit, q, search.Filters())
            p50, p95 = timed(lambda: search.search(user, unit, q, search.Filters()), n=60, warmup=5)
            print(f"  {label:6} {q!r:28} {results.total:>6}{'+' if results.capped else ' '} resultados"
                  f"  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
            db.session.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--db", default=None, help="arquivo SQLite do corpus (reaproveitado entre execuções)")
    args = parser.parse_args()
    path = args.db or f"/tmp/expediente-bench-search-{args.docs}.db"
    for backend in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        run(backend, args.docs, path)


if __name__ == "__main__":
    main()
