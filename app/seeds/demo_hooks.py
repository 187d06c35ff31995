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
