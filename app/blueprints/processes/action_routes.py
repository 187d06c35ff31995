"""Sobrestar, Relacionar, Anexar, Dar Ciência, Atualizar Andamento and Excluir Processo."""
from flask import request, url_for
from flask_login import current_user

from app.blueprints.processes import bp
from app.blueprints.processes.forms import NumberForm, ProgressForm, SuspendForm, VersionForm
from app.blueprints.processes.routes import load_acting, load_process
from app.blueprints.processes.routing_routes import _action
from app.forms import EmptyForm
from app.models import Document, Process
from app.services import access, form_tokens, process_actions, relations
from app.services.inputs import to_id
from app.services.movement import parse_version
from app.web import current_unit, get_or_404, guard, render, submit


def _page(template, process, form, action, message, success_url=None, **context):
    return submit(form, action, template=template, success_url=success_url or url_for(
        "processes.show", process_id=process.id), message=message, process=process, **context)


@bp.route("/processos/<int:process_id>/sobrestar", methods=["GET", "POST"])
def suspend(process_id):
    """Sobrestar Processo (only when open in this unit alone): it leaves the Controle de Processos."""
    process = load_acting(process_id)
    form = SuspendForm(version=process.version)

    def action():
        tied = relations.find_process(current_user, current_unit(), form.tied_number.data, "tied_number") \
            if (form.tied_number.data or "").strip() else None
        process_actions.suspend(process, current_unit(), by=current_user, reason=form.reason.data, tied_to=tied,
                                version=parse_version(form.version.data))
    return _page("processes/suspend.html", process, form, action, "Processo sobrestado.")


@bp.post("/processos/<int:process_id>/sobrestamento/remover")
def unsuspend(process_id):
    """Remover Sobrestamento: the process comes back to the Controle de Processos."""
    process = load_process(process_id)
    form = VersionForm()
    return _action(process, form, lambda: process_actions.unsuspend(
        process, current_unit(), by=current_user, version=parse_version(form.version.data)),
        "Sobrestamento removido.")


@bp.get("/sobrestados")
def suspended():
    """Processos Sobrestados of the current unit."""
    rows, next_before, reasons = process_actions.suspended_page(current_user, current_unit(),
                                                                before=request.args.get("antes", type=to_id))
    return render("processes/suspended.html", rows=rows, next_before=next_before, reasons=reasons)


def _relations_context(process):
    unit = current_unit()
    return dict(related=relations.related_of(process, current_user, unit),
                can_relate=access.open_row(process, unit) is not None, remove_form=EmptyForm(formdata=None))


@bp.route("/processos/<int:process_id>/relacionamentos", methods=["GET", "POST"])
def relations_page(process_id):
    """Relacionar: the related processes (both ways) and, where the process is open, a new relation."""
    process = load_process(process_id)
    form = NumberForm()
    return _page("processes/relations.html", process, form, lambda: relations.relate(
        process, current_unit(), by=current_user,
        other=relations.find_process(current_user, current_unit(), form.number.data)),
        "Processos relacionados.", url_for("processes.relations_page", process_id=process.id),
        **_relations_context(process))


@bp.post("/processos/<int:process_id>/relacionamentos/<int:other_id>/remover")
def unrelate(process_id, other_id):
    """Remove a relation (both ways); the history keeps both andamentos."""
    process = load_process(process_id)
    other = guard(access.require_process, current_user, current_unit(), get_or_404(Process, other_id))
    return submit(EmptyForm(), lambda: relations.unrelate(process, current_unit(), by=current_user, other=other),
                  template="processes/relations.html", form_key="remove_form", message="Relacionamento removido.",
                  success_url=url_for("processes.relations_page", process_id=process.id), process=process,
                  form=NumberForm(formdata=None), **_relations_context(process))


@bp.route("/processos/<int:process_id>/anexar", methods=["GET", "POST"])
def annex(process_id):
    """Anexar Processo: another process, open only here, goes permanently inside this one."""
    process = load_acting(process_id)
    form = NumberForm(version=process.version)
    return _page("processes/annex.html", process, form, lambda: relations.annex(
        process, current_unit(), by=current_user, version=parse_version(form.version.data),
        annexed=relations.find_process(current_user, current_unit(), form.number.data)),
        "Processo anexado.", annexes=relations.annexes_of(process))


@bp.post("/processos/<int:process_id>/ciencia")
def acknowledge(process_id):
    """Dar Ciência no processo (irreversible)."""
    process = load_process(process_id)
    return _action(process, EmptyForm(), lambda: process_actions.acknowledge(process, current_unit(), by=current_user),
                   "Ciência registrada.")


@bp.post("/processos/<int:process_id>/documentos/<int:document_id>/ciencia")
def acknowledge_document(process_id, document_id):
    """Dar Ciência num documento (irreversible)."""
    process = load_process(process_id)
    document = get_or_404(Document, document_id)
    guard(access.require_document, current_user, current_unit(), process, document)
    return _action(process, EmptyForm(), lambda: process_actions.acknowledge(
        process, current_unit(), by=current_user, document=document), f"Ciência no documento {document.sei} registrada.")


@bp.route("/processos/<int:process_id>/andamento/atualizar", methods=["GET", "POST"])
def progress(process_id):
    """Atualizar Andamento: free text into the history (not editable afterwards)."""
    process = load_acting(process_id)
    form = ProgressForm()
    if request.method == "GET":
        form.token.data = form_tokens.new_token()
    return _page("processes/progress.html", process, form, lambda: process_actions.update_progress(
        process, current_unit(), by=current_user, text=form.text.data, token=form.token.data or None),
        "Andamento atualizado.", url_for("processes.history_page", process_id=process.id))


@bp.route("/processos/<int:process_id>/excluir", methods=["GET", "POST"])
def delete(process_id):
    """Excluir Processo: only its generating unit, never sent, without documents (asks to confirm)."""
    process = load_acting(process_id)
    form = VersionForm(version=process.version)
    return _page("processes/delete.html", process, form, lambda: process_actions.delete_process(
        process, current_unit(), by=current_user, version=parse_version(form.version.data)),
        f"Processo {process.number} excluído.", url_for("main.home"),
        refusal=process_actions.deletion_refusal(process, current_unit()))
