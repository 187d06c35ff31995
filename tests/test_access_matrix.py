"""The access matrix: for every route of a process (and of its documents), each kind of user gets exactly
the answer the level allows — Público, Restrito and Sigiloso × (a user of the unit where it is open, of a
unit where it has been, of a unit where it never was, of another órgão, a credential holder, a former
credential holder).

Expected answers come from FACTS (written by hand, not from the policy under test) and the class of each
route in ROUTES. A refused request (403, or 422 with a message from the service) and a hidden one (404)
change nothing and never show the document's text; a hidden one never shows the process number."""
import pytest
from sqlalchemy import func, select

from app.models import HistoryEntry, ProcessUnit
from app.models.search import ExportJob
from app.services import catalog, credentials, documents, processes, relations, routing, unit_tools
from tests.conftest import csrf_from
from tests.documents_support import doc_type
from tests.process_factory import make_process
from tests.signing_support import sign

SECRET = "CONTEUDO-RESERVADO-7731"
ACTORS = ("open", "been", "never", "other_org", "holder", "former")
LOGINS = {"open": "dora", "been": "edu", "never": "carla", "other_org": "caio", "holder": "gabi", "former": "bruno"}
# (may view the process page, may read its content, open in the actor's unit, actor's unit is the
# document's, the process has been in the actor's unit)
FACTS = {
    "publico": {"open": (1, 1, 1, 1, 1), "been": (1, 1, 0, 0, 1), "never": (1, 1, 0, 0, 0),
                "other_org": (0, 0, 0, 0, 0), "holder": (1, 1, 1, 0, 1), "former": (1, 1, 0, 0, 1)},
    "restrito": {"open": (1, 1, 1, 1, 1), "been": (1, 1, 0, 0, 1), "never": (1, 0, 0, 0, 0),
                 "other_org": (0, 0, 0, 0, 0), "holder": (1, 1, 1, 0, 1), "former": (1, 1, 0, 0, 1)},
    "sigiloso": {"open": (0, 0, 0, 0, 0), "been": (0, 0, 0, 0, 0), "never": (0, 0, 0, 0, 0),
                 "other_org": (0, 0, 0, 0, 0), "holder": (1, 1, 1, 0, 1), "former": (0, 0, 0, 0, 0)},
}
# endpoint → class per method. view: the page; read: the content; act: needs the process open here;
# own: a document action of the document's unit; holder: Credenciais (Sigiloso holders only).
# A trailing "?" means a user may still get 404 for a reason outside the matrix (an internal document has
# no file, a marker of another unit); "~" that an allowed user may still be refused by a rule outside the
# matrix (a locked document is not edited, an internal one not authenticated, an export is its owner's).
ROUTES = {
    "processes.show": {"GET": "view"}, "processes.history_page": {"GET": "view"},
    "processes.relations_page": {"GET": "view", "POST": "act"},
    "processes.edit": {"GET": "act", "POST": "act"}, "processes.send": {"GET": "act", "POST": "act"},
    "processes.suspend": {"GET": "act", "POST": "act"}, "processes.annex": {"GET": "act", "POST": "act"},
    "processes.progress": {"GET": "act", "POST": "act"}, "processes.delete": {"GET": "act", "POST": "act"},
    "processes.note": {"POST": "act"}, "processes.assign": {"POST": "act"}, "processes.deadline": {"POST": "act"},
    "processes.add_marker": {"POST": "act"}, "processes.remove_marker": {"POST": "act?"},
    "processes.acknowledge": {"POST": "act"}, "processes.conclude": {"POST": "act"},
    "processes.reopen": {"POST": "reopen"}, "processes.unsuspend": {"POST": "act"}, "processes.unrelate": {"POST": "act"},
    "processes.watch": {"POST": "read"}, "processes.unwatch": {"POST": "read"},
    "processes.acknowledge_document": {"POST": "act"},
    "processes.credentials_page": {"GET": "holder", "POST": "holder"},
    "processes.revoke_credential": {"POST": "holder"}, "processes.renounce_credential": {"POST": "holder"},
    "documents.index": {"GET": "read"}, "documents.show": {"GET": "read"}, "documents.pdf": {"GET": "read"},
    "documents.versions_page": {"GET": "read"}, "documents.file": {"GET": "read?"},
    "signing.signed_pdf": {"GET": "read?"}, "documents.document_brasao": {"GET": "read?"},
    "documents.new": {"GET": "act", "POST": "act"}, "documents.upload": {"GET": "act", "POST": "act"},
    "documents.alter": {"GET": "own", "POST": "own"}, "documents.edit": {"GET": "own~", "POST": "own~"},
    "documents.cancel": {"GET": "own", "POST": "own"}, "documents.delete": {"GET": "own~", "POST": "own~"},
    "documents.restore": {"POST": "own~"}, "signing.sign": {"GET": "own", "POST": "own"},
    "signing.authenticate": {"GET": "own~", "POST": "own~"}, "signing.include": {"GET": "own", "POST": "own"},
    "search.export_page": {"GET": "read"}, "search.export_pdf": {"POST": "read"}, "search.export_zip": {"GET": "read"},
    "search.export_status": {"GET": "read~"}, "search.export_file": {"GET": "read~"},
}
# POSTs that may change the state for the rest of the run go last, in this order.
LAST = ("documents.delete", "processes.delete", "processes.conclude", "processes.reopen",
        "processes.renounce_credential")


