"""Pesquisar: full text over what the user may read, one service with two backends.

SQLite: FTS5 (`document_fts`, `process_fts`). PostgreSQL: `document_text.tsv`, `process_text.tsv`
(GIN). Both index the terms of app/services/search_terms.py, so a query means the same on both.
Documents and processes (number, type, especificação, interessados) are found alike.
The index gives candidates newest first with bounded work (search_candidates.py); the access filter
(access.searchable_documents_clause / searchable_process_entries_clause) and the form's filters run
in SQL on them until the cap of each kind is reached (SEARCH_RANK_LIMIT documents, a quarter of it
processes), so counts and pages are right. Only those are ranked; beyond that the page says "mais de
N" and asks for a narrower search."""
import html
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Contact, Process, ProcessInterested
from app.models.process import contact_key
from app.models.document import Document, DocumentInterested
from app.models.search import DocumentText, ProcessText
from app.services import access, search_terms
from app.services import search_candidates as candidates
from app.services.errors import InvalidInput
from app.services.numbering import looks_like_process_number

BRASILIA = ZoneInfo("America/Sao_Paulo")
PAGE_SIZE = 10
SNIPPET_WORDS = 28
SNIPPET_SCAN_CHARS = 300_000
SPACES = re.compile(r"\s+")
MAX_EXAMINED = 30_000    # candidates (newest matches) examined per kind at most
FILTER_WINDOW = 300_000  # filters without words: the newest documents (ids) looked at
PERIOD_MARGIN = 1000     # ids around a period's bounds also looked at
SCOPE_CONTACTS, SCOPE_PROCESSES, SCOPE_DOCUMENTS = 500, 2000, 20_000  # an interessado filter this narrow drives


@dataclass
class Filters:
    process_type_id: int | None = None
    document_type_id: int | None = None
    unit_id: int | None = None
    date_from: object = None
    date_to: object = None
    interested: str = ""
    access_level: str = ""

    @property
    def any(self):
        return any((self.process_type_id, self.document_type_id, self.unit_id, self.date_from, self.date_to,
                    self.interested, self.access_level))


@dataclass
class Hit:
    """A document, or a process found by its own data (document None); `content` False: a Restrito process
    found by its number or type by a unit where it has not been (no especificação, no snippet)."""
    process: Process
    document: Document | None
    score: float
    snippet: Markup
    content: bool = True


@dataclass
class Results:
    hits: list = field(default_factory=list)
    total: int = 0
    capped: bool = False
    incomplete: bool = False  # the work bound was reached before the cap: older matches were not examined
    page: int = 1
    size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.size))


def rank_limit():
    return int(current_app.config.get("SEARCH_RANK_LIMIT", 1000))


