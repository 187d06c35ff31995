"""`flask --app wsgi fsck`: every stored-file row has its bytes, every file its hash; orphans listed (and removable)."""
import sys

import click
from flask.cli import with_appcontext


@click.command("fsck")
@click.option("--remove-orphans", is_flag=True, help="Apaga arquivos órfãos (sem registro) com mais de um dia.")
@with_appcontext
def fsck(remove_orphans):
    """Confere o armazenamento de arquivos (STORAGE_DIR) contra o banco de dados."""
    from app.services import storage
    report = storage.fsck(storage.get_storage(), remove_orphans=remove_orphans)
    click.echo(f"Arquivos registrados conferidos: {report.checked}")
    for sha in report.missing:
        click.echo(f"FALTANDO: {sha} (registro sem arquivo)")
    for sha in report.corrupt:
        click.echo(f"CORROMPIDO: {sha} (o conteúdo não confere com o hash)")
    for path in report.orphans:
        click.echo(f"{'removido' if path in report.removed else 'órfão'}: {path}")
    if report.orphans and not remove_orphans:
        click.echo("Use --remove-orphans para apagar os órfãos com mais de um dia.")
    click.echo("OK: nenhum arquivo faltando ou corrompido." if report.ok else "ERRO: há arquivos faltando ou corrompidos.")
    sys.exit(0 if report.ok else 1)
