"""Auditoria: filters by usuário, tipo de ação, período (days in America/Sao_Paulo) and text; pages keep them."""
import gzip
import re
from datetime import date, datetime, timezone

import pytest

from app.models import AuditEntry
from app.services import audit, audit_log
from app.services.audit_log import AuditFilters, audit_page, kind_label
from app.services.errors import InvalidInput


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def log(world, db):
    """Besides the entries the world made, four dated PM entries and one CM entry."""
    w = world
    w.e_mar9 = audit.record(w.pm, "user_updated", by=w.admin, login="ana", fields="e-mail")
    w.e_mar9.at = at(2026, 3, 10, 2, 30)  # 09/03 23:30 in Brasília
    w.e_mar10 = audit.record(w.pm, "unit_created", by=w.admin, sigla="DCC")
    w.e_mar10.at = at(2026, 3, 10, 3, 0)  # 10/03 00:00 in Brasília
    w.e_licit = audit.record(w.pm, "process_type_created", by=w.ana, name="Licitação: Pregão Eletrônico")
    w.e_licit.at = at(2026, 4, 1, 12, 0)
    w.e_system = audit.record(w.pm, "password_reset_requested", login="bia")
    w.e_system.at = at(2026, 4, 2, 12, 0)
    w.e_cm = audit.record(w.cm, "process_type_created", by=w.cadmin, name="Licitação da Câmara")
    w.e_cm.at = at(2026, 4, 1, 12, 0)
    db.session.commit()
    return w


def ids(page):
    return [e.id for e in page.entries]


def test_only_the_organizations_entries(db, log):
    everything = audit_page(log.pm, AuditFilters())
    assert log.e_cm.id not in ids(everything) and {log.e_mar9.id, log.e_licit.id} <= set(ids(everything))
    assert all(e.organization_id == log.pm.id for e in everything.entries)
    assert ids(audit_page(log.pm, AuditFilters(text="Câmara"))) == []
    assert ids(audit_page(log.pm, AuditFilters(user="cadmin"))) == []
    assert ids(audit_page(log.cm, AuditFilters(text="licitacao"))) == [log.e_cm.id]


def test_newest_first_with_pages(db, log):
    first = audit_page(log.pm, AuditFilters(), size=2)
    assert ids(first) == sorted(ids(first), reverse=True) and len(first.entries) == 2 and first.older
    second = audit_page(log.pm, AuditFilters(), before=first.older, size=2)
    assert max(ids(second)) < min(ids(first))
    total = db.session.query(AuditEntry).filter_by(organization_id=log.pm.id).count()
    assert audit_page(log.pm, AuditFilters(), size=total).older is None


def test_user_filter_by_login_name_or_sistema(db, log):
    assert ids(audit_page(log.pm, AuditFilters(user="ANA"))) == [log.e_licit.id]
    assert ids(audit_page(log.pm, AuditFilters(user="Souza"))) == [log.e_licit.id]
    assert set(ids(audit_page(log.pm, AuditFilters(user="sistema")))) >= {log.e_system.id}
    assert all(e.user_id is None for e in audit_page(log.pm, AuditFilters(user="sistema")).entries)
    assert ids(audit_page(log.pm, AuditFilters(user="ninguém"))) == []
    assert ids(audit_page(log.pm, AuditFilters(user="%"))) == []  # LIKE wildcards are plain characters


def test_kind_filter_and_labels(db, log):
    assert ids(audit_page(log.pm, AuditFilters(kind="process_type_created"))) == [log.e_licit.id]
    with pytest.raises(InvalidInput, match="Tipo de ação desconhecido"):
        audit_page(log.pm, AuditFilters(kind="nada"))
    assert kind_label("user_updated") == "Usuário alterado"
    assert kind_label("membership_added") == "Usuário incluído na unidade"
    assert kind_label("holiday_added") == "Feriado incluído"
    assert kind_label("document_type_created") == "Tipo de Documento criado"
    assert kind_label("seal_certificate_installed") == "Certificado do selo instalado"
    assert all(label and "{" not in label for _, label in audit_log.kind_choices())


def test_period_is_days_in_brasilia(db, log):
    def period(start, end):
        return set(ids(audit_page(log.pm, AuditFilters(date_from=start, date_to=end))))
    assert period(date(2026, 3, 9), date(2026, 3, 9)) == {log.e_mar9.id}
    assert period(date(2026, 3, 10), date(2026, 3, 10)) == {log.e_mar10.id}
    assert period(date(2026, 3, 9), date(2026, 4, 1)) == {log.e_mar9.id, log.e_mar10.id, log.e_licit.id}
    assert log.e_licit.id in period(date(2026, 4, 1), None) and log.e_mar10.id not in period(date(2026, 4, 1), None)
    assert period(None, date(2026, 3, 9)) >= {log.e_mar9.id} and log.e_mar10.id not in period(None, date(2026, 3, 9))
    with pytest.raises(InvalidInput, match="período está invertido"):
        audit_page(log.pm, AuditFilters(date_from=date(2026, 3, 10), date_to=date(2026, 3, 9)))


