"""Extra demo content added by feature modules (processes, documents…); each hook is idempotent."""
HOOKS = []


def _demo_processes():
    from app.seeds.demo_processes import seed
    seed()


HOOKS.append(_demo_processes)


def _demo_documents():
    from app.seeds.demo_documents import seed
    seed()


HOOKS.append(_demo_documents)


def _demo_routing():  # issue 4: a send with Retorno Programado, a sobrestado, a Sigiloso with credentials
    from app.seeds.demo_routing import seed
    seed()


HOOKS.append(_demo_routing)
