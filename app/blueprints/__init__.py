"""HTTP layer: one package per feature (bp in __init__, routes.py, forms.py)."""


def register_blueprints(app):
    from app.blueprints.admin import bp as admin_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.processes import bp as processes_bp

    for bp in (auth_bp, main_bp, admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(processes_bp)
    from app.blueprints.documents import admin_bp as documents_admin_bp, bp as documents_bp
    app.register_blueprint(documents_bp)
    app.register_blueprint(documents_admin_bp)
    from app.blueprints.search import bp as search_bp  # issue 7: Pesquisar, exports, index hook
    app.register_blueprint(search_bp)
    from app.blueprints.signing import bp as signing_bp  # issue 6: Assinar, Blocos de Assinatura
    from app.blueprints.verify import bp as verify_bp  # issue 6: Conferir autenticidade (public)
    app.register_blueprint(signing_bp)
    app.register_blueprint(verify_bp)