def expected(level, actor, kind):
    """"ok" (anything but 403/404), "refused" (403, or 422 from the service), or "hidden" (404)."""
    view, read, open_here, own_unit, been = FACTS[level][actor]
    kind = kind.rstrip("?~")
    if kind == "holder":
        return "ok" if level == "sigiloso" and actor == "holder" else "hidden"
    if not view:
        return "hidden"
    if kind == "view":
        return "ok"
    if not read:
        return "refused"
    if kind == "read":
        return "ok"
    if kind == "act":
        return "ok" if open_here else "refused"
    if kind == "reopen":
        return "ok" if been else "refused"
    return "ok" if open_here and own_unit else "refused"  # own


def build(db, make, level):
    pm = make.org("PM", name="Prefeitura")
    semad = make.unit(pm, "SEMAD")
    units = dict(semad=semad, dcc=make.unit(pm, "DCC", parent=semad), sefaz=make.unit(pm, "SEFAZ"),
                 gab=make.unit(pm, "GAB"))
    cm = make.org("CM", name="Câmara")
    presi = make.unit(cm, "PRESI")
    users = {login: make.user(pm, [units[u]], login) for login, u in (
        ("ana", "semad"), ("dora", "semad"), ("bruno", "dcc"), ("edu", "dcc"), ("carla", "sefaz"), ("gabi", "gab"))}
    users["caio"] = make.user(cm, [presi], "caio")
    ana, semad = users["ana"], units["semad"]
    process = make_process(semad, ana, specification="Especificação do processo", level="sigiloso")
    document = documents.create_internal_document(process, doc_type(pm), by=ana, unit=semad)
    documents.save_version(document, f"<p>{SECRET}</p>", by=ana, unit=semad, base_version=1)
    sign(document, ana, semad)
    gabi_credential = credentials.grant(process, semad, by=ana, user=users["gabi"], to_unit=units["gab"])
    bruno_credential = credentials.grant(process, semad, by=ana, user=users["bruno"], to_unit=units["dcc"])
    credentials.revoke(process, semad, by=ana, credential=bruno_credential)
    if level != "sigiloso":
        basis = next((b for b in catalog.legal_bases(pm) if b.level == "restrito"), None) if level == "restrito" else None
        processes.update_process(process, semad, by=ana, process_type=process.type,
                                 specification=process.specification, interested="", access_level=level,
                                 legal_basis=basis)
        routing.send_process(process, [units["dcc"]], by=ana, from_unit=semad, keep_open=True)
        routing.conclude(process, units["dcc"], by=users["bruno"])
    other = make_process(semad, ana, specification="Outro processo")
    relations.relate(process, semad, by=ana, other=other)
    marker = unit_tools.create_marker(semad, by=ana, name="Urgente", color="vermelho")
    unit_tools.apply_marker(process, semad, by=ana, marker=marker)
    export = ExportJob(process_id=process.id, user_id=ana.id, unit_id=semad.id, kind="pdf", document_ids=[],
                       status="done", filename="x.pdf")
    db.session.add(export)
    db.session.commit()
    return dict(process_id=process.id, document_id=document.id, credential_id=gabi_credential.id,
                other_id=other.id, marker_id=marker.id, export_id=export.id, version_number=1,
                number=process.number)


