"""Reports made from uploads and case forms, kept in memory for their owner only.

They are not registry patients (nothing is stored in the database); a report lives for
``ttl`` seconds or until ``capacity`` newer ones push it out, and only the user who made it
can open it. A restart forgets them all.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass
class StoredReport:
    owner: str
    created: float
    title: str
    built: Any                 # services.BuiltReport
    annotation: Any = None     # services.Annotation (uploads only)


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
