"""Iniciar Processo, the process page, Alterar Processo and Consultar Andamento."""
from flask import current_app, request, url_for
from flask_login import current_user, login_required

from app.blueprints.processes import bp
from app.blueprints.processes.forms import (LEVEL_CHOICES, ApplyMarkerForm, AssignForm, DeadlineForm, NewProcessForm,
                                            NoteForm, ProcessDataForm, VersionForm, WatchForm)
from app.extensions import db
from app.models import LegalBasis, Process
from app.services import access, catalog, form_tokens, history, processes, unit_tools
from app.services.inputs import to_id
from app.web import current_unit, get_or_404, guard, render, submit, wants_fragment


@bp.before_request
@login_required
def require_unit():
    guard(access.require_works_in, current_user, current_unit())


def load_process(process_id):
    """The process, if the user in the current unit may open it (404 otherwise)."""
    return guard(access.require_process, current_user, current_unit(), get_or_404(Process, process_id))


def load_acting(process_id):
    """The process for a form page of an action: GET needs it open in the current unit (403 otherwise);
    a POST goes on to the service, which refuses with a message (422) — a stale page gets told why."""
    process = load_process(process_id)
    if request.method == "GET":
        guard(access.require_acting, current_user, current_unit(), process)
    return process


def _data_form_choices(form, process_type=None):
    bases = catalog.legal_bases(current_user.organization, active_only=True)
    form.legal_basis_id.choices = [(0, "— nenhuma (processo público) —")] + [
        (b.id, f"{'Sigiloso' if b.level == 'sigiloso' else 'Restrito'}: {b.name} ({b.basis})") for b in bases]
    if process_type is not None:
        form.access_level.choices = [(level, label) for level, label in LEVEL_CHOICES if level in process_type.allowed]
    if process_type is not None and request.method == "GET" and not request.args.get("access_level"):
        form.access_level.data = process_type.suggested_level
        form.legal_basis_id.data = process_type.suggested_legal_basis_id or 0
    return form


def _chosen(form):
    """(type, legal basis) named by the form, checked against the user's órgão by the service."""
    org = current_user.organization
    basis = db.session.get(LegalBasis, form.legal_basis_id.data) if form.legal_basis_id.data else None
    return catalog.find_type(org, form.type_name.data), basis


@bp.route("/processos/novo", methods=["GET", "POST"])
def new():
    """Iniciar Processo (GET with htmx and a type: only the access-level part, preset by the type)."""
    unit = current_unit()
    form = NewProcessForm(formdata=request.form if request.method == "POST" else (request.args or None))
    frequent, types = catalog.types_for_unit(unit)
    _data_form_choices(form, catalog.find_type(current_user.organization, form.type_name.data))
    if request.method == "GET":
        form.token.data = form_tokens.new_token()

    def action():
        process_type, basis = _chosen(form)
        return processes.create_process(
            unit, by=current_user, process_type=process_type, specification=form.specification.data,
            interested=form.interested.data, access_level=form.access_level.data, legal_basis=basis,
            observations=form.observations.data, token=form.token.data or None)
    return submit(form, action, template="processes/form.html", block="level",
                  success_url=lambda process: url_for("processes.show", process_id=process.id),
                  message=lambda process: f"Processo {process.number} gerado.", frequent=frequent, types=types)


def page_context(process, **overrides):
    """Everything the process page shows; the unit's tool forms only where it is open."""
    unit = current_unit()
    row = access.open_row(process, unit)
    readable = access.can_read_process(current_user, unit, process)
    ctx = dict(process=process, row=row, readable=readable, open_units=processes.open_units(process),
               fragment=wants_fragment(),
               watch=unit_tools.watch_of(process, unit), today=processes.today(),
               can_include_document="documents.new" in current_app.view_functions and row is not None and readable)
    if row is not None:
        markers = unit_tools.markers_on(process, unit)
        ctx.update(markers=markers, marker_log=unit_tools.marker_history(process, unit, limit=20),
                   assign_form=AssignForm(formdata=None, assignee=row.assigned_to_id or 0),
                   note_form=NoteForm(formdata=None, note=row.note, priority=row.note_priority),
                   deadline_form=DeadlineForm(formdata=None, deadline=row.deadline),
                   marker_form=ApplyMarkerForm(formdata=None))
    ctx.update(movement_context(process, unit, row, readable))
    if readable:
        ctx["watch_form"] = WatchForm(formdata=None, group_id=ctx["watch"].group_id or 0 if ctx["watch"] else 0,
                                      observation=ctx["watch"].observation if ctx["watch"] else "")
    ctx.update(overrides)
    tool_choices(ctx, unit)
    return ctx


