"""The operator commands, with their exact names and options."""
from app.models import Organization, User
from app.services import orgs


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_org_unit_user(app, db):
    result = run(app, "create-org", "--sigla", "PMX", "--name", "Prefeitura Municipal de X", "--city", "X",
                 "--uf", "MG", "--protocol-code", "12345")
    assert result.exit_code == 0, result.output
    run(app, "create-unit", "--org", "PMX", "--sigla", "GAB", "--name", "Gabinete")
    result = run(app, "create-unit", "--org", "PMX", "--sigla", "SEMAD", "--name", "Secretaria Municipal de Administração",
                 "--parent", "GAB", "--protocol-code", "12346", "--email", "semad@x.gov.br")
    assert result.exit_code == 0, result.output
    result = run(app, "create-user", "--org", "PMX", "--login", "ana", "--name", "Ana Souza", "--password",
                 "Segredo-123", "--unit", "SEMAD", "--unit", "GAB", "--admin")
    assert result.exit_code == 0, result.output
    ana = db.session.query(User).filter_by(login="ana").one()
    assert ana.is_org_admin and len(ana.units) == 2


def test_create_user_prompts_for_password(app, db, make):
    org = make.org("PMY")
    make.unit(org, "GAB")
    db.session.commit()
    result = run(app, "create-user", "--org", "PMY", "--login", "bia", "--name", "Bia", "--unit", "GAB",
                 input="Segredo-123\nSegredo-123\n")
    assert result.exit_code == 0, result.output


def test_cli_errors_are_portuguese_and_non_zero(app, db, make):
    result = run(app, "create-unit", "--org", "NOPE", "--sigla", "X", "--name", "Y")
    assert result.exit_code != 0 and "Órgão NOPE não encontrado." in result.output
    result = run(app, "create-org", "--sigla", "PMZ", "--name", "Z", "--city", "Z", "--uf", "XX", "--protocol-code", "1")
    assert result.exit_code != 0 and "UF inválida" in result.output
    assert db.session.query(Organization).count() == 0
    org = make.org("PMW")
    make.unit(org, "GAB")
    db.session.commit()
    result = run(app, "create-user", "--org", "PMW", "--login", "x", "--name", "X", "--password", "Segredo-123",
                 "--unit", "NADA")
    assert result.exit_code != 0 and "Unidade NADA não encontrada" in result.output
    result = run(app, "create-unit", "--org", "PMW", "--sigla", "DCC", "--name", "Compras", "--email", "notanemail")
    assert result.exit_code != 0 and "E-mail inválido." in result.output
    assert orgs.find_unit(org, "DCC") is None


def test_seed_demo_is_idempotent(app, db):
    assert run(app, "seed-demo").exit_code == 0
    counts = (db.session.query(Organization).count(), db.session.query(User).count())
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    assert (db.session.query(Organization).count(), db.session.query(User).count()) == counts
    pm = orgs.find_org("PMEX")
    assert {u.sigla for u in pm.units} >= {"GAB", "SEMAD", "SEFAZ", "SEMED", "SMS", "PROTOCOLO"}
    assert {u.sigla for u in orgs.find_org("CMEX").units} == {"PRESI", "SECRET"}
