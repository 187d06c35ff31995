"""The unit's tools on a process (posted from the process page), the batch actions of the
Controle de Processos, the unit's Marcadores and the Acompanhamento Especial list."""
from flask import abort, current_app, request, url_for
from flask_login import current_user

from app.blueprints.processes import bp
from app.blueprints.processes.forms import (ApplyMarkerForm, AssignForm, BatchForm, DeadlineForm, InboxFilterForm,
                                            MarkerForm, NoteForm, WatchForm, WatchGroupForm)
from app.blueprints.processes.routes import load_process, page_context
from app.forms import EmptyForm
from app.models import MARKER_COLORS, Marker, User, WatchGroup
from app.services import access, catalog, inbox, processes, unit_tools
from app.web import current_unit, get_or_404, guard, render, safe_next, see_other, submit, wants_fragment


def _owned(model, ident):
    """A marker or group of the current unit, or a user of the órgão; None for 0; 404 for others'."""
    if not ident:
        return None
    obj = get_or_404(model, ident)
    if model is User:
        mine = obj.organization_id == current_user.organization_id
    else:
        mine = obj.unit_id == current_unit().id
    if not mine:
        abort(404)
    return obj


def _tool(process, form, form_key, action, message):
    """POST of one tool of the process page: on success back to the page, else its tools part with 422."""
    return submit(form, action, template="processes/show.html", block="tools", form_key=form_key,
                  success_url=url_for("processes.show", process_id=process.id), message=message,
                  **page_context(process, failed=form, **{form_key: form}))


@bp.post("/processos/<int:process_id>/atribuir")
def assign(process_id):
    """Atribuir Processo (to a user of the unit, or to nobody)."""
    process = load_process(process_id)
    form = AssignForm()
    form.assignee.choices = [(0, "")] + [(u.id, u.name) for u in unit_tools.unit_users(current_unit())]
    return _tool(process, form, "assign_form", lambda: unit_tools.assign(
        process, current_unit(), by=current_user, user=_owned(User, form.assignee.data)), "Atribuição salva.")


@bp.post("/processos/<int:process_id>/anotacao")
def note(process_id):
    """Anotação: the unit's post-it (empty removes it)."""
    process = load_process(process_id)
    form = NoteForm()
    return _tool(process, form, "note_form", lambda: unit_tools.set_note(
        process, current_unit(), by=current_user, text=form.note.data, priority=form.priority.data),
        "Anotação salva.")


@bp.post("/processos/<int:process_id>/prazo")
def deadline(process_id):
    """Controle de Prazo (empty removes it)."""
    process = load_process(process_id)
    form = DeadlineForm()
    return _tool(process, form, "deadline_form", lambda: unit_tools.set_deadline(
        process, current_unit(), by=current_user, deadline=form.deadline.data), "Prazo salvo.")


@bp.post("/processos/<int:process_id>/marcadores")
def add_marker(process_id):
    """Put one of the unit's markers on the process (or change its text)."""
    process = load_process(process_id)
    form = ApplyMarkerForm()
    form.marker_id.choices = [(m.id, m.name) for m in unit_tools.unit_markers(current_unit())]
    return _tool(process, form, "marker_form", lambda: unit_tools.apply_marker(
        process, current_unit(), by=current_user, marker=_owned(Marker, form.marker_id.data),
        text=form.marker_text.data), "Marcador salvo.")


@bp.post("/processos/<int:process_id>/marcadores/<int:marker_id>/retirar")
def remove_marker(process_id, marker_id):
    process = load_process(process_id)
    marker = _owned(Marker, marker_id) or abort(404)
    return _tool(process, EmptyForm(), "remove_form", lambda: unit_tools.remove_marker(
        process, current_unit(), by=current_user, marker=marker), "Marcador retirado.")


@bp.post("/processos/<int:process_id>/acompanhamento")
def watch(process_id):
    """Acompanhamento Especial: follow the process in this unit (or change group/observation)."""
    process = load_process(process_id)
    form = WatchForm()
    form.group_id.choices = [(0, "")] + [(g.id, g.name) for g in unit_tools.watch_groups(current_unit())]
    return _tool(process, form, "watch_form", lambda: unit_tools.watch(
        process, current_unit(), by=current_user, group=_owned(WatchGroup, form.group_id.data),
        observation=form.observation.data), "Acompanhamento Especial salvo.")


@bp.post("/processos/<int:process_id>/acompanhamento/retirar")
def unwatch(process_id):
    process = load_process(process_id)
    guard(access.require_readable, current_user, current_unit(), process)
    return _tool(process, EmptyForm(), "unwatch_form", lambda: unit_tools.unwatch(
        process, current_unit(), by=current_user), "Processo retirado do Acompanhamento Especial.")


def _lazy(fetch):
    """Choices fetched only when a part that shows them is rendered (htmx list fragments skip them)."""
    memo = []
    return lambda: memo or memo.extend(fetch()) or memo


def batch_form(markers=None):
    """The batch-action controls of the inbox, with the unit's users, markers and groups."""
    unit = current_unit()
    form = BatchForm()
    form.assignee.choices = _lazy(lambda: [(0, "— ninguém —")] + [(u.id, u.name) for u in unit_tools.unit_users(unit)])
    form.marker_id.choices = markers or _lazy(lambda: [(0, "—")] + _marker_choices(unit))
    form.group_id.choices = _lazy(lambda: [(0, "— sem grupo —")] + [
        (g.id, g.name) for g in unit_tools.watch_groups(unit)])
    return form


