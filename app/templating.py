"""Jinja filters and globals: Brasília time, the current unit, the htmx config."""
import json
from zoneinfo import ZoneInfo

from app.web import current_unit

BRASILIA = ZoneInfo("America/Sao_Paulo")
MONTHS = ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
          "outubro", "novembro", "dezembro")

# htmx: no inline styles (CSP), no eval, swap 422 validation responses, keep 4xx/5xx out of the page.
HTMX_CONFIG = json.dumps({
    "includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False,
    "historyCacheSize": 0, "selfRequestsOnly": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
}, separators=(",", ":"))


def local(dt):
    return dt.astimezone(BRASILIA) if dt is not None else None


def datetime_br(dt):
    return local(dt).strftime("%d/%m/%Y %H:%M") if dt else ""


def date_br(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None:
        value = local(value)
    return value.strftime("%d/%m/%Y")


def date_long(value):
    """E.g. "29 de novembro de 2026"."""
    value = local(value) if getattr(value, "hour", None) is not None else value
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"


def init_app(app):
    app.jinja_env.filters.update(datetime_br=datetime_br, date_br=date_br, date_long=date_long)
    app.jinja_env.globals.update(current_unit=current_unit, HTMX_CONFIG=HTMX_CONFIG, menu_entries=menu_entries)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


MENU = (
    ("main.home", "Controle de Processos", False),
    ("processes.new", "Iniciar Processo", False),
    ("search.search", "Pesquisar", False),
    ("processes.watched", "Acompanhamento Especial", False),
    ("processes.returns", "Retorno Programado", False),
    ("processes.credentialed", "Processos com Credencial", False),
    ("signing.blocks_page", "Blocos de Assinatura", False),
    ("documents.standard_texts", "Textos Padrão", False),
    ("admin.organization", "Administração", True),
)


def menu_entries():
    """The main menu: entries whose blueprint is installed; admin entries only for órgão admins."""
    from flask import current_app
    from flask_login import current_user
    return [(endpoint, label) for endpoint, label, admin_only in MENU
            if endpoint in current_app.view_functions and (current_user.is_org_admin or not admin_only)]