def movement_context(process, unit, row, readable):
    """What the page shows about routing: the movement buttons allowed here, returns, sobrestamento, anexos."""
    from app.services import process_actions, relations, routing
    here, state = row is not None, process.state
    suspended = state == "suspended"
    sigiloso = process.access_level == "sigiloso"
    return dict(
        version_form=VersionForm(formdata=None, version=process.version),
        can_send=here and state == "open" and not sigiloso, can_conclude=here and state == "open",
        can_reopen=not here and state == "open" and access.has_been_in(process, unit),
        can_suspend=here and state == "open", can_unsuspend=here and suspended,
        can_annex=here and state == "open" and not sigiloso, can_act=here and state != "annexed",
        can_delete=here and process_actions.deletion_refusal(process, unit) is None,
        is_holder=sigiloso, returns=routing.pending_returns(process),
        suspension=process_actions.suspension_of(process) if suspended else None,
        annexes=relations.annexes_of(process) if readable else [],
        related=relations.related_of(process, current_user, unit),
        acks=process_actions.acknowledgements(process))


def tool_choices(ctx, unit):
    if "assign_form" in ctx:
        ctx["assign_form"].assignee.choices = [(0, "— ninguém —")] + [
            (u.id, u.name) for u in unit_tools.unit_users(unit)]
    if "marker_form" in ctx:
        ctx["marker_form"].marker_id.choices = [(m.id, m.name) for m in unit_tools.unit_markers(unit)]
    if "watch_form" in ctx:
        ctx["watch_form"].group_id.choices = [(0, "— sem grupo —")] + [
            (g.id, g.name) for g in unit_tools.watch_groups(unit)]


@bp.get("/processos/<int:process_id>")
def show(process_id):
    """The process page; the first opening by the unit where it arrived marks it received."""
    process = load_process(process_id)
    unit = current_unit()
    row = access.open_row(process, unit)
    if row is not None and row.seen_at is None:
        db.session.commit()  # end the read transaction: on SQLite the write must start its own
        processes.mark_received(process, unit, by=current_user)
        db.session.commit()
    return render("processes/show.html", block="tools", **page_context(process))


@bp.route("/processos/<int:process_id>/alterar", methods=["GET", "POST"])
def edit(process_id):
    """Alterar Processo: only where it is open; every change goes to the history."""
    process = load_process(process_id)
    unit = current_unit()
    row = guard(access.require_open_in, unit, process)
    form = _data_form_choices(ProcessDataForm(
        type_name=process.type.name, specification=process.specification, access_level=process.access_level,
        legal_basis_id=process.legal_basis_id or 0, interested=processes.interested_text(process),
        observations=row.observations))

    def action():
        process_type, basis = _chosen(form)
        processes.update_process(process, unit, by=current_user, process_type=process_type,
                                 specification=form.specification.data, interested=form.interested.data,
                                 access_level=form.access_level.data, legal_basis=basis,
                                 observations=form.observations.data)
    return submit(form, action, template="processes/form.html",
                  success_url=url_for("processes.show", process_id=process.id),
                  message="Processo alterado.", process=process, frequent=[], types=catalog.types_for_unit(unit)[1])


@bp.get("/processos/<int:process_id>/andamento")
def history_page(process_id):
    """Consultar Andamento: the full history, newest first (keyset by entry id)."""
    process = load_process(process_id)
    before = request.args.get("antes", type=to_id)
    entries = history.entries_for(process, current_unit(), before=before, limit=200)
    return render("processes/history.html", process=process, entries=entries, describe=history.describe,
                  readable=access.can_read_process(current_user, current_unit(), process), more=len(entries) == 200)
