"""Operator commands: `flask --app wsgi <command>`. Errors print in Portuguese and exit non-zero."""
import sys

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.services import orgs, users
from app.services.errors import DomainError


class CommandError(click.ClickException):
    def show(self, file=None):
        click.echo(f"Erro: {self.message}", err=True)


def _commit_or_fail(action):
    try:
        result = action()
        db.session.commit()
        return result
    except DomainError as error:
        db.session.rollback()
        raise CommandError(error.message) from None


def _org_or_fail(sigla):
    org = orgs.find_org(sigla)
    if org is None:
        raise CommandError(f"Órgão {sigla} não encontrado.")
    return org


def _unit_or_fail(org, sigla):
    unit = orgs.find_unit(org, sigla)
    if unit is None:
        raise CommandError(f"Unidade {sigla} não encontrada no órgão {org.sigla}.")
    return unit


@click.command("create-org")
@click.option("--sigla", required=True)
@click.option("--name", required=True)
@click.option("--city", required=True)
@click.option("--uf", required=True)
@click.option("--protocol-code", required=True)
@with_appcontext
def create_org(sigla, name, city, uf, protocol_code):
    """Cria um órgão já pronto para uso (cargos, hipóteses legais, tipos)."""
    org = _commit_or_fail(lambda: orgs.create_organization(sigla=sigla, name=name, city=city, uf=uf,
                                                           protocol_code=protocol_code))
    click.echo(f"Órgão {org.sigla} criado.")


@click.command("create-unit")
@click.option("--org", "org_sigla", required=True)
@click.option("--sigla", required=True)
@click.option("--name", required=True)
@click.option("--parent")
@click.option("--protocol-code")
@click.option("--email")
@with_appcontext
def create_unit(org_sigla, sigla, name, parent, protocol_code, email):
    """Cria uma unidade no órgão."""
    org = _org_or_fail(org_sigla)
    parent_unit = _unit_or_fail(org, parent) if parent else None
    unit = _commit_or_fail(lambda: orgs.create_unit(org, sigla=sigla, name=name, parent=parent_unit,
                                                    protocol_code=protocol_code, email=email))
    click.echo(f"Unidade {unit.sigla_path} criada.")


@click.command("create-user")
@click.option("--org", "org_sigla", required=True)
@click.option("--login", required=True)
@click.option("--name", required=True)
@click.option("--password", help="Sem esta opção a senha é pedida no terminal.")
@click.option("--unit", "unit_siglas", multiple=True, required=True)
@click.option("--email")
@click.option("--cpf")
@click.option("--admin", is_flag=True, help="Administrador do órgão.")
@with_appcontext
def create_user(org_sigla, login, name, password, unit_siglas, email, cpf, admin):
    """Cria um usuário que trabalha em uma ou mais unidades."""
    org = _org_or_fail(org_sigla)
    units = [_unit_or_fail(org, s) for s in unit_siglas]
    if password is None:
        password = click.prompt("Senha", hide_input=True, confirmation_prompt="Repita a senha")
    user = _commit_or_fail(lambda: users.create_user(org, login=login, name=name, password=password, units=units,
                                                     email=email, cpf=cpf, is_admin=admin))
    click.echo(f"Usuário {user.login} criado.")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Cria (ou completa) os órgãos, unidades e usuários de demonstração."""
    from app.seeds.demo import seed
    _commit_or_fail(seed)
    click.echo("Dados de demonstração prontos. Senha de todos os usuários: Expediente@2026")


@click.command("seed-defaults")
@with_appcontext
def seed_defaults():
    """Completa os dados de referência de todos os órgãos (após atualizar o sistema)."""
    from app.models import Organization
    from app.services.org_setup import seed_new_organization
    for org in db.session.scalars(db.select(Organization)):
        seed_new_organization(org)
    db.session.commit()
    click.echo("Dados de referência completos.")


@click.command("db-is-empty")
@with_appcontext
def db_is_empty():
    """Sai com 0 se não houver nenhum órgão (usado pelo `make run` para semear a demonstração)."""
    from app.models import Organization
    sys.exit(0 if db.session.scalar(db.select(db.func.count()).select_from(Organization)) == 0 else 1)


@click.command("rebuild-state")
@click.option("--check", "check_only", is_flag=True, help="Só verifica: não corrige nada; sai com erro se houver diferença.")
@with_appcontext
def rebuild_state_command(check_only):
    """Reconstrói, a partir do andamento, onde cada processo está aberto (e retornos programados)."""
    from app.services.state_rebuild import rebuild
    checked, differing = rebuild(check_only=check_only, echo=click.echo)
    verb = "com diferenças" if check_only else "corrigidos"
    click.echo(f"{checked} processos verificados; {differing} {verb}.")
    if check_only and differing:
        raise SystemExit(1)


@click.command("reindex")
@click.option("--pending", "only_pending", is_flag=True, help="Só os documentos pendentes ou com falha.")
@click.option("--background", is_flag=True, help="Enfileira para o worker em vez de indexar agora.")
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True,
              help="Documentos por transação (1 ou mais).")
@click.option("--processes", "only_processes", is_flag=True,
              help="Só os dados dos processos (número, tipo, especificação, interessados): rápido.")
@with_appcontext
def reindex_command(only_pending, background, batch, only_processes):
    """Reconstrói o índice de pesquisa (texto dos documentos, OCR incluído, e dados dos processos)."""
    from app.services.search_index import reindex
    reindex(only_pending=only_pending, background=background, batch=batch, only_processes=only_processes,
            echo=click.echo)


def init_app(app):
    for command in (create_org, create_unit, create_user, seed_demo, seed_defaults, db_is_empty,
                    rebuild_state_command, reindex_command):
        app.cli.add_command(command)
    from app.documents_cli import fsck
    app.cli.add_command(fsck)
