"""Extra demo content added by feature modules (processes, documents…); each hook is idempotent."""
HOOKS = []
