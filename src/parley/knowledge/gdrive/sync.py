"""Deciding what a Drive re-sync must do. Pure functions: no I/O.

Two paths:
- plan_sync compares a fresh listing with what was ingested before (by modifiedTime);
- plan_from_changes reads the changes API since the last sync. It handles files; when a
  folder inside the selection is added, moved, renamed or removed, it asks for a full
  listing instead, because Drive reports the folder alone, not the files under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .files import DriveChange, DriveFile, is_supported


@dataclass(frozen=True)
class DriveSelection:
    """What the user picked: folders (with the subfolders seen at the last listing) and single files."""

    folder_ids: frozenset[str] = frozenset()
    file_ids: frozenset[str] = frozenset()

    def contains(self, file: DriveFile) -> bool:
        return file.id in self.file_ids or any(parent in self.folder_ids for parent in file.parents)


@dataclass(frozen=True)
class SyncPlan:
    to_ingest: list[DriveFile] = field(default_factory=list)  # new or modified
    to_delete: list[str] = field(default_factory=list)  # file ids whose chunks must go
    unchanged: int = 0
    # Only from plan_from_changes: the folder tree changed; list it again and use plan_sync.
    needs_full_listing: bool = False


def plan_sync(known: Mapping[str, datetime], current: Iterable[DriveFile]) -> SyncPlan:
    """`known`: file id → modifiedTime at the last ingestion. `current`: a complete listing."""
    seen: dict[str, DriveFile] = {}
    for file in current:
        if not file.trashed and not file.is_folder:
            seen[file.id] = file
    to_ingest = [file for file in seen.values() if known.get(file.id) != file.modified_time]
    to_delete = [file_id for file_id in known if file_id not in seen]
    return SyncPlan(to_ingest, to_delete, unchanged=len(seen) - len(to_ingest))


def plan_from_changes(
    known: Mapping[str, datetime], changes: Iterable[DriveChange], selection: DriveSelection
) -> SyncPlan:
    """Turn changes since the last sync into a plan; changes outside the selection are ignored."""
    latest: dict[str, DriveChange] = {}
    for change in changes:  # oldest first: the last word on a file wins
        latest[change.file_id] = change

    to_ingest: list[DriveFile] = []
    to_delete: list[str] = []
    unchanged = 0
    for file_id, change in latest.items():
        file = change.file
        if _touches_folder_tree(change, selection):
            return SyncPlan(needs_full_listing=True)
        gone = change.removed or file is None or file.trashed
        if gone or not selection.contains(file) or not is_supported(file):
            if file_id in known:
                to_delete.append(file_id)  # deleted, trashed, moved out of the selection, or unreadable now
        elif known.get(file_id) == file.modified_time:
            unchanged += 1  # e.g. only sharing settings changed
        else:
            to_ingest.append(file)
    return SyncPlan(to_ingest, to_delete, unchanged)


def _touches_folder_tree(change: DriveChange, selection: DriveSelection) -> bool:
    if change.file_id in selection.folder_ids:
        return True  # a selected folder was removed, trashed, renamed or moved
    file = change.file
    return file is not None and file.is_folder and selection.contains(file)
