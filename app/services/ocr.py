"""OCR of scanned PDFs and images: OCRmyPDF (PDF) and Tesseract (images), Portuguese.

Debian packages: ocrmypdf tesseract-ocr tesseract-ocr-por. Switched by the OCR_ENABLED setting
(default: on when the programs exist). Works on a temporary copy: the original file is read
only; the recognised text comes back as a string (the OCR'd PDF is thrown away)."""
import os
import shutil
import subprocess
import tempfile

from flask import current_app


class OcrError(Exception):
    pass


def available():
    return bool(shutil.which("ocrmypdf") and shutil.which("tesseract"))


def enabled():
    """OCR_ENABLED from the app config, else from the environment (0/false/não turns it off)."""
    setting = current_app.config.get("OCR_ENABLED")
    if setting is None and os.environ.get("OCR_ENABLED") is not None:
        setting = os.environ["OCR_ENABLED"].strip().lower() in {"1", "true", "yes", "sim", "on"}
    return available() if setting is None else bool(setting) and available()


def _timeout():
    return int(current_app.config.get("OCR_TIMEOUT", 900))


def _language():
    return current_app.config.get("OCR_LANGUAGE", "por")


def _run(args, timeout):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per job: the worker runs several
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR interrompido após {timeout} s.") from None
    return result


def ocr_pdf(path):
    """Recognised text of the PDF's pages that have no text layer (pages with text are skipped)."""
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        sidecar = os.path.join(tmp, "text.txt")
        result = _run(["ocrmypdf", "--quiet", "--skip-text", "--output-type", "pdf", "--optimize", "0", "--jobs", "1",
                       "-l", _language(), "--sidecar", sidecar, str(path), os.path.join(tmp, "out.pdf")], _timeout())
        if result.returncode not in (0, 6):  # 6: the PDF already had text on every page
            raise OcrError(_message(result))
        if not os.path.exists(sidecar):
            return ""
        with open(sidecar, encoding="utf-8", errors="replace") as f:
            return f.read().replace("\f", "\n")


def ocr_image(path):
    """Recognised text of an image (PNG, JPEG, TIFF; every TIFF page)."""
    result = _run(["tesseract", str(path), "stdout", "-l", _language()], _timeout())
    if result.returncode != 0:
        raise OcrError(_message(result))
    return result.stdout.decode("utf-8", "replace").replace("\f", "\n")


def _message(result):
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return ("OCR falhou: " + (lines[-1] if lines else f"código {result.returncode}"))[:480]