def snapshot(db, process_id):
    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.process_id == process_id))
    rows = db.session.execute(select(ProcessUnit.unit_id, ProcessUnit.closed_at, ProcessUnit.assigned_to_id,
                                     ProcessUnit.note).where(ProcessUnit.process_id == process_id)
                              .order_by(ProcessUnit.unit_id)).all()
    return count, rows


def _requests(app, ids):
    from flask import url_for
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in ROUTES:
            continue
        for method, kind in ROUTES[rule.endpoint].items():
            with app.test_request_context():
                url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
            out.append((rule.endpoint, method, kind, url))
    order = lambda r: (r[1] == "POST", r[0] in LAST and LAST.index(r[0]), r[0])  # noqa: E731
    return sorted(out, key=order)


def test_every_process_route_is_in_the_matrix(app):
    routes = {r.endpoint for r in app.url_map.iter_rules()
              if "process_id" in r.arguments or (r.endpoint.startswith(("documents.", "processes.")) and
                                                  "document_id" in r.arguments)}
    assert routes <= set(ROUTES), f"classify these routes in ROUTES: {routes - set(ROUTES)}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("level", ["publico", "restrito", "sigiloso"])
def test_access_matrix(app, client, db, make, login, level, actor):
    ids = build(db, make, level)
    login(LOGINS[actor])
    token = csrf_from(client.get("/").get_data(as_text=True))
    failures = []
    for endpoint, method, kind, url in _requests(app, ids):
        want = expected(level, actor, kind)
        before = snapshot(db, ids["process_id"]) if want != "ok" else None
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        status, body = response.status_code, response.get_data()
        if status in (302, 303):
            client.get(response.headers["Location"])  # consume the flash message
        if want == "hidden":
            good = status == 404 and ids["number"].encode() not in body
        elif want == "refused":
            good = status in (403, 422) or (status == 404 and kind.endswith("?"))
        else:
            good = kind.endswith("~") or status not in (403, 404) or (status == 404 and kind.endswith("?"))
        if want != "ok":
            good = good and snapshot(db, ids["process_id"]) == before
        if not FACTS[level][actor][1]:  # the document's text only for those who may read the content
            good = good and SECRET.encode() not in body
        if not good:
            failures.append((method, endpoint, want, status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("level", ["publico", "restrito", "sigiloso"])
def test_listings_and_search_follow_the_matrix(app, client, db, make, login, level):
    """Controle de Processos, Processos com Credencial, Pesquisar (quick box by number) and PDF export."""
    ids = build(db, make, level)
    for actor in ACTORS:
        login(LOGINS[actor])
        view, read, open_here = FACTS[level][actor][:3]
        inbox = client.get("/").get_data(as_text=True)
        assert (ids["number"] in inbox) == bool(open_here and view), (actor, "inbox")
        found = client.get("/pesquisar", query_string={"q": ids["number"]})
        assert (found.status_code in (302, 303)) == bool(view), (actor, "quick search", found.status_code)
        listed = client.get("/credenciais").get_data(as_text=True)
        assert (ids["number"] in listed) == (level == "sigiloso" and actor == "holder"), (actor, "credenciais")
        client.post("/logout", data={"csrf_token": csrf_from(inbox)})
