"""Builders of processes and of the other órgão's process objects used by the access tests."""
from app.services import catalog, processes, unit_tools

DEFAULT_TYPE = "Administração Geral: Processo Administrativo"


def make_process(unit, user, *, type_name=DEFAULT_TYPE, specification="Assunto de teste", level="publico",
                 basis=None, interested="", **kw):
    org = unit.organization
    legal_basis = None
    if level != "publico":
        legal_basis = next(b for b in catalog.legal_bases(org) if b.level == level and (basis is None or b.name == basis))
    return processes.create_process(unit, by=user, process_type=catalog.find_type(org, type_name),
                                    specification=specification, interested=interested, access_level=level,
                                    legal_basis=legal_basis, **kw)


def cm_objects(w, db):
    """The câmara's (CM) process, marker and watch group, created once per world."""
    if getattr(w, "cm_process", None) is None:
        w.cm_process = make_process(w.presi, w.caio, specification="Processo da Câmara")
        w.cm_marker = unit_tools.create_marker(w.presi, by=w.caio, name="Urgente", color="vermelho")
        w.cm_group = unit_tools.create_watch_group(w.presi, by=w.caio, name="Contratos")
        db.session.commit()
    return w
