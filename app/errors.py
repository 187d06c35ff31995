"""Error pages in Portuguese (403, 404, 413, 500) and the CSRF refusal."""
from flask import current_app, render_template
from flask_wtf.csrf import CSRFError

from app.extensions import db

MESSAGES = {
    400: ("Requisição inválida", "O pedido não pôde ser entendido. Volte e tente de novo."),
    403: ("Acesso negado", "Você não tem permissão para acessar esta página."),
    404: ("Página não encontrada", "O endereço não existe ou o registro não está disponível para você."),
    405: ("Método não permitido", "Esta ação não pode ser feita deste modo."),
    413: ("Arquivo grande demais", "O envio ultrapassa o tamanho máximo permitido."),
    500: ("Erro interno", "Ocorreu um erro inesperado. Nada foi alterado; tente de novo em instantes."),
}


def _page(code, title=None, text=None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors.html", code=code, title=title or default_title, text=text or default_text), code


def init_app(app):
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda e, code=code: _page(code))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        current_app.logger.warning("CSRF: %s", error.description)
        return _page(400, "Formulário expirado",
                     "O formulário expirou ou não veio desta página. Recarregue a página e envie de novo.")

    @app.errorhandler(500)
    def _internal(error):
        db.session.rollback()
        return _page(500)
