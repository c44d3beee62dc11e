"""Reports made from uploads and case forms, kept in memory for their owner only.

They are not registry patients (nothing is stored in the database until the user attaches the
result to a patient); a report lives for ``ttl`` seconds or until ``capacity`` newer ones push
it out, and only the user who made it can open it. A restart forgets them all. An uploaded
file up to ``MAX_KEPT_UPLOAD`` bytes is kept with its report (in memory) for that attachment.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


MAX_KEPT_UPLOAD = 16 * 1024 * 1024


@dataclass
class StoredReport:
    owner: str
    created: float
    title: str
    built: Any                 # services.BuiltReport
    annotation: Any = None     # services.Annotation (uploads only)
    upload: bytes | None = None        # the uploaded file, kept so it can be attached to a patient
    upload_name: str = ""
    upload_options: dict | None = None  # sample_type, assay, build, sample as given on the upload form
    attached_to: str | None = None      # the patient it was attached to (once)


class ReportStore:
    def __init__(self, capacity: int = 64, ttl: float = 3600.0) -> None:
        self.capacity, self.ttl = capacity, ttl
        self._items: OrderedDict[str, StoredReport] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, item: StoredReport) -> str:
        key = secrets.token_urlsafe(18)
        with self._lock:
            self._items[key] = item
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return key

    def get(self, key: str, owner: str) -> StoredReport | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item.created > self.ttl:
                del self._items[key]
                return None
        return item if secrets.compare_digest(item.owner, owner) else None


class OneTime:
    """Something to show once on the next page (a new API token after POST-redirect-GET),
    kept in memory for ``ttl`` seconds under a key only its owner has (the session token)."""

    def __init__(self, ttl: float = 300.0, capacity: int = 256) -> None:
        self.ttl, self.capacity = ttl, capacity
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def pop(self, key: str) -> Any:
        with self._lock:
            item = self._items.pop(key, None)
        return item[1] if item is not None and time.monotonic() - item[0] <= self.ttl else None
