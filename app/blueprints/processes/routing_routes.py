"""Enviar Processo (one or a batch), Concluir, Reabrir and the Retorno Programado page."""
from flask import flash, request, url_for
from flask_login import current_user

from app.blueprints.processes import bp
from app.blueprints.processes.forms import SendForm, VersionForm
from app.blueprints.processes.routes import load_acting, load_process, page_context
from app.extensions import db
from app.models import Unit
from app.services import access, mail, routing, unit_tools
from app.services.errors import DomainError, InvalidInput
from app.services.inputs import parse_id, parse_ids
from app.services.movement import StaleForm, parse_version
from app.web import current_unit, guard, render, see_other, submit, wants_fragment


def chosen_units(ids):
    """The units picked in the form, in the order picked (unknown ids are dropped here, refused by count)."""
    ids = parse_ids(ids)[:routing.MAX_DESTINATIONS + 1]
    found = {u.id: u for u in db.session.query(Unit).filter(Unit.id.in_(ids))} if ids else {}
    return [found[i] for i in ids if i in found]


def send_context(form, processes, action_url):
    unit = current_unit()
    chosen = chosen_units(form.units.data)
    picked = {u.id for u in chosen}
    results = [u for u in routing.find_destinations(unit, form.q.data) if u.id not in picked]
    return dict(form=form, processes=processes, action_url=action_url, chosen=chosen, results=results,
                label=lambda u: routing.unit_label(u, current_user.organization_id), mail_on=mail.enabled(),
                owed={p.id: routing.owed_by(p, unit) for p in processes}, fragment=wants_fragment(),
                searched=bool((form.q.data or "").strip()))


def _options(form):
    org = current_unit().organization
    return dict(keep_open=form.keep_open.data, remove_note=form.remove_note.data, notify=form.notify.data,
                return_due=routing.return_due_from(org, on=form.return_date.data,
                                                   business_days_count=form.return_days.data))


def _send_page(form, processes, action_url, do_send, success_url):
    """GET shows the form; "Pesquisar" (op=find, also the htmx active search) re-renders it; "Enviar" sends."""
    context = send_context(form, processes, action_url)
    if request.method == "GET" or request.form.get("op") == "find":
        return render("processes/send.html", block="dests", **context)
    if request.form.get("op", "send") != "send":  # only the two buttons of the page; anything else sends nothing
        form.form_errors.append("Ação desconhecida: use o botão Enviar.")
        return render("processes/send.html", status=422, **context)
    units = context["chosen"]
    if len(units) != len(set(form.units.data or [])):
        form.units.errors = ["Uma das unidades escolhidas não existe mais; escolha de novo."]
        return render("processes/send.html", status=422, **context)
    message = f"Processo{'s' if len(processes) > 1 else ''} enviado{'s' if len(processes) > 1 else ''} para " \
              f"{', '.join(u.sigla for u in units)}."
    return submit(form, lambda: do_send(units, _options(form)), template="processes/send.html",
                  success_url=success_url, message=message, **context)


@bp.route("/processos/<int:process_id>/enviar", methods=["GET", "POST"])
def send(process_id):
    """Enviar Processo to one or more units (found by sigla or name)."""
    process = load_acting(process_id)
    unit = current_unit()
    form = SendForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version.data = process.version

    def do_send(units, options):
        routing.send_process(process, units, by=current_user, from_unit=unit,
                             version=parse_version(form.version.data), **options)
    target = url_for("processes.show", process_id=process.id)
    return _send_page(form, [process], url_for("processes.send", process_id=process.id), do_send, target)


def parse_versions(text):
    """"12:3,15:0" → {12: 3, 15: 0}; a malformed value is a stale form."""
    out = {}
    for item in (text or "").split(","):
        if item:
            pid, _, version = item.partition(":")
            if parse_id(pid) is None:
                raise StaleForm("Formulário inválido: recarregue a página e tente de novo.")
            out[parse_id(pid)] = parse_version(version)
    return out


@bp.route("/processos/enviar", methods=["GET", "POST"])
def send_batch():
    """Enviar the processes selected in the Controle de Processos to the same units (all or none)."""
    unit = current_unit()
    form = SendForm(formdata=request.form if request.method == "POST" else request.args)
    try:
        processes = unit_tools.batch_processes(unit, current_user, form.ids.data)
    except DomainError as error:
        flash(error.message, "error")
        return see_other(url_for("main.home"))
    if request.method == "GET":
        form.versions.data = ",".join(f"{p.id}:{p.version}" for p in processes)

    def do_send(units, options):
        try:
            versions = parse_versions(form.versions.data)
        except StaleForm as error:
            raise InvalidInput(error.message) from None
        routing.send_batch(unit, by=current_user, process_ids=[p.id for p in processes], to_units=units,
                           versions=versions, **options)
    return _send_page(form, processes, url_for("processes.send_batch"), do_send, url_for("main.home"))


def _action(process, form, action, message, success_url=None):
    """A movement button of the process page: 303 on success; else the page again with the message (422)."""
    return submit(form, action, template="processes/show.html", form_key="action_form",
                  success_url=success_url or url_for("processes.show", process_id=process.id), message=message,
                  **page_context(process, failed=form))


@bp.post("/processos/<int:process_id>/concluir")
def conclude(process_id):
    """Concluir Processo in the current unit (back to the Controle de Processos)."""
    process = load_process(process_id)
    form = VersionForm()
    return _action(process, form, lambda: routing.conclude(process, current_unit(), by=current_user,
                                                            version=parse_version(form.version.data)),
                   f"Processo {process.number} concluído nesta unidade.", url_for("main.home"))


@bp.post("/processos/<int:process_id>/reabrir")
def reopen(process_id):
    """Reabrir Processo where it has been; it is assigned to whoever reopens it."""
    process = load_process(process_id)
    form = VersionForm()
    return _action(process, form, lambda: routing.reopen(process, current_unit(), by=current_user,
                                                          version=parse_version(form.version.data)),
                   "Processo reaberto nesta unidade e atribuído a você.")


@bp.get("/retorno-programado")
def returns():
    """Retorno Programado: processes this unit awaits back, and those it must send back, by due date."""
    unit = current_unit()
    awaiting = request.args.get("ver") != "devolver"
    rows, next_after = routing.returns_page(unit, awaiting=awaiting, after=request.args.get("apos"))
    return render("processes/returns.html", block="list", rows=rows, next_after=next_after, awaiting=awaiting,
                  today=routing.today())