def process_rank_limit():
    """Processes are a tenth of the documents and found by a few fields: a quarter of the cap is plenty."""
    return int(current_app.config.get("SEARCH_PROCESS_RANK_LIMIT", max(1, rank_limit() // 4)))


# --- the quick box: a process number or a número SEI jumps to it -------------------------------

def find_number(user, unit, q):
    """("process", Process) / ("document", Document) for a number the user may open; InvalidInput for an
    unknown one; None when `q` is not a number."""
    q = (q or "").strip()
    if looks_like_process_number(q):
        digits = "".join(ch for ch in q if ch.isdigit())  # check digits not required: a wrong one finds nothing
        process = db.session.scalar(select(Process).where(Process.number_digits == digits))
        if not process or not access.can_view_process(user, unit, process):
            raise InvalidInput(f"Nenhum processo com o número {q} foi encontrado.", "q")
        return "process", process
    digits = q.replace(".", "").replace(" ", "")
    if digits.isdecimal() and 7 <= len(digits) <= 12:
        # Números SEI are unique in the installation: the policy decides (a routed process of another órgão).
        document = db.session.scalar(select(Document).where(Document.sei_number == int(digits)))
        if document is None or not access.can_list_document(user, unit, document):
            raise InvalidInput(f"Nenhum documento com o número SEI {q} foi encontrado.", "q")
        return "document", document
    return None


# --- the query ---------------------------------------------------------------------------------

def _day_start_utc(day):
    return datetime.combine(day, time.min, BRASILIA)


def check_filters(filters):
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("O período está invertido: a data inicial é depois da final.", "date_to")
    if len(filters.interested or "") > 200:
        raise InvalidInput("O interessado deve ter no máximo 200 caracteres.", "interested")


def _contacts_named(name):
    """Contacts whose name contains `name`, ignoring accents, case and spacing (the folded name_key)."""
    return select(Contact.id).where(Contact.name_key.contains(contact_key(name), autoescape=True))


def _filter_clauses(filters):
    clauses = []
    if filters.process_type_id:
        clauses.append(Process.type_id == filters.process_type_id)
    if filters.document_type_id:
        clauses.append(Document.type_id == filters.document_type_id)
    if filters.unit_id:
        clauses.append(Document.unit_id == filters.unit_id)
    if filters.access_level:
        clauses.append(Process.access_level == filters.access_level)
    if filters.date_from:
        clauses.append(Document.created_at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        clauses.append(Document.created_at < _day_start_utc(filters.date_to + timedelta(days=1)))
    name = " ".join((filters.interested or "").split()).lower()
    if name:
        matches = _contacts_named(name)
        clauses.append(or_(
            select(ProcessInterested.id).where(ProcessInterested.process_id == Process.id,
                                               ProcessInterested.contact_id.in_(matches)).exists(),
            select(DocumentInterested.id).where(DocumentInterested.document_id == Document.id,
                                                DocumentInterested.contact_id.in_(matches)).exists()))
    return clauses


def _process_filter_clauses(filters):
    """The form's filters for process hits; None when they exclude processes (a tipo de documento)."""
    if filters.document_type_id:
        return None
    clauses = []
    if filters.process_type_id:
        clauses.append(Process.type_id == filters.process_type_id)
    if filters.unit_id:
        clauses.append(Process.generating_unit_id == filters.unit_id)
    if filters.access_level:
        clauses.append(Process.access_level == filters.access_level)
    if filters.date_from:
        clauses.append(Process.created_at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        clauses.append(Process.created_at < _day_start_utc(filters.date_to + timedelta(days=1)))
    name = " ".join((filters.interested or "").split()).lower()
    if name:  # never on a head-only row: that would tell who the interessados of a Restrito process are
        clauses += [ProcessText.with_content.is_(True), select(ProcessInterested.id).where(
            ProcessInterested.process_id == Process.id,
            ProcessInterested.contact_id.in_(_contacts_named(name))).exists()]
    return clauses


def _visible_documents(user, unit, filters):
    return (select(Document.id, Document.created_at).join(Process, Process.id == Document.process_id)
            .where(access.searchable_documents_clause(user, unit), *_filter_clauses(filters)))


def _visible_processes(user, unit, clauses):
    return (select(ProcessText.id, ProcessText.process_id, ProcessText.with_content, Process.created_at)
            .join(Process, Process.id == ProcessText.process_id)
            .where(access.searchable_process_entries_clause(user, unit), *clauses))


class _Bounded(list):
    """Rows found, and whether the work bound stopped the search before the cap (older ones not examined)."""
    incomplete = False


def _collect(chunks, visible, key, need):
    """The first `need` visible rows of the candidate chunks (newest first): the access filter and the
    form's filters run in SQL on each slice of candidates, and no more candidates are read than needed.
    At most MAX_EXAMINED candidates are examined (a common word with a filter few documents pass)."""
    found, examined = _Bounded(), 0
    statement = visible.where(candidates.among(key)).order_by(key.desc())  # one statement, the ids as one value
    for chunk in chunks:
        while chunk:
            if examined >= MAX_EXAMINED:  # and candidates remain
                found.incomplete = True
                return found
            size = max(200, (need - len(found)) * 5 // 4)
            piece, chunk = chunk[:size], chunk[size:]
            found += db.session.execute(statement, {"ids": candidates.ids_value(piece)}).all()
            examined += len(piece)
            if len(found) >= need:
                return _Bounded(found[:need])
    return found


def _newest_window(model, visible, need, below=None, floor=0):
    """Filters alone: the newest FILTER_WINDOW rows at most of the period (a filter few rows pass must not
    read them all)."""
    top = db.session.scalar(select(func.max(model.id))) or 0
    top = min(top, below - 1) if below is not None else top
    start = max(floor, top - FILTER_WINDOW)
    found = _Bounded(db.session.execute(visible.where(model.id > start, model.id <= top)
                                        .order_by(model.id.desc()).limit(need)).all())
    found.incomplete = start > floor and len(found) < need
    return found


def _first_id_at(model, moment):
    """The first id whose created_at is at or after `moment` (rows are created in id order), by bisection
    over the primary key (no index on the date needed); past the last id when there is none."""
    # two statements: SQLite answers min() or max() from the index only when it is alone
    lowest, highest = db.session.scalar(select(func.min(model.id))), db.session.scalar(select(func.max(model.id)))
    if lowest is None:
        return 0
    answer, low, high = highest + 1, lowest, highest
    while low <= high:
        middle = (low + high) // 2
        row = db.session.execute(select(model.id, model.created_at).where(model.id >= middle, model.id <= high)
                                 .order_by(model.id).limit(1)).first()
        if row is None:
            high = middle - 1
        elif _naive(row.created_at) >= _naive(moment):
            answer, high = row.id, middle - 1
        else:
            low = row.id + 1
    return answer


def _id_range(model, filters, scale=1):
    """(below, floor) of the ids created in the filter's period, a margin wider (clocks are not perfect);
    the exact dates are still checked in SQL."""
    below = floor = None
    if filters.date_to:
        below = (_first_id_at(model, _day_start_utc(filters.date_to + timedelta(days=1))) + PERIOD_MARGIN) * scale
    if filters.date_from:
        floor = max(0, _first_id_at(model, _day_start_utc(filters.date_from)) - PERIOD_MARGIN) * scale
    return dict(below=below, floor=floor or 0)


def _interested_scope(user, filters):
    """For an interessado filter few processes pass: (document ids, process ids) of the interessados named,
    so the words are tested on those only (a common word would otherwise walk its whole match list);
    None when the name is too common for that."""
    name = " ".join((filters.interested or "").split()).lower()
    if not name:
        return None
    contacts = db.session.scalars(_contacts_named(name).where(Contact.organization_id == user.organization_id)
                                  .limit(SCOPE_CONTACTS + 1)).all()
    if len(contacts) > SCOPE_CONTACTS:
        return None
    process_ids = db.session.scalars(select(ProcessInterested.process_id).where(
        ProcessInterested.contact_id.in_(contacts)).distinct().limit(SCOPE_PROCESSES + 1)).all() if contacts else []
    if len(process_ids) > SCOPE_PROCESSES:
        return None
    documents = set(db.session.scalars(select(Document.id).where(Document.process_id.in_(process_ids)))) \
        if process_ids else set()
    if contacts:
        documents.update(db.session.scalars(select(DocumentInterested.document_id).where(
            DocumentInterested.contact_id.in_(contacts))))
    if len(documents) > SCOPE_DOCUMENTS:
        return None
    return sorted(documents, reverse=True), sorted(process_ids, reverse=True)


def _documents(user, unit, query, filters, need, ranks, scope):
    visible = _visible_documents(user, unit, filters)
    if query is None:
        return _newest_window(Document, visible, need, **_id_range(Document, filters))
    if scope is not None:
        chunks = [candidates.matching_among(candidates.DOCUMENTS, query, scope[0], ranks)]
    else:
        chunks = candidates.newest_matches(candidates.DOCUMENTS, query, need, ranks, **_id_range(Document, filters))
    return _collect(chunks, visible, Document.id, need)


def _processes(user, unit, query, filters, need, ranks, scope):
    clauses = _process_filter_clauses(filters)
    if clauses is None:
        return []
    if query is None:  # filters alone list only what the unit may read
        visible = _visible_processes(user, unit, [*clauses, ProcessText.with_content.is_(True)])
        return _newest_window(ProcessText, visible, need, **_id_range(Process, filters, scale=2))
    if scope is not None:  # the row with content only: the interessado filter never applies to a head row
        chunks = [candidates.matching_among(candidates.PROCESSES, query, [2 * p + 1 for p in scope[1]], ranks)]
    else:
        chunks = candidates.newest_matches(candidates.PROCESSES, query, need, ranks,
                                           **_id_range(Process, filters, scale=2))
    return _collect(chunks, _visible_processes(user, unit, clauses), ProcessText.id, need)


# PostgreSQL, for the few statements of one search (restored after it): the candidate lists are short
# (≤ a few thousand ids), so every join is a nested loop of index probes, whatever the estimates; with
# its defaults the planner reads the whole process table into a hash for 300 ids (30 ms), hashes a
# unit's process_unit rows for an EXISTS, and JIT-compiles what it thinks is expensive.
PG_SEARCH_SETTINGS = {"enable_hashjoin": "off", "enable_mergejoin": "off", "random_page_cost": "1.1", "jit": "off"}


@contextmanager
def _planner_settings():
    if candidates.dialect() != "postgresql":
        yield
        return
    names = list(PG_SEARCH_SETTINGS)
    previous = db.session.execute(text("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))).one()
    _set(PG_SEARCH_SETTINGS)
    yield  # on an error the caller's rollback undoes these local settings too
    _set(dict(zip(names, previous)))


def _set(settings):
    params = {f"v{i}": value for i, value in enumerate(settings.values())}
    db.session.execute(text("SELECT " + ", ".join(f"set_config('{name}', :v{i}, true)"
                                                  for i, name in enumerate(settings))), params)


def search(user, unit, q, filters, *, page=1, order="relevancia", size=PAGE_SIZE):
    """One page of results (documents and processes); InvalidInput with a Portuguese message for a query or
    filter that makes no sense. Each kind keeps its newest visible matches up to its cap, ranked."""
    check_filters(filters)
    q = (q or "").strip()
    if not q and not filters.any:
        raise InvalidInput("Digite o que deseja pesquisar ou escolha um filtro.", "q")
    query = search_terms.parse_query(q) if q else None
    cap, process_cap = rank_limit(), process_rank_limit()
    doc_ranks, proc_ranks = {}, {}
    with _planner_settings():
        scope = _interested_scope(user, filters) if query is not None else None
        docs = _documents(user, unit, query, filters, cap + 1, doc_ranks, scope)
        procs = _processes(user, unit, query, filters, process_cap + 1, proc_ranks, scope)
        capped = len(docs) > cap or len(procs) > process_cap
        incomplete = getattr(docs, "incomplete", False) or getattr(procs, "incomplete", False)
        docs, procs = docs[:cap], procs[:process_cap]
        score = {}
        if query is not None:
            kinds = {candidates.DOCUMENTS: "d", candidates.PROCESSES: "p"}
            ranked = candidates.scores(query, {candidates.DOCUMENTS: [r.id for r in docs],
                                               candidates.PROCESSES: [r.id for r in procs]},
                                       {candidates.DOCUMENTS: doc_ranks, candidates.PROCESSES: proc_ranks})
            score = {(kinds[index], key): value for (index, key), value in ranked.items()}
    entries = [("d", r.id, r.id, r.created_at, True) for r in docs] + \
              [("p", r.id, r.process_id, r.created_at, r.with_content) for r in procs]
    newest = (lambda e: (_naive(e[3]), e[0] == "d", e[2]))
    entries.sort(key=newest, reverse=True)
    if query is not None and order != "data":
        entries.sort(key=lambda e: score.get((e[0], e[1]), 0.0), reverse=True)  # stable: newest first on ties
    total = len(entries)
    page = max(1, min(int(page or 1), max(1, math.ceil(total / size))))
    shown = entries[(page - 1) * size:page * size]
    hits = _hits(shown, score, query.all_terms if query else set())
    return Results(hits=hits, total=total, capped=capped, incomplete=incomplete and not capped, page=page, size=size)


def _naive(moment):
    return moment.replace(tzinfo=None) if moment is not None and moment.tzinfo else (moment or datetime.min)


def _hits(entries, score, terms):
    doc_ids = [e[2] for e in entries if e[0] == "d"]
    proc_ids = [e[2] for e in entries if e[0] == "p"]
    documents = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(doc_ids)).options(
        joinedload(Document.process).joinedload(Process.type), joinedload(Document.unit)))} if doc_ids else {}
    processes = {p.id: p for p in db.session.scalars(select(Process).where(Process.id.in_(proc_ids)).options(
        joinedload(Process.type), joinedload(Process.generating_unit),
        selectinload(Process.interested)))} if proc_ids else {}
    texts = dict(db.session.execute(select(DocumentText.document_id, DocumentText.text)
                                    .where(DocumentText.document_id.in_(doc_ids))).all()) if doc_ids else {}
    hits = []
    for kind, key, obj_id, _, content in entries:
        value = score.get((kind, key), 0.0)
        if kind == "d" and obj_id in documents:
            document = documents[obj_id]
            hits.append(Hit(document.process, document, value, snippet(texts.get(obj_id) or "", terms)))
        elif kind == "p" and obj_id in processes:
            process = processes[obj_id]
            body = process_summary(process) if content else ""
            hits.append(Hit(process, None, value, snippet(body, terms) if body else Markup(""), content))
    return hits


def process_summary(process):
    """The text a process hit shows (only to those who may read the process)."""
    people = ", ".join(item.contact.name for item in process.interested if item.contact is not None)
    return f"{process.specification}" + (f" — Interessados: {people}" if people else "")


# --- snippets ----------------------------------------------------------------------------------

def snippet(body, terms, width=SNIPPET_WORDS):
    """About `width` words around the first match, the matched words in <mark>; HTML-escaped."""
    body = body[:SNIPPET_SCAN_CHARS]
    spans = [(m.start(), m.end(), search_terms.stem(m.group()) in terms) for m in search_terms.words(body)]
    if not spans:
        return Markup("")
    first = next((i for i, span in enumerate(spans) if span[2]), 0)
    start = max(0, first - width // 3)
    end = min(len(spans), start + width)
    out, cursor = [], spans[start][0]
    for begin, finish, hit in spans[start:end]:
        out.append(html.escape(SPACES.sub(" ", body[cursor:begin])))
        word = html.escape(body[begin:finish])
        out.append(f"<mark>{word}</mark>" if hit else word)
        cursor = finish
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(spans) else ""
    return Markup(prefix + "".join(out).strip() + suffix)
