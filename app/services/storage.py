"""Content-addressed file storage: bytes named by SHA-256 under STORAGE_DIR, written so nothing is lost.

Write order: temp file → fsync → rename to its hash name → fsync the directory → only then the
caller inserts the Blob row and commits. A crash leaves either both or an orphan file (never a
row without bytes); `flask fsck` lists orphans and can remove them once they are a day old."""
import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Blob
from app.services.errors import InvalidInput

CHUNK = 1024 * 1024
ORPHAN_MIN_AGE = 24 * 3600


class Storage:
    """The STORAGE_DIR tree: ab/cd/<sha256>, plus tmp/ for files being written."""

    def __init__(self, root):
        self.root = Path(root)

    def path(self, sha256):
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256):
        return self.path(sha256).is_file()

    def open(self, sha256):
        return open(self.path(sha256), "rb")

    def read(self, sha256):
        return self.path(sha256).read_bytes()

    def put_stream(self, stream, max_size=None):
        """Copy `stream` into storage; returns (sha256, size). Identical bytes are stored once."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{secrets.token_hex(8)}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise InvalidInput("O arquivo ultrapassa o tamanho máximo permitido.")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            if final.is_file() and final.stat().st_size == size:
                tmp.unlink()
                return sha, size
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return sha, size
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def put_bytes(self, data):
        import io
        return self.put_stream(io.BytesIO(data))

    def walk(self):
        """Every stored file as (sha256-looking name, path); the tmp/ directory is skipped."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if first.name == "tmp" or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    for path in sorted(second.iterdir()):
                        yield path.name, path

    def temp_files(self):
        tmp = self.root / "tmp"
        return sorted(tmp.iterdir()) if tmp.is_dir() else []


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_storage():
    from flask import current_app
    return Storage(current_app.config["STORAGE_DIR"])


def ensure_blob_row(sha256, size, media_type):
    """Insert the Blob row unless it exists (concurrent uploads of the same bytes are fine)."""
    values = dict(sha256=sha256, size=size, media_type=media_type)
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Blob).values(**values)
        db.session.execute(insert.on_conflict_do_nothing(index_elements=["sha256"]))
    elif db.session.get(Blob, sha256) is None:
        db.session.add(Blob(**values))
    db.session.flush()
    return db.session.get(Blob, sha256)


def store(stream, media_type, max_size=None):
    """Write the bytes (fsynced) and add their Blob row to the session; the caller commits."""
    sha, size = get_storage().put_stream(stream, max_size=max_size)
    return ensure_blob_row(sha, size, media_type)


@dataclass
class FsckReport:
    checked: int = 0
    missing: list = field(default_factory=list)     # rows whose file is absent
    corrupt: list = field(default_factory=list)     # files whose bytes do not match their name
    orphans: list = field(default_factory=list)     # files without a row
    removed: list = field(default_factory=list)

    @property
    def ok(self):
        return not (self.missing or self.corrupt)


def fsck(storage, *, remove_orphans=False, min_age=ORPHAN_MIN_AGE, now=None):
    """Check every Blob row has its bytes and every file its hash; list (and optionally remove) orphans."""
    report, now = FsckReport(), now or time.time()
    known = set()
    for sha, size in db.session.execute(select(Blob.sha256, Blob.size)):
        known.add(sha)
        report.checked += 1
        path = storage.path(sha)
        if not path.is_file():
            report.missing.append(sha)
        elif path.stat().st_size != size or _hash_file(path) != sha:
            report.corrupt.append(sha)
    for name, path in storage.walk():
        if name not in known:
            report.orphans.append(str(path))
            if remove_orphans and now - path.stat().st_mtime >= min_age:
                path.unlink()
                report.removed.append(str(path))
    for path in storage.temp_files():
        report.orphans.append(str(path))
        if remove_orphans and now - path.stat().st_mtime >= min_age:
            path.unlink()
            report.removed.append(str(path))
    return report


def _hash_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
