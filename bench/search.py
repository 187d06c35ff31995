"""Search bench: a realistic Portuguese corpus built with bulk inserts, then p50/p95 of Pesquisar per kind
of query (rare, long-tail, medium, frequent and common words, a phrase, E/NÃO, process metadata), on
SQLite (FTS5) and/or PostgreSQL (tsvector + GIN), with the corpus and index build time.

    .venv/bin/python bench/search.py                       # 20 000 documents, SQLite
    .venv/bin/python bench/search.py --docs 1000000 --backend both
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_search  (default)

The vocabulary is Zipf-distributed over ~300 real words followed by 60 000 generated pseudo-words, so
the tail is really rare (words outside PostgreSQL's statistics); a few words are planted at known
rates. 10 documents per process; processes have a type, an especificação and 1–2 interessados with
CPF. The corpus is reusable: --db PATH keeps the SQLite file (PostgreSQL keeps its database); a second
run with the same --docs and corpus version skips the generation and prints the recorded build time.
Targets: p95 ≤ 50 ms (SQLite), ≤ 100 ms (PostgreSQL)."""
import argparse
import itertools
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone

from _common import make_app, timed

from app.extensions import db

CORPUS_VERSION = 3
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
SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu "
             "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo xa za zi "
             "bra cre dri gro pla tre vis cor mar sal ter").split()
ENDINGS = ("mento ção dade ismo ista agem ância ência eiro ável ivo oso ura ado ido al ar ir ês").split()
PSEUDO_WORDS = 60_000
ZIPF_S = 1.05
WORDS_PER_DOC = (80, 250)
PLANTED = {  # word: share of documents (the rare one: one document in RARE_EVERY)
    "hemodiálise": 0.01, "saneamento": 0.05,
}
RARE, RARE_EVERY = "xilogravura", 50_000
FIRST_NAMES = ("Ana Maria José João Antônio Francisca Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael "
               "Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Manoel Mateus André Fernando Fábio Leonardo "
               "Gustavo Guilherme Juliana Adriana Márcia Fernanda Patrícia Aline Sandra Camila Amanda Bruna Jéssica "
               "Letícia Júlia Luciana Vanessa Mariana Gabriela Vera Vitória Larissa Cláudia Beatriz Rita Sônia "
               "Renata Eliane Simone").split()
LAST_NAMES = ("Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
              "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes "
              "Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto Correia Cavalcanti "
              "Figueiredo Bezerra Monteiro Moura Tavares Campos Azevedo Batista Reis Medeiros Queiroz Fonseca Brandão "
              "Siqueira Vasconcelos Pacheco Bittencourt Guimarães Quintanilha").split()
CONTACTS = 30_000
DOCS_PER_PROCESS = 10


def pseudo_words(rng, n):
    seen, out = set(VOCABULARY), []
    while len(out) < n:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(ENDINGS)
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


class Corpus:
    """The word list (Zipf ranks) and the sampler."""

    def __init__(self, seed=7):
        self.rng = random.Random(seed)
        self.words = VOCABULARY + pseudo_words(random.Random(seed + 1), PSEUDO_WORDS)
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** ZIPF_S for rank in range(len(self.words))))
        self.tail = self._unique_stem_after(40_000)  # ~200 documents at 1 million: outside the planner's statistics

    def _unique_stem_after(self, rank):
        """The first word from `rank` on whose stem no other word shares (Snowball folds many pseudo-words)."""
        from collections import Counter

        from app.services.search_terms import stem
        stems = [stem(word) for word in self.words]
        counts = Counter(stems)
        return next(word for word, s in zip(self.words[rank:], stems[rank:]) if counts[s] == 1)

    def sample(self, n):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)


def build_org():
    from app.services import orgs, users
    org = orgs.create_organization(sigla="BENCH", name="Prefeitura de Bench", city="Bench", uf="MG",
                                   protocol_code="55555")
    units = [orgs.create_unit(org, sigla=f"U{n}", name=f"Unidade {n}") for n in range(20)]
    user = users.create_user(org, login="bench", name="Bench", password="Senha-de-bench-1", units=units[:2])
    db.session.commit()
    return org, units, user


def make_contacts(org, rng):
    from sqlalchemy import insert

    from app.models import Contact
    rows = [dict(id=n + 1, organization_id=org.id, document=f"{rng.randrange(10**10, 10**11):011d}",
                 name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}")
            for n in range(CONTACTS)]
    db.session.execute(insert(Contact), rows)
    return rows


def _drop_gin():
    for name in ("ix_document_text_tsv", "ix_process_text_tsv"):
        db.session.execute(db.text(f"DROP INDEX IF EXISTS {name}"))


