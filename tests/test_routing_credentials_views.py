"""Credenciais de Acesso through the pages: finder (htmx and plain form), Conceder, Cassar, Renunciar, the
"Processos com Credencial" list, and the process page of a holder."""
import gzip
import re

from app.services import access, credentials
from tests.conftest import csrf_from
from tests.process_factory import make_process
from tests.routing_support import rw  # noqa: F401  (fixture)

HX = {"HX-Request": "true"}


def test_grant_with_the_finder_then_revoke(client, db, rw, login):
    secret = make_process(rw.semad, rw.ana, level="sigiloso", specification="Apuração reservada")
    db.session.commit()
    login("ana")
    page = client.get(f"/processos/{secret.id}")
    html = page.get_data(as_text=True)
    assert "Credenciais de Acesso" in html and "Enviar Processo" not in html
    url = f"/processos/{secret.id}/credenciais"
    html = client.get(url).get_data(as_text=True)
    token = csrf_from(html)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    fragment = client.post(url, headers=HX, data={"csrf_token": token, "op": "find", "q": "brun"})
    body = fragment.get_data()
    assert fragment.status_code == 200 and b"<html" not in body and len(gzip.compress(body, 9)) <= 2048
    value = f"{rw.bruno.id}:{rw.dcc.id}"
    assert f'value="{value}"'.encode() in body and b"Bruno Lima (bruno)" in body
    plain = client.post(url, data={"csrf_token": token, "op": "find", "q": "brun"})  # without JavaScript
    assert plain.status_code == 200 and f'value="{value}"' in plain.get_data(as_text=True)
    nobody = client.post(url, data={"csrf_token": token, "version": version, "op": "grant", "grantee": ""})
    assert nobody.status_code == 422 and "Escolha na lista" in nobody.get_data(as_text=True)
    foreign = client.post(url, data={"csrf_token": token, "version": version, "grantee": f"{rw.caio.id}:{rw.presi.id}"})
    assert foreign.status_code == 422
    assert client.post(url, data={"csrf_token": token, "version": version, "grantee": value}).status_code == 303
    assert access.can_view_process(rw.bruno, rw.dcc, secret)
    twice = client.post(url, data={"csrf_token": token, "version": version, "grantee": value})
    assert twice.status_code == 422 and "foi movimentado" in twice.get_data(as_text=True)
    credential = next(c for c in credentials.active_credentials(secret) if c.user_id == rw.bruno.id)
    html = client.get(url).get_data(as_text=True)
    assert "Cassar" in html and "Renunciar Credencial" in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(f"/processos/{secret.id}/credenciais/{credential.id}/cassar",
                           data={"csrf_token": token, "version": version})
    assert response.status_code == 303
    db.session.expire_all()
    assert not access.can_view_process(rw.bruno, rw.dcc, secret)


def test_holder_list_and_renounce(client, db, rw, login):
    secret = make_process(rw.semad, rw.ana, level="sigiloso", specification="Apuração reservada")
    credentials.grant(secret, rw.semad, by=rw.ana, user=rw.bruno, to_unit=rw.dcc)
    db.session.commit()
    login("bruno")
    inbox = client.get("/").get_data(as_text=True)
    assert secret.number in inbox
    listing = client.get("/credenciais").get_data(as_text=True)
    assert secret.number in listing and "DCC" in listing
    html = client.get(f"/processos/{secret.id}/credenciais").get_data(as_text=True)
    assert "Conceder Credencial de Acesso" in html  # open in DCC: bruno may grant too
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(f"/processos/{secret.id}/credenciais/renunciar",
                           data={"csrf_token": csrf_from(html), "version": version})
    assert response.status_code == 303 and response.headers["Location"].endswith("/credenciais")
    assert secret.number not in client.get("/credenciais").get_data(as_text=True)
    assert client.get(f"/processos/{secret.id}").status_code == 404
    assert secret.number not in client.get("/").get_data(as_text=True)


def test_last_holder_cannot_renounce(client, db, rw, login):
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    db.session.commit()
    login("ana")
    html = client.get(f"/processos/{secret.id}/credenciais").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(f"/processos/{secret.id}/credenciais/renunciar",
                           data={"csrf_token": csrf_from(html), "version": version})
    assert response.status_code == 422 and "único usuário com credencial" in response.get_data(as_text=True)


def test_credentials_page_of_a_public_process_is_404(client, db, rw, login):
    login("ana")
    assert client.get(f"/processos/{rw.pub.id}/credenciais").status_code == 404
