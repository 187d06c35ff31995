"""What a request may carry: `<int:…>` URL ids the database can hold, and form bodies in valid UTF-8.

Werkzeug would let /processos/2147483648 reach the query (a 500 on PostgreSQL) and would store the
bytes of a broken form as "��" (multipart) or "%FF" (urlencoded). Here the first is a plain 404 and
the second a 400 with a Portuguese message, before any view runs."""
import codecs
from urllib.parse import parse_qsl

from flask import Request, render_template
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.routing import IntegerConverter

from app.services.inputs import MAX_ID

_STRICT_UTF8 = "expediente_strict_utf8"


class IdConverter(IntegerConverter):
    """`int` in URLs: ASCII digits, 1..MAX_ID by default (`min`, `max`, `signed` still work); else no match (404)."""
    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class InvalidFormEncoding(BadRequest):
    description = "Caracteres inválidos no formulário."


def _strict_utf8_codec(name):
    # Werkzeug decodes multipart fields with errors="replace"; this codec ignores that and stays strict.
    if name != _STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(utf8.encode, lambda data, errors="strict": utf8.decode(data, "strict"), name=_STRICT_UTF8)


codecs.register(_strict_utf8_codec)


class _StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers):
        charset = super().get_part_charset(headers)
        return _STRICT_UTF8 if charset in ("utf-8", "ascii", "us-ascii") else charset


class StrictFormDataParser(FormDataParser):
    """Form bodies whose text is not valid UTF-8 are refused (InvalidFormEncoding), never repaired."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            items = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise InvalidFormEncoding() from None
        return stream, self.cls(items), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _StrictMultiPartParser(stream_factory=self.stream_factory, max_form_parts=self.max_form_parts,
                                        max_form_memory_size=self.max_form_memory_size, cls=self.cls)
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError:
            raise InvalidFormEncoding() from None
        return stream, form, files


class StrictRequest(Request):
    form_data_parser_class = StrictFormDataParser


def _refuse_encoding(error):
    text = ("O formulário enviado tem caracteres inválidos (texto que não está em UTF-8). Nada foi alterado: "
            "volte, confira o texto colado e envie de novo.")
    return render_template("errors.html", code=400, title="Caracteres inválidos no formulário", text=text), 400


def init_app(app):
    """Before the blueprints: their `<int:…>` rules bind the converter when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = StrictRequest
    app.register_error_handler(InvalidFormEncoding, _refuse_encoding)