def _finish_index(dialect):
    began = time.perf_counter()
    if dialect == "postgresql":
        db.session.execute(db.text("SET maintenance_work_mem = '512MB'"))
        db.session.execute(db.text("CREATE INDEX ix_document_text_tsv ON document_text USING gin (tsv)"))
        db.session.execute(db.text("CREATE INDEX ix_process_text_tsv ON process_text USING gin (tsv)"))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM ANALYZE"))  # what autovacuum would have done on a live server
    else:
        for table in ("document_fts", "process_fts"):
            db.session.execute(db.text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
        db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - began


def generate(total, batch=5000, seed=7):
    """Insert `total` documents (10 per process; 10 % of processes restritos, 0.5 % sigilosos) with their
    index entries and the processes' metadata; returns (seconds, details)."""
    from sqlalchemy import insert, select

    from app.models import Process, ProcessInterested, ProcessType, ProcessUnit
    from app.models.document import Document, DocumentType
    from app.services import search_index, search_process_index, search_terms
    corpus = Corpus(seed)
    rng = corpus.rng
    org, units, user = build_org()
    types = db.session.execute(select(ProcessType.id, ProcessType.name).where(
        ProcessType.organization_id == org.id).order_by(ProcessType.name)).all()  # the same corpus on both databases
    dtype = db.session.scalar(select(DocumentType.id).where(DocumentType.organization_id == org.id).limit(1))
    contacts = make_contacts(org, rng)
    start_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        _drop_gin()
    db.session.commit()
    began, doc_id, picked = time.perf_counter(), 0, None
    for first in range(0, total, batch):
        count = min(batch, total - first)
        processes, links, people, process_rows = [], [], [], []
        for n in range(first // DOCS_PER_PROCESS, (first + count - 1) // DOCS_PER_PROCESS + 1):
            if n * DOCS_PER_PROCESS < first:
                continue  # made with the previous batch
            unit = units[n % len(units)]
            type_id, type_name = types[n % len(types)]
            level = "restrito" if n % 10 == 0 else "sigiloso" if n % 200 == 7 else "publico"
            number = f"55555.{n + 1:06d}/2026-{n % 97:02d}"
            specification = " ".join(corpus.sample(rng.randint(4, 9))).capitalize()
            chosen = rng.sample(contacts, rng.randint(1, 2))
            if n == total // DOCS_PER_PROCESS // 2 + 1:  # a público process (n % 10 != 0): its CPF is searchable
                picked = chosen[0]
            processes.append(dict(id=n + 1, organization_id=org.id, number=number,
                                  number_digits="".join(ch for ch in number if ch.isdigit()), type_id=type_id,
                                  specification=specification[:100], access_level=level,
                                  generating_unit_id=unit.id, author_id=user.id, state="open",
                                  created_at=start_at + timedelta(minutes=n * DOCS_PER_PROCESS)))
            links.append(dict(process_id=n + 1, unit_id=unit.id, origin="generated", sigiloso=level == "sigiloso"))
            if n % 5 == 1:
                links.append(dict(process_id=n + 1, unit_id=units[(n + 7) % len(units)].id, origin="received",
                                  sigiloso=level == "sigiloso"))
            people += [dict(process_id=n + 1, contact_id=c["id"], position=i) for i, c in enumerate(chosen)]
            head = f"{search_process_index.number_words(number)}\n{type_name}"
            full = f"{head}\n{specification}\n" + " ".join(
                f"{c['name']} {search_process_index.cpf_cnpj_words(c['document'])}" for c in chosen)
            process_rows.append((n + 1, search_terms.terms(head), search_terms.terms(full)))
        docs, entries = [], []
        for _ in range(count):
            doc_id += 1
            words = corpus.sample(rng.randint(*WORDS_PER_DOC))
            words += [word for word, share in PLANTED.items() if rng.random() < share]
            if doc_id % RARE_EVERY == 0:
                words.append(RARE)
            rng.shuffle(words)
            at = start_at + timedelta(minutes=doc_id)
            docs.append(dict(id=doc_id, organization_id=org.id, process_id=(doc_id - 1) // DOCS_PER_PROCESS + 1,
                             sei_number=doc_id, kind="internal", type_id=dtype, year=2026, title=f"Ofício nº {doc_id}",
                             access_level="publico", unit_id=units[((doc_id - 1) // DOCS_PER_PROCESS) % len(units)].id,
                             author_id=user.id, state="signed", current_version=1, created_at=at, updated_at=at))
            body = " ".join(words).capitalize() + "."
            entries.append(dict(id=doc_id, status="done", source="html", text=body, error=None, attempts=1,
                                terms=search_terms.terms(f"Ofício Ofício nº {doc_id} {doc_id:07d}\n{body}")))
        if processes:
            db.session.execute(insert(Process), processes)
            db.session.execute(insert(ProcessUnit), links)
            db.session.execute(insert(ProcessInterested), people)
            search_process_index.write_process_entries(process_rows)
        db.session.execute(insert(Document), docs)
        search_index.write_entries(entries)
        db.session.commit()
        print(f"  {first + count:>9} documentos ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
    loaded = time.perf_counter() - began
    indexed = _finish_index(dialect)
    print(f"  índice: {indexed:.0f} s", file=sys.stderr)
    return loaded + indexed, dict(load_s=round(loaded), index_s=round(indexed), tail=corpus.tail,
                                  contact=picked["name"].split()[-1], cpf=picked["document"])


def existing(total):
    from sqlalchemy import func, select

    from app.models.document import Document
    try:
        return db.session.scalar(select(func.count(Document.id))) == total
    except Exception:  # noqa: BLE001 - a fresh database
        db.session.rollback()
        return False


def _info_path(backend, total, path):
    return f"{path}.json" if backend == "sqlite" else f"/tmp/expediente-bench-search-pg-{total}.json"


def _load_info(info_path):
    try:
        with open(info_path) as f:
            info = json.load(f)
        return info if info.get("version") == CORPUS_VERSION else None
    except (OSError, ValueError):
        return None


QUERIES = (("rara", lambda i: "xilogravura"), ("cauda", lambda i: Corpus().tail), ("média", lambda i: "hemodiálises"),
           ("frequente", lambda i: "saneamento"), ("comum", lambda i: "processos"),
           ("frase", lambda i: '"processo licitação"'), ("E/NÃO", lambda i: "contrato NÃO aditivo"),
           ("interessado", lambda i: i["contact"]), ("CPF", lambda i: i["cpf"]),
           ("nº parcial", lambda i: "000777/2026"))
# with the form's filters: an old period (the walk starts at the period's ids), a name few pass (work bound)
FILTERED = (("+período", "processos", dict(date_from=date(2020, 1, 1), date_to=date(2020, 1, 5))),
            ("+interessado", "processos", dict(interested="{cpf_name}")),  # a person's name: few processes
            ("+ninguém", "processos", dict(interested="zzz-ninguém")))


def run(backend, total, path, repeat):
    if backend == "postgresql":
        url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_search")
    else:
        url = f"sqlite:///{path}"
    info_path = _info_path(backend, total, path)
    info = _load_info(info_path)
    os.environ["BENCH_DATABASE_URL"] = url
    if backend == "sqlite" and os.path.exists(path) and info is None:
        os.remove(path)  # another corpus: start again
    if backend == "postgresql" and info is None:
        from sqlalchemy import create_engine, text
        with create_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    app = make_app(seed_demo=False, SQLALCHEMY_DATABASE_URI=url, JOBS_IMMEDIATE=True)
    with app.app_context():
        from sqlalchemy import select

        from app.models import Unit, User
        from app.services import search
        if info is None or not existing(total):
            seconds, details = generate(total)
            info = dict(version=CORPUS_VERSION, docs=total, build_s=round(seconds), **details)
            with open(info_path, "w") as f:
                json.dump(info, f)
        import gc
        gc.collect()
        gc.freeze()  # as a production worker should after start-up: a full collection of the app's objects costs ~100 ms here
        user = db.session.scalar(select(User).where(User.login == "bench"))
        unit = db.session.get(Unit, user.last_unit_id) if user.last_unit_id else user.units[0]
        print(f"\n{backend}: {total} documentos, {total // DOCS_PER_PROCESS} processos; corpus e índice construídos "
              f"em {info['build_s']} s (carga {info['load_s']} s + índice {info['index_s']} s)")
        from app.models import Contact
        cpf_name = db.session.scalar(select(Contact.name).where(Contact.document == info["cpf"]))
        cases = [(label, make_query(info), {}) for label, make_query in QUERIES] + [
            (label, q, {k: v.format(cpf_name=cpf_name) if isinstance(v, str) else v for k, v in filters.items()})
            for label, q, filters in FILTERED]
        for label, q, filters in cases:
            results = search.search(user, unit, q, search.Filters(**filters))
            kinds = f"{sum(h.document is None for h in results.hits)}p"
            p50, p95 = timed(lambda: search.search(user, unit, q, search.Filters(**filters)), n=repeat, warmup=3)
            mark = "+" if results.capped else "?" if results.incomplete else " "
            print(f"  {label:12} {q!r:26} {results.total:>6}{mark} resultados ({kinds} na "
                  f"1ª pág.)  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
            db.session.rollback()
        print("  (+: mais resultados que o limite; ?: limite de trabalho atingido, pesquisa incompleta)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--db", default=None, help="arquivo SQLite do corpus (reaproveitado entre execuções)")
    parser.add_argument("--repeat", type=int, default=60, help="pesquisas medidas por tipo")
    args = parser.parse_args()
    path = args.db or f"/tmp/expediente-bench-search-{args.docs}.db"
    for backend in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        run(backend, args.docs, path, args.repeat)


if __name__ == "__main__":
    main()
