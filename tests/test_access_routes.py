"""Every route is covered: anonymous users are sent to login; a user of another órgão gets 403/404.

PARAMS maps each URL parameter name to a function returning an object id that belongs to the
*other* órgão (the câmara, CM). A new route with a new parameter must add it here, or this
test fails. PUBLIC lists the endpoints meant for anonymous use."""
import pytest
from sqlalchemy import select

from app.models import LegalBasis, ProcessType, SignatureRole
from app.services import processes
from tests.conftest import csrf_from
from tests.documents_support import cm_documents, doc_type
from tests.process_factory import cm_objects
from tests.routing_support import cm_routing  # issue 4
from tests.search_support import cm_export  # issue 7
from tests.signing_support import cm_blocks  # issue 6

PUBLIC = {"static", "auth.login", "auth.logout",
          "auth.forgot_password", "auth.reset_password",  # issue 2: Esqueci minha senha
          "verify.conferir", "verify.signed_pdf"}  # issue 6: Conferir autenticidade

PARAMS = {
    "unit_id": lambda w, db: w.presi.id,
    "user_id": lambda w, db: w.caio.id,
    "role_id": lambda w, db: db.session.scalar(select(SignatureRole.id).where(
        SignatureRole.organization_id == w.cm.id)),
    "process_id": lambda w, db: cm_objects(w, db).cm_process.id,
    "marker_id": lambda w, db: cm_objects(w, db).cm_marker.id,
    "process_type_id": lambda w, db: db.session.scalar(select(ProcessType.id).where(
        ProcessType.organization_id == w.cm.id).limit(1)),
    "legal_basis_id": lambda w, db: db.session.scalar(select(LegalBasis.id).where(
        LegalBasis.organization_id == w.cm.id).limit(1)),
    "document_id": lambda w, db: cm_documents(w, db).doc.id,
    "version_number": lambda w, db: 1,
    "sha256": lambda w, db: cm_documents(w, db).ext.blob_sha256,
    "text_id": lambda w, db: cm_documents(w, db).text.id,
    "type_id": lambda w, db: doc_type(w.cm).id,
    "export_id": lambda w, db: cm_export(w, db).cm_export.id,  # issue 7
    "block_id": lambda w, db: cm_blocks(w, db).cm_block.id,  # issue 6
    "other_id": lambda w, db: cm_routing(w, db).cm_other.id,  # issue 4
    "credential_id": lambda w, db: cm_routing(w, db).cm_credential.id,
    "holiday_id": lambda w, db: cm_routing(w, db).cm_holiday.id,
    "contact_id": lambda w, db: processes.find_or_create_contact(w.cm, "Contato da Câmara", None).id,
}
# Extra fixtures that create the other órgão's objects named by PARAMS (added by feature modules).
WORLD_EXTENSIONS = [cm_objects, cm_documents, cm_export, cm_blocks, cm_routing]


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC), key=lambda r: r.rule)


def _methods(rule):
    return sorted(m for m in rule.methods if m in ("GET", "POST"))


def test_every_route_parameter_is_registered(app):
    missing = {(r.rule, a) for r in _rules(app) for a in r.arguments if a not in PARAMS}
    assert not missing, f"add these URL parameters to PARAMS: {missing}"


def _url(app, rule, w, db):
    values = {name: PARAMS[name](w, db) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def test_anonymous_is_sent_to_login(app, client, world, db):
    for rule in _rules(app):
        url = _url(app, rule, world, db)
        for method in _methods(rule):
            response = client.open(url, method=method)
            assert response.status_code in (302, 400, 401), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"], url


def test_other_org_objects_are_never_served(app, client, world, db, login):
    for extend in WORLD_EXTENSIONS:
        extend(world, db)
    login("admin")  # the prefeitura's admin: the most powerful user who must still see nothing of CM
    token = csrf_from(client.get("/").get_data(as_text=True))
    checked = 0
    for rule in _rules(app):
        if not rule.arguments:
            continue
        url = _url(app, rule, world, db)
        for method in _methods(rule):
            response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            assert response.status_code in (403, 404), (method, url, response.status_code)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("who", ["ana", "caio"])
def test_admin_pages_refuse_non_admins(app, client, world, db, login, who):
    login(who)
    for rule in _rules(app):
        if rule.endpoint.startswith("admin.") and not rule.arguments and "GET" in rule.methods:
            assert client.get(_url(app, rule, world, db)).status_code == 403, rule.rule
