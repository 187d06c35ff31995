"""/conferir: código verificador + CRC (GET, the QR code's URL shows the answer at once), or a PDF file (POST)."""
from flask import request, url_for

from app.blueprints.signing.routes import pdf_response
from app.blueprints.verify import bp
from app.blueprints.verify.forms import CodeForm, FileForm
from app.extensions import db
from app.services import verification
from app.services.errors import InvalidInput, RateLimited
from app.web import apply_errors, render, see_other


def _page(form, file_form, status=200, **context):
    """The page, with the arithmetic question when this IP failed too often."""
    ip = request.remote_addr
    question = None
    if verification.needs_challenge(ip):
        question, form.desafio.data = verification.new_challenge()
        form.resposta.data = ""
    return render("verify/conferir.html", block="result", status=status, form=form,
                  file_form=file_form, question=question, **context)


def _lookup(form, ip):
    """(answer, status) for the codes in the form; failures are counted, a passed challenge clears them."""
    try:
        verification.check_rate(ip)
        code, crc = verification.clean_code(form.codigo.data), verification.clean_crc(form.crc.data)
        if verification.needs_challenge(ip):
            verification.check_challenge(form.desafio.data, form.resposta.data)
            verification.clear_failures(ip)
        answer = verification.lookup(code, crc)
        verification.record(ip, failed=answer.failed)
        db.session.commit()
    except RateLimited as error:
        form.form_errors.append(error.message)
        return None, 429
    except InvalidInput as error:
        db.session.rollback()
        if error.field == "resposta":
            verification.record(ip, failed=True)
            db.session.commit()
        apply_errors(form, error)
        return None, 422
    return answer, 422 if answer.failed else 200


@bp.route("/conferir", methods=["GET", "POST"])
def conferir():
    """Conferir autenticidade: the codes printed on the document, or the PDF file itself."""
    if request.method == "POST":
        return _check_file()
    form = CodeForm(request.args)
    answer, status = (None, 200)
    if "codigo" in request.args or "crc" in request.args:
        answer, status = _lookup(form, request.remote_addr)
    return _page(form, FileForm(formdata=None), status, answer=answer)


def _check_file():
    """A PDF dropped on the page: issued by us (SHA-256)? Is its seal intact?"""
    file_form, found, status = FileForm(), None, 200
    if file_form.validate_on_submit():
        try:
            verification.check_rate(request.remote_addr)
            upload = file_form.arquivo.data
            found = verification.check_file(verification.read_upload(upload.stream if upload else None))
            verification.record(request.remote_addr, failed=False)
            db.session.commit()
        except RateLimited as error:
            file_form.form_errors.append(error.message)
            status = 429
        except InvalidInput as error:
            db.session.rollback()
            apply_errors(file_form, error)
            status = 422
    else:
        status = 422
    return _page(CodeForm(formdata=None), file_form, status, found=found)


@bp.get("/conferir/documento.pdf")
def signed_pdf():
    """The stored signed PDF, for whoever holds both codes (the page's link); otherwise back to the page."""
    back = url_for("verify.conferir", codigo=request.args.get("codigo", ""), crc=request.args.get("crc", ""))
    ip = request.remote_addr
    try:
        verification.check_rate(ip)
        code = verification.clean_code(request.args.get("codigo"))
        crc = verification.clean_crc(request.args.get("crc"))
    except (RateLimited, InvalidInput):
        return see_other(back)
    if verification.needs_challenge(ip):
        return see_other(back)
    answer = verification.lookup(code, crc)
    verification.record(ip, failed=answer.failed)
    db.session.commit()
    if answer.pdf_sha256 is None:
        return see_other(back)
    return pdf_response(answer.pdf_sha256, f"documento-{answer.document.sei}.pdf")
