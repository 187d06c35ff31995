"""Enviar Processo and the other movements through the HTTP layer: plain forms (POST → 303 → GET),
htmx fragments, stale and doubled forms, batch actions from the inbox, page budgets."""
import gzip
import re

from sqlalchemy import func, select

from app.models import HistoryEntry, Process, ProcessUnit
from app.services import business_days, processes
from tests.conftest import csrf_from
from tests.routing_support import rw, smtp_server  # noqa: F401  (fixtures)

HX = {"HX-Request": "true"}


def gz(data):
    return len(gzip.compress(data, 9))


def page_weight(client, html):
    css = client.get(re.search(rb'href="(/static/app\.css\?v=\w+)"', html).group(1).decode()).get_data()
    return gz(html) + gz(css)


def history_count(db, process):
    return db.session.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.process_id == process.id))


def row(db, process, unit):
    db.session.expire_all()
    return db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == process.id,
                                                       ProcessUnit.unit_id == unit.id))


def use_unit(client, unit):
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/unidade", data={"unit_id": unit.id, "csrf_token": token}).status_code == 303


def send_form(client, process):
    html = client.get(f"/processos/{process.id}/enviar").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return {"csrf_token": csrf_from(html), "version": version, "op": "send"}


def test_send_without_javascript_and_receive_in_the_other_unit(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    url = f"/processos/{rw.pub.id}/enviar"
    page = client.get(url)
    assert page.status_code == 200 and page_weight(client, page.get_data()) <= 14 * 1024
    data = send_form(client, rw.pub)
    found = client.post(url, data=dict(data, op="find", q="compras"))  # the "Pesquisar" button
    assert found.status_code == 200
    assert f'name="units" value="{rw.dcc.id}"'.encode() in found.get_data()
    response = client.post(url, data=dict(data, units=[rw.dcc.id]))
    assert response.status_code == 303
    assert row(db, rw.pub, rw.semad).closed_at is not None
    assert "Processo enviado para DCC." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": data["csrf_token"]})
    login("bruno")
    inbox = client.get("/").get_data(as_text=True)
    assert re.search(rf'<tr class="unread">.*?{re.escape(rw.pub.number)}', inbox)
    client.get(f"/processos/{rw.pub.id}")
    assert row(db, rw.pub, rw.dcc).seen_at is not None
    assert "unread" not in client.get("/").get_data(as_text=True).split("Gerados")[0]


def test_active_search_fragment_keeps_the_chosen_units(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    data = send_form(client, rw.pub)
    fragment = client.post(f"/processos/{rw.pub.id}/enviar", headers=HX,
                           data=dict(data, op="find", q="fazenda", units=[rw.dcc.id]))
    body = fragment.get_data()
    assert fragment.status_code == 200 and b"<html" not in body and gz(body) <= 2 * 1024
    assert f'value="{rw.dcc.id}" checked'.encode() in body and f'value="{rw.sefaz.id}">'.encode() in body
    nothing = client.post(f"/processos/{rw.pub.id}/enviar", headers=HX, data=dict(data, op="find", q="zzz"))
    assert "Nenhuma unidade ativa encontrada" in nothing.get_data(as_text=True)


def test_bad_send_shows_a_message_and_changes_nothing(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    before = history_count(db, rw.pub)
    data = send_form(client, rw.pub)
    response = client.post(f"/processos/{rw.pub.id}/enviar", data=data)
    assert response.status_code == 422
    assert "Escolha pelo menos uma unidade de destino." in response.get_data(as_text=True)
    response = client.post(f"/processos/{rw.pub.id}/enviar", data=dict(data, units=[rw.dcc.id], return_days="abc"))
    assert response.status_code == 422
    response = client.post(f"/processos/{rw.pub.id}/enviar", data=dict(data, units=[999999]))
    assert response.status_code == 422 and "não existe mais" in response.get_data(as_text=True)
    assert history_count(db, rw.pub) == before


def test_stale_form_and_double_submit(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    first = send_form(client, rw.pub)
    url = f"/processos/{rw.pub.id}/enviar"
    assert client.post(url, data=dict(first, units=[rw.dcc.id], keep_open="y")).status_code == 303
    after_first = history_count(db, rw.pub)
    again = client.post(url, data=dict(first, units=[rw.dcc.id], keep_open="y"))
    assert again.status_code == 422 and "Este envio já foi feito" in again.get_data(as_text=True)
    stale = client.post(url, data=dict(first, units=[rw.sefaz.id]))
    assert stale.status_code == 422 and "foi movimentado depois que esta página foi aberta" in stale.get_data(as_text=True)
    assert history_count(db, rw.pub) == after_first
    assert row(db, rw.pub, rw.sefaz) is None


def test_programmed_return_by_business_days_and_returns_page(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    data = send_form(client, rw.pub)
    assert client.post(f"/processos/{rw.pub.id}/enviar",
                       data=dict(data, units=[rw.dcc.id], return_days="3")).status_code == 303
    due = business_days.add_business_days(rw.pm, processes.today(), 3)
    assert row(db, rw.pub, rw.dcc).return_due == due
    page = client.get("/retorno-programado")
    assert page.status_code == 200 and rw.pub.number in page.get_data(as_text=True)
    assert page_weight(client, page.get_data()) <= 14 * 1024
    assert "aguardando retorno" in client.get(f"/processos/{rw.pub.id}").get_data(as_text=True)
    owed = client.get("/retorno-programado?ver=devolver", headers=HX).get_data(as_text=True)
    assert "Nenhum processo a devolver." in owed and "<html" not in owed


def test_notification_through_the_form(client, db, rw, login, smtp_server):
    login("ana")
    use_unit(client, rw.semad)
    data = send_form(client, rw.pub)
    assert "Enviar e-mail de notificação" in client.get(f"/processos/{rw.pub.id}/enviar").get_data(as_text=True)
    assert client.post(f"/processos/{rw.pub.id}/enviar",
                       data=dict(data, units=[rw.sefaz.id], notify="y")).status_code == 303
    assert [m["To"] for m in smtp_server.messages] == ["sefaz@exemplo.gov.br"]


def test_batch_send_and_conclude_from_the_inbox(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    token = csrf_from(client.get("/").get_data(as_text=True))
    go = client.post("/processos/lote", data={"csrf_token": token, "action": "send", "ids": [rw.pub.id, rw.res.id]})
    assert go.status_code == 303 and "/processos/enviar?" in go.headers["Location"]
    html = client.get(go.headers["Location"]).get_data(as_text=True)
    assert rw.pub.number in html and rw.res.number in html
    versions = re.search(r'name="versions" value="([^"]+)"', html).group(1)
    response = client.post("/processos/enviar", data={"csrf_token": token, "ids": [rw.pub.id, rw.res.id],
                                                       "versions": versions, "units": [rw.dcc.id], "op": "send"})
    assert response.status_code == 303, re.findall(r'role="alert">(.*?)<', response.get_data(as_text=True))
    assert row(db, rw.pub, rw.dcc).closed_at is None and row(db, rw.res, rw.dcc).closed_at is None
    again = client.post("/processos/enviar", data={"csrf_token": token, "ids": [rw.pub.id], "versions": versions,
                                                    "units": [rw.sefaz.id], "op": "send"})
    assert again.status_code == 303 and "não estão abertos" in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token})
    login("bruno")
    token = csrf_from(client.get("/").get_data(as_text=True))
    done = client.post("/processos/lote", data={"csrf_token": token, "action": "conclude",
                                                "ids": [rw.pub.id, rw.res.id]})
    assert done.status_code == 303
    assert row(db, rw.pub, rw.dcc).closed_at is not None and row(db, rw.res, rw.dcc).closed_at is not None


def test_conclude_reopen_buttons(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    page = client.get(f"/processos/{rw.pub.id}").get_data(as_text=True)
    assert "Enviar Processo" in page and "Concluir Processo" in page and "Reabrir Processo" not in page
    token, version = csrf_from(page), rw.pub.version
    assert client.post(f"/processos/{rw.pub.id}/concluir", data={"csrf_token": token, "version": version}).status_code == 303
    again = client.post(f"/processos/{rw.pub.id}/concluir", data={"csrf_token": token, "version": version})
    assert again.status_code == 422 and "foi movimentado" in again.get_data(as_text=True)
    page = client.get(f"/processos/{rw.pub.id}").get_data(as_text=True)
    assert "Reabrir Processo" in page and "Concluir Processo" not in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert client.post(f"/processos/{rw.pub.id}/reabrir", data={"csrf_token": token, "version": version}).status_code == 303
    assert row(db, rw.pub, rw.semad).closed_at is None


def test_suspend_view_and_list(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    url = f"/processos/{rw.pub.id}/sobrestar"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)}
    empty = client.post(url, data=dict(data, reason=""))
    assert empty.status_code == 422 and "Campo obrigatório." in empty.get_data(as_text=True)
    bad_tie = client.post(url, data=dict(data, reason="Aguardando parecer", tied_number="99999.999999/2026-99"))
    assert bad_tie.status_code == 422 and "Nenhum processo com o número" in bad_tie.get_data(as_text=True)
    assert client.post(url, data=dict(data, reason="Aguardando parecer", tied_number=rw.res.number)).status_code == 303
    assert rw.pub.number not in client.get("/").get_data(as_text=True)
    listing = client.get("/sobrestados").get_data(as_text=True)
    assert rw.pub.number in listing and "Aguardando parecer" in listing and rw.res.number in listing
    page = client.get(f"/processos/{rw.pub.id}").get_data(as_text=True)
    assert "Remover Sobrestamento" in page and "Enviar Processo" not in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert client.post(f"/processos/{rw.pub.id}/sobrestamento/remover",
                       data={"csrf_token": data["csrf_token"], "version": version}).status_code == 303
    assert rw.pub.number in client.get("/").get_data(as_text=True)


def test_relate_annex_acknowledge_progress(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    url = f"/processos/{rw.pub.id}/relacionamentos"
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "number": rw.res.number}).status_code == 303
    twice = client.post(url, data={"csrf_token": token, "number": rw.res.number})
    assert twice.status_code == 422 and "já estão relacionados" in twice.get_data(as_text=True)
    assert rw.pub.number in client.get(f"/processos/{rw.res.id}/relacionamentos").get_data(as_text=True)
    assert client.post(f"/processos/{rw.res.id}/relacionamentos/{rw.pub.id}/remover",
                       data={"csrf_token": token}).status_code == 303
    assert "Nenhum processo relacionado." in client.get(url).get_data(as_text=True)

    annex_url = f"/processos/{rw.pub.id}/anexar"
    html = client.get(annex_url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    itself = client.post(annex_url, data={"csrf_token": token, "version": version, "number": rw.pub.number})
    assert itself.status_code == 422 and "ele mesmo" in itself.get_data(as_text=True)
    assert client.post(annex_url, data={"csrf_token": token, "version": version,
                                        "number": rw.res.number}).status_code == 303
    page = client.get(f"/processos/{rw.pub.id}").get_data(as_text=True)
    assert "Processo anexado" in page and rw.res.number in page
    annexed = client.get(f"/processos/{rw.res.id}").get_data(as_text=True)
    assert "Anexado ao processo" in annexed and "Enviar Processo" not in annexed

    assert client.post(f"/processos/{rw.pub.id}/ciencia", data={"csrf_token": token}).status_code == 303
    twice = client.post(f"/processos/{rw.pub.id}/ciencia", data={"csrf_token": token})
    assert twice.status_code == 422 and "Você já deu ciência neste processo" in twice.get_data(as_text=True)

    progress = f"/processos/{rw.pub.id}/andamento/atualizar"
    assert client.post(progress, data={"csrf_token": token, "text": ""}).status_code == 422
    assert client.post(progress, data={"csrf_token": token, "text": "Aguardando resposta do fornecedor"}).status_code == 303
    history = client.get(f"/processos/{rw.pub.id}/andamento").get_data(as_text=True)
    for text in ("Aguardando resposta do fornecedor", "Ciência no processo por Ana Souza",
                 f"Anexado o processo {rw.res.number}", f"Relacionamento com o processo {rw.res.number}"):
        assert text in history


def test_delete_process(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    url, pub_id = f"/processos/{rw.pub.id}/excluir", rw.pub.id
    html = client.get(url).get_data(as_text=True)
    assert "Esta ação não pode ser desfeita" in html
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.post(url, data={"csrf_token": csrf_from(html), "version": version})
    assert response.status_code == 303
    assert not db.session.scalar(select(func.count()).select_from(Process).where(Process.id == pub_id))
    # a process that has been sent is never deleted
    data = send_form(client, rw.res)
    client.post(f"/processos/{rw.res.id}/enviar", data=dict(data, units=[rw.dcc.id], keep_open="y"))
    refused = client.get(f"/processos/{rw.res.id}/excluir").get_data(as_text=True)
    assert "já tramitou por outra unidade" in refused
    version = str(db.session.get(Process, rw.res.id).version)
    response = client.post(f"/processos/{rw.res.id}/excluir", data={"csrf_token": data["csrf_token"], "version": version})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Process).where(Process.id == rw.res.id))


def test_holidays_admin(client, db, rw, login):
    login("admin")
    page = client.get("/admin/feriados?ano=2026")
    assert page.status_code == 200 and page_weight(client, page.get_data()) <= 14 * 1024
    token = csrf_from(page.get_data(as_text=True))
    assert client.post("/admin/feriados", data={"csrf_token": token, "day": "2026-06-04",
                                                "name": "Corpus Christi"}).status_code == 303
    twice = client.post("/admin/feriados", data={"csrf_token": token, "day": "2026-06-04", "name": "Outro"})
    assert twice.status_code == 422 and "Já existe um feriado" in twice.get_data(as_text=True)
    bad = client.post("/admin/feriados", data={"csrf_token": token, "day": "31/02/2026", "name": "X"})
    assert bad.status_code == 422
    assert client.post("/admin/feriados/nacionais", data={"csrf_token": token, "year": "2026"}).status_code == 303
    listing = client.get("/admin/feriados?ano=2026").get_data(as_text=True)
    assert "Corpus Christi" in listing and "Natal" in listing
    holiday = business_days.holidays(rw.pm, 2026)[0]
    assert client.post(f"/admin/feriados/{holiday.id}/excluir", data={"csrf_token": token}).status_code == 303
    client.post("/logout", data={"csrf_token": token})
    login("ana")
    assert client.get("/admin/feriados").status_code == 403


def test_process_page_budget_with_routing_facts(client, db, rw, login):
    from app.services import relations, routing
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True,
                         return_due=business_days.add_business_days(rw.pm, processes.today(), 2))
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.res)
    db.session.commit()
    login("ana")
    use_unit(client, rw.semad)
    html = client.get(f"/processos/{rw.pub.id}").get_data()
    assert page_weight(client, html) <= 14 * 1024
    for url in ("/sobrestados", "/credenciais", f"/processos/{rw.pub.id}/relacionamentos",
                f"/processos/{rw.pub.id}/sobrestar", f"/processos/{rw.pub.id}/anexar",
                f"/processos/{rw.pub.id}/andamento/atualizar"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert page_weight(client, response.get_data()) <= 14 * 1024, url


def test_acknowledge_a_document_from_its_page(client, db, rw, login):
    from app.services import documents
    from tests.documents_support import doc_type
    from tests.signing_support import sign
    document = documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    sign(document, rw.ana, rw.semad)
    db.session.commit()
    login("ana")
    use_unit(client, rw.semad)
    url = f"/processos/{rw.pub.id}/documentos/{document.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Dar Ciência no documento" in html
    response = client.post(url + "/ciencia", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 303
    assert f"Ciência no documento {document.sei}" in client.get(f"/processos/{rw.pub.id}/andamento").get_data(as_text=True)
    again = client.post(url + "/ciencia", data={"csrf_token": csrf_from(html)})
    assert again.status_code == 422 and "Você já deu ciência neste documento" in again.get_data(as_text=True)


def test_batch_send_button_under_htmx_opens_the_page(client, db, rw, login):
    login("ana")
    use_unit(client, rw.semad)
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/processos/lote", headers=HX, data={"csrf_token": token, "action": "send",
                                                                "ids": [rw.pub.id]})
    assert response.status_code == 204 and "/processos/enviar?ids=" in response.headers["HX-Redirect"]


def test_sender_inbox_shows_aguardando_retorno(client, db, rw, login):
    from app.services import routing
    due = business_days.add_business_days(rw.pm, processes.today(), 4)
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True, return_due=due)
    db.session.commit()
    login("ana")
    use_unit(client, rw.semad)
    assert f"Aguardando retorno de DCC até {due:%d/%m/%Y}" in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("bruno")
    assert f"Retorno programado: {due:%d/%m/%Y}" in client.get("/").get_data(as_text=True)


def test_inbox_fragment_budget_with_returns_on_every_row(app, client, db, rw, login):
    from app.services import routing
    from tests.process_factory import make_process
    due = business_days.add_business_days(rw.pm, processes.today(), 4)
    for n in range(app.config["INBOX_PAGE_SIZE"]):
        process = make_process(rw.semad, rw.ana, specification=f"Aquisição de material de limpeza, lote {n}")
        routing.send_process(process, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True, return_due=due)
    db.session.commit()
    for user, unit in (("ana", rw.semad), ("bruno", rw.dcc)):
        login(user)
        use_unit(client, unit)
        fragment = client.get("/?apos=", headers=HX).get_data()
        assert b"<html" not in fragment and gz(fragment) <= 2 * 1024, (user, gz(fragment))
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
