"""Sources: the feeds, sitemaps, pages and sites polled for news, and their polling state."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from handpicked.store.model import SOURCE_KINDS, SourceKind, SourceRecord
from handpicked.store.sessions import Repository, http_url, insert, utcnow
from handpicked.store.tables import PendingUrlRow, SourceRow
from handpicked.store.urls import canonical_url

MAX_BACKOFF = timedelta(hours=24)
#: A next poll time that never comes (far from datetime.max, so time-zone shifts cannot
#: overflow it).
NEVER = datetime(9000, 1, 1, tzinfo=UTC)
_ERROR_CHARS = 4000


class SourceRepository(Repository):
    """``store.sources``: adding, listing and removing sources, and their poll schedule."""

    def add(
        self,
        url: str,
        kind: SourceKind,
        title: str | None = None,
        site_url: str | None = None,
        poll_interval_s: int = 1800,
        desk_wide: bool = False,
    ) -> tuple[SourceRecord, bool]:
        """The source for ``url`` and whether it was created; adding it again changes nothing,
        except that ``desk_wide`` makes a reader's source desk-wide."""
        if kind not in SOURCE_KINDS:
            raise ValueError(f"source kind must be one of {', '.join(SOURCE_KINDS)}, not {kind!r}")
        if poll_interval_s < 1:
            raise ValueError(f"poll interval must be at least 1 s, not {poll_interval_s}")
        key = http_url(url)
        if key is None:
            raise ValueError(f"not an http(s) URL: {url!r}")
        with self._sessions.write() as session:
            stmt = (
                insert(session, SourceRow)
                .values(
                    url=key,
                    kind=kind,
                    title=title,
                    site_url=canonical_url(site_url) if site_url else None,
                    poll_interval_s=poll_interval_s,
                    error_count=0,
                    created_at=utcnow(),
                    desk_wide=desk_wide,
                )
                .on_conflict_do_nothing(index_elements=["url"])
                .returning(SourceRow.id)
            )
            new_id = session.execute(stmt).scalar_one_or_none()
            row = session.scalars(select(SourceRow).where(SourceRow.url == key)).one()
            if desk_wide and not row.desk_wide:
                row.desk_wide = True
                session.flush()
            return source_record(row), new_id is not None

    def list(self, *, desk_wide: bool | None = None) -> builtins.list[SourceRecord]:
        """Every source, or only the desk-wide ones (``desk_wide=True``) or the others."""
        stmt = select(SourceRow).order_by(SourceRow.id)
        if desk_wide is not None:
            stmt = stmt.where(SourceRow.desk_wide.is_(desk_wide))
        with self._sessions.read() as session:
            return [source_record(r) for r in session.scalars(stmt)]

    def set_desk_wide(self, source_id: int, desk_wide: bool) -> SourceRecord | None:
        with self._sessions.write() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                return None
            row.desk_wide = desk_wide
            session.flush()
            return source_record(row)

    def get(self, id_or_url: int | str) -> SourceRecord | None:
        with self._sessions.read() as session:
            row = _findsource_record(session, id_or_url)
            return None if row is None else source_record(row)

    def remove(self, id_or_url: int | str) -> bool:
        """Forget a source and its still-pending URLs; its articles stay, without a source."""
        with self._sessions.write() as session:
            row = _findsource_record(session, id_or_url)
            if row is None:
                return False
            source_id = row.id
            session.expunge(row)
            session.execute(
                delete(PendingUrlRow).where(
                    PendingUrlRow.source_id == source_id, PendingUrlRow.state == "pending"
                )
            )
            # The foreign keys set articles.source_id and the rest of the queue's to NULL.
            session.execute(delete(SourceRow).where(SourceRow.id == source_id))
            return True

    def hold(self, source_id: int, until: datetime) -> None:
        """Poll this source no sooner than ``until``: the bundled sample's sites, listed as
        where its articles came from, are held until :data:`NEVER` so nothing fetches them."""
        with self._sessions.write() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                raise LookupError(f"no source with id {source_id}")
            row.next_poll_at = until

    def due(self, now: datetime) -> builtins.list[SourceRecord]:
        """Sources to poll now: never polled ones first, then by how overdue they are."""
        stmt = (
            select(SourceRow)
            .where(or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= now))
            .order_by(SourceRow.next_poll_at.asc().nulls_first(), SourceRow.id)
        )
        with self._sessions.read() as session:
            return [source_record(r) for r in session.scalars(stmt)]

    def record_poll(
        self,
        source_id: int,
        *,
        now: datetime,
        ok: bool,
        status: int | None = None,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> SourceRecord:
        """Note a poll's outcome and schedule the next one: after the interval when it worked,
        after a back-off that doubles with each failure in a row (at most a day) when not. The
        error text is kept so the user can be told why a source is quiet."""
        with self._sessions.write() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                raise LookupError(f"no source with id {source_id}")
            row.last_polled_at = now
            row.last_status = status
            if etag is not None:
                row.etag = etag
            if last_modified is not None:
                row.last_modified = last_modified
            if ok:
                row.error_count = 0
                row.last_error = None
                row.next_poll_at = now + timedelta(seconds=row.poll_interval_s)
            else:
                row.error_count += 1
                message = error or (f"HTTP {status}" if status is not None else "poll failed")
                row.last_error = message[:_ERROR_CHARS]
                row.next_poll_at = now + poll_backoff(row.poll_interval_s, row.error_count)
            session.flush()
            return source_record(row)


def poll_backoff(interval_s: int, failures: int) -> timedelta:
    """Wait before polling a failing source again: the interval doubled per failure, ≤ a day
    (or the interval itself, if that is longer)."""
    delay = interval_s * 2 ** min(failures, 20)
    return timedelta(seconds=min(delay, max(MAX_BACKOFF.total_seconds(), interval_s)))


def _findsource_record(session: Session, id_or_url: int | str) -> SourceRow | None:
    if isinstance(id_or_url, int):
        return session.get(SourceRow, id_or_url)
    key = canonical_url(id_or_url)
    return session.scalars(select(SourceRow).where(SourceRow.url == key)).one_or_none()


def source_record(row: SourceRow) -> SourceRecord:
    return SourceRecord(
        id=row.id,
        url=row.url,
        kind=cast(SourceKind, row.kind),
        title=row.title,
        site_url=row.site_url,
        poll_interval_s=row.poll_interval_s,
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        etag=row.etag,
        last_modified=row.last_modified,
        last_status=row.last_status,
        last_error=row.last_error,
        error_count=row.error_count,
        created_at=row.created_at,
        desk_wide=bool(row.desk_wide),
    )
