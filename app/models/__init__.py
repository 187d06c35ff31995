"""All models, imported here so Alembic and the app see every table."""
from app.models.audit import AuditEntry, Counter
from app.models.org import NUMBER_MASKS, Membership, Organization, SignatureRole, Unit
from app.models.process import (ACCESS_LABELS, ACCESS_LEVELS, MARKER_COLORS, Contact, HistoryEntry, LegalBasis,
                                Marker, MarkerHistory, Process, ProcessInterested, ProcessMarker, ProcessType,
                                ProcessUnit, Watch, WatchGroup)
from app.models.seal import SealCertificate
from app.models.user import LoginFailure, User
from app.models.document import (Blob, Document, DocumentInterested, DocumentSettings, DocumentType,  # noqa: E402
                                 DocumentVersion, Rendition, StandardText)

__all__ = ["ACCESS_LABELS", "ACCESS_LEVELS", "Contact", "HistoryEntry", "LegalBasis", "Process", "ProcessInterested",
           "ProcessType", "ProcessUnit", "SealCertificate", "AuditEntry", "Counter", "LoginFailure", "Membership", "NUMBER_MASKS", "Organization",
           "SignatureRole", "Unit", "User", "MARKER_COLORS", "Marker", "MarkerHistory", "ProcessMarker", "Watch",
           "WatchGroup",
           "Blob", "Document", "DocumentInterested", "DocumentSettings", "DocumentType", "DocumentVersion",
           "Rendition", "StandardText"]
from app.models.search import DocumentText, ExportJob, ProcessText  # noqa: E402,F401  (issue 7: search and export)
from app.models.signature import (DocumentFreeze, Signature, SignatureBlock,  # noqa: E402,F401  (issue 6: signing)
                                  SignatureBlockDocument, SignatureBlockUnit)
from app.models.routing import (Credential, Holiday, ProcessRelation,  # noqa: E402,F401  (issue 4: routing)
                                ScheduledReturn)