def test_text_matches_the_description_without_accents(db, log):
    assert ids(audit_page(log.pm, AuditFilters(text="licitacao PREGÃO"))) == [log.e_licit.id]
    assert ids(audit_page(log.pm, AuditFilters(text="tipo de processo pregao"))) == [log.e_licit.id]
    assert ids(audit_page(log.pm, AuditFilters(text="licitação inexistente"))) == []
    found = audit_page(log.pm, AuditFilters(text="usuario ana", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert ids(found) == [log.e_mar9.id]


def test_text_pages_and_a_bounded_reading(db, log, monkeypatch):
    for n in range(6):
        audit.record(log.pm, "holiday_added", by=log.admin, day=f"0{n + 1}/05/2026", name=f"Festa da cidade {n}")
    db.session.commit()
    first = audit_page(log.pm, AuditFilters(text="feriado incluido festa"), size=4)
    assert len(first.entries) == 4 and not first.partial
    rest = audit_page(log.pm, AuditFilters(text="feriado incluido festa"), before=first.older, size=4)
    assert len(rest.entries) == 2 and rest.older is None
    monkeypatch.setattr(audit_log, "SCAN_LIMIT", 3)
    monkeypatch.setattr(audit_log, "SCAN_BATCH", 2)
    bounded = audit_page(log.pm, AuditFilters(text="licitacao"), size=4)
    assert bounded.partial and bounded.entries == [] and bounded.older
    following = audit_page(log.pm, AuditFilters(text="licitacao"), before=bounded.older, size=4)
    assert following.older is None or following.partial


# --- the page -------------------------------------------------------------------------------------

def test_page_filters_and_keeps_them_in_the_pager(client, db, log, login, monkeypatch):
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 1)
    login("admin")
    response = client.get("/admin/auditoria?user=admin&date_from=09/03/2026&date_to=2026-03-10")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unidade DCC criada" in html and "Usuário ana alterado" not in html  # page of 1, newest first
    older = re.search(r'href="([^"]+)" rel="next">Mais antigos', html).group(1).replace("&amp;", "&")
    assert "user=admin" in older and "date_from=09" in older and "antes=" in older
    html = client.get(older).get_data(as_text=True)
    assert "Usuário ana alterado: e-mail" in html and "Mais recentes" in html
    assert 'value="2026-03-09"' in html  # the typed dd/mm/aaaa date comes back in the date input's format


def test_page_bad_period_and_bad_date_in_portuguese(client, db, log, login):
    login("admin")
    response = client.get("/admin/auditoria?date_from=2026-03-10&date_to=2026-03-09")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "O período está invertido" in html and "<tbody>" not in html
    response = client.get("/admin/auditoria?date_from=31/02/2026")
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Data inválida: use dd/mm/aaaa.") == 1  # beside the field
    assert client.get("/admin/auditoria?kind=nada").status_code == 422


def test_htmx_gets_only_the_results(client, db, log, login):
    login("admin")
    response = client.get("/admin/auditoria?text=licitacao", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html
    assert "Licitação: Pregão Eletrônico" in html and "Câmara" not in html
    assert "HX-Request" in response.headers["Vary"]
    bad = client.get("/admin/auditoria?date_from=2026-03-10&date_to=2026-03-09", headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "O período está invertido" in bad.get_data(as_text=True)
    bad = client.get("/admin/auditoria?date_from=99/99/2026", headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "De: Data inválida" in bad.get_data(as_text=True)


def test_a_full_page_of_entries_fits_the_budgets(client, db, log, login):
    from tests.test_budgets import FRAGMENT_BUDGET, PAGE_BUDGET, page_weight
    fields = ["name", "email", "cpf", "active", "is_org_admin"]
    for n in range(audit_log.PAGE_SIZE):  # varied rows, so compression does not flatter them
        entry = audit.record(log.pm, "user_updated", by=[log.admin, log.ana][n % 2],
                             login=f"servidor{n * 7919 % 10007}", fields=", ".join(fields[n % 5:] + fields[:n % 3]))
        entry.at = at(2026, 5, 1 + n % 28, n % 24, n * 7 % 60)
    db.session.commit()
    login("admin")
    assert page_weight(client, "/admin/auditoria") <= PAGE_BUDGET
    fragment = client.get("/admin/auditoria?kind=user_updated", headers={"HX-Request": "true"}).get_data()
    assert fragment.count(b"<tr>") == audit_log.PAGE_SIZE + 1
    assert len(gzip.compress(fragment, 9)) <= FRAGMENT_BUDGET


def test_the_camara_admin_sees_only_the_camara(client, db, log, login):
    login("cadmin")
    html = client.get("/admin/auditoria?text=licitacao").get_data(as_text=True)
    assert "Licitação da Câmara" in html and "Pregão" not in html
    html = client.get("/admin/auditoria?user=Admin+PM").get_data(as_text=True)  # the prefeitura's admin
    assert "Unidade DCC" not in html and "Nenhum registro com esses filtros." in html