def _marker_choices(unit):
    return [(m.id, m.name) for m in unit_tools.unit_markers(unit)]


def inbox_context(args, batch=None):
    """The Controle de Processos of the current unit for the filters in `args` (a MultiDict)."""
    unit = current_unit()
    markers = _lazy(lambda: _marker_choices(unit))
    filters = InboxFilterForm(formdata=args)
    filters.marcador.choices = lambda: [(0, "Todos")] + markers()
    filters.tipo.choices = _lazy(lambda: [(0, "Todos")] + [(t.id, t.name) for t in catalog.process_types(
        current_user.organization, active_only=True)])
    page = inbox.inbox_page(current_user, unit, filters.filters(), size=current_app.config["INBOX_PAGE_SIZE"])
    kept = {k: v for k, v in args.to_dict(flat=False).items() if k != "apos"}
    from app.services.routing import awaiting_of
    return dict(filters=filters, page=page, batch=batch or batch_form(lambda: [(0, "—")] + markers()),
                awaiting=awaiting_of(unit, [r.process_id for r in page.rows]),
                today=processes.today(), fragment=wants_fragment(),
                volta=url_for("main.home", **args.to_dict(flat=False)),
                first_url=url_for("main.home", **kept) if args.get("apos") else None,
                next_url=url_for("main.home", **kept, apos=page.next_cursor) if page.next_cursor else None)


@bp.post("/processos/lote")
def batch():
    """Apply Atribuir / Marcador / Acompanhamento / Concluir to the selected processes (all or none);
    Enviar opens the Enviar Processo page for them."""
    form = batch_form()
    unit = current_unit()
    back = safe_next(form.volta.data) or url_for("main.home")
    if form.action.data == "send" and form.validate_on_submit():
        response = see_other(url_for("processes.send_batch", ids=form.ids.data))
        if wants_fragment():  # the inbox list is the htmx target: open the Enviar page as a whole page
            response.status_code, response.headers["HX-Redirect"] = 204, response.headers["Location"]
        return response

    def action():
        unit_tools.apply_batch(
            unit, by=current_user, process_ids=form.ids.data, action=form.action.data,
            user=_owned(User, form.assignee.data), marker=_owned(Marker, form.marker_id.data),
            text=form.marker_text.data, group=_owned(WatchGroup, form.group_id.data),
            observation=form.observation.data)
    return submit(form, action, template="main/home.html", block="inbox", success_url=back,
                  message="Ação aplicada aos processos selecionados.", form_key="batch",
                  **inbox_context(args=_args_of(back), batch=form))


def _args_of(url):
    from urllib.parse import parse_qs, urlsplit
    from werkzeug.datastructures import MultiDict
    return MultiDict([(k, v) for k, values in parse_qs(urlsplit(url).query).items() for v in values])


@bp.route("/marcadores", methods=["GET", "POST"])
def markers():
    """The unit's Marcadores: create, rename, recolour, deactivate."""
    unit = current_unit()
    form = MarkerForm()
    return submit(form, lambda: unit_tools.create_marker(unit, by=current_user, name=form.name.data,
                                                         color=form.color.data),
                  template="processes/markers.html", success_url=url_for("processes.markers"),
                  message="Marcador criado.", markers=unit_tools.unit_markers(unit, active_only=False),
                  colors=MARKER_COLORS)


@bp.post("/marcadores/<int:marker_id>")
def edit_marker(marker_id):
    unit = current_unit()
    marker = _owned(Marker, marker_id) or abort(404)   # no marker 0 in a path
    form = MarkerForm(prefix=f"m{marker.id}")
    return submit(form, lambda: unit_tools.update_marker(marker, unit, by=current_user, name=form.name.data,
                                                         color=form.color.data, active=form.active.data),
                  template="processes/markers.html", success_url=url_for("processes.markers"),
                  message="Marcador alterado.", form_key="edit_form", edited=marker.id, form=MarkerForm(formdata=None),
                  markers=unit_tools.unit_markers(unit, active_only=False), colors=MARKER_COLORS)


@bp.get("/acompanhamento")
def watched():
    """Acompanhamento Especial: the processes this unit follows, by group, and where each is now."""
    unit = current_unit()
    group_id = request.args.get("grupo", type=int)
    watches, next_before, where = inbox.watched_page(current_user, unit, group_id=group_id,
                                                     before=request.args.get("antes", type=int))
    return render("processes/watched.html", block="list", watches=watches, next_before=next_before, where=where,
                  groups=unit_tools.watch_groups(unit), group_id=group_id, form=WatchGroupForm(formdata=None))


@bp.post("/acompanhamento/grupos")
def new_watch_group():
    unit = current_unit()
    form = WatchGroupForm()
    watches, next_before, where = inbox.watched_page(current_user, unit)
    return submit(form, lambda: unit_tools.create_watch_group(unit, by=current_user, name=form.name.data),
                  template="processes/watched.html", success_url=url_for("processes.watched"),
                  message="Grupo criado.", watches=watches, next_before=next_before, where=where,
                  groups=unit_tools.watch_groups(unit), group_id=None)

