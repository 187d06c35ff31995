"""Gerar PDF do processo (background job with a progress bar) and Gerar ZIP (streamed)."""
from flask import Response, abort, request, send_file, stream_with_context, url_for
from flask_login import current_user
from wtforms import SelectMultipleField

from app.blueprints.search import bp
from app.extensions import db
from app.forms import Form
from app.models import Process
from app.models.search import ExportJob
from app.services import access, export
from app.services.errors import DomainError
from app.services.inputs import parse_ids
from app.web import apply_errors, current_unit, get_or_404, guard, render, see_other

PREFIX = "/processos/<int:process_id>/exportar"


class ExportForm(Form):
    document_ids = SelectMultipleField("Documentos", coerce=int)


def _process(process_id):
    """The process, if the user in the current unit may read its content (404/403 otherwise)."""
    return guard(access.require_readable, current_user, current_unit(), get_or_404(Process, process_id))


def _form(process, data=None):
    documents = guard(export.exportable_documents, process, current_user, current_unit())
    form = ExportForm(data) if data is not None else ExportForm(document_ids=[d.id for d in documents])
    form.document_ids.choices = [(d.id, d.tree_label) for d in documents]
    return form, documents


def _recent(process):
    return db.session.scalars(db.select(ExportJob).where(
        ExportJob.process_id == process.id, ExportJob.user_id == current_user.id)
        .order_by(ExportJob.id.desc()).limit(5)).all()


@bp.get(PREFIX)
def export_page(process_id):
    """Choose the documents; "Gerar PDF do processo" or "Gerar ZIP"."""
    process = _process(process_id)
    form, documents = _form(process)
    return render("search/export.html", process=process, form=form, documents=documents, recent=_recent(process))


@bp.post(PREFIX)
def export_pdf(process_id):
    """Start a PDF export: small ones are built now, larger ones by the worker (progress page)."""
    process = _process(process_id)
    form, documents = _form(process, request.form)
    if form.validate_on_submit():
        try:
            job = export.start_pdf_export(process, by=current_user, unit=current_unit(),
                                          document_ids=form.document_ids.data)
            chosen = export.chosen_documents(process, current_user, current_unit(), job.document_ids)
            db.session.commit()
            if export.is_small(chosen):
                export.run_export_now(job.id)
                db.session.commit()
            else:
                export.run_export(job.id)
                db.session.commit()  # immediate mode (tests) ran it here
            return see_other(url_for("search.export_status", process_id=process.id, export_id=job.id))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
    return render("search/export.html", status=422, process=process, form=form, documents=documents,
                  recent=_recent(process))


@bp.get(PREFIX + "/zip")
def export_zip(process_id):
    """Gerar ZIP: every chosen file plus manifest.csv, streamed."""
    process = _process(process_id)
    ids = parse_ids(request.args.getlist("document_ids"))
    try:
        documents = export.chosen_documents(process, current_user, current_unit(), ids or None)
    except DomainError as error:
        form, docs = _form(process)
        apply_errors(form, error)
        return render("search/export.html", status=422, process=process, form=form, documents=docs,
                      recent=_recent(process))
    name = "processo-" + "".join(ch for ch in process.number if ch.isdigit()) + ".zip"
    stream = export.zip_stream(process, documents, user=current_user, unit=current_unit())
    return Response(stream_with_context(stream), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})


def _job(process_id, export_id):
    process = _process(process_id)
    return process, guard(export.require_own_export, current_user, process, db.session.get(ExportJob, export_id))


@bp.get("/processos/<int:process_id>/exportacoes/<int:export_id>")
def export_status(process_id, export_id):
    """Progress of a PDF export (htmx polls the progress block) and its download link."""
    process, job = _job(process_id, export_id)
    return render("search/export_status.html", block="progress", process=process, job=job,
                  available=job.status == "done" and export.job_path(job).is_file())


@bp.get("/processos/<int:process_id>/exportacoes/<int:export_id>/arquivo")
def export_file(process_id, export_id):
    """The finished PDF."""
    _, job = _job(process_id, export_id)
    path = export.job_path(job)
    if job.status != "done" or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=job.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
