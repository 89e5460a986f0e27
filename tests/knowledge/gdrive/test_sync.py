"""Sync planning: pure functions, no server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parley.knowledge.gdrive import DriveChange, DriveFile, DriveSelection, plan_from_changes, plan_sync
from parley.knowledge.gdrive.files import DOC_MIME, FOLDER_MIME, PDF_MIME

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LATER = T0 + timedelta(minutes=5)
SELECTION = DriveSelection(folder_ids=frozenset({"root", "sub"}), file_ids=frozenset({"picked"}))


def file(
    file_id: str,
    modified: datetime = T0,
    *,
    parent: str = "root",
    mime: str = DOC_MIME,
    trashed: bool = False,
) -> DriveFile:
    return DriveFile(file_id, f"name {file_id}", mime, modified, parents=(parent,), trashed=trashed)


def changed(f: DriveFile) -> DriveChange:
    return DriveChange(f.id, removed=False, file=f)


def removed(file_id: str) -> DriveChange:
    return DriveChange(file_id, removed=True, file=None)


def test_plan_sync_first_time_ingests_everything() -> None:
    plan = plan_sync({}, [file("a"), file("b")])
    assert [f.id for f in plan.to_ingest] == ["a", "b"] and plan.to_delete == [] and plan.unchanged == 0


def test_plan_sync_new_modified_unchanged_and_deleted() -> None:
    known = {"same": T0, "edited": T0, "gone": T0}
    plan = plan_sync(known, [file("same"), file("edited", LATER), file("new")])
    assert [f.id for f in plan.to_ingest] == ["edited", "new"]
    assert plan.to_delete == ["gone"] and plan.unchanged == 1 and not plan.needs_full_listing


def test_plan_sync_an_older_modified_time_is_a_change_too() -> None:
    # A restored revision can move modifiedTime back; anything different means re-read.
    assert [f.id for f in plan_sync({"a": LATER}, [file("a", T0)]).to_ingest] == ["a"]


def test_plan_sync_ignores_duplicates_trash_and_folders() -> None:
    known = {"a": T0, "binned": T0}
    plan = plan_sync(
        known, [file("a"), file("a"), file("binned", trashed=True), file("dir", mime=FOLDER_MIME)]
    )
    assert plan.to_ingest == [] and plan.to_delete == ["binned"] and plan.unchanged == 1


def test_plan_sync_empty_listing_deletes_all_known() -> None:
    assert plan_sync({"a": T0, "b": T0}, []).to_delete == ["a", "b"]


def test_changes_modified_new_removed_and_trashed() -> None:
    known = {"edited": T0, "deleted": T0, "binned": T0}
    changes = [
        changed(file("edited", LATER)),
        changed(file("new", parent="sub")),
        removed("deleted"),
        changed(file("binned", LATER, trashed=True)),
    ]
    plan = plan_from_changes(known, changes, SELECTION)
    assert [f.id for f in plan.to_ingest] == ["edited", "new"]
    assert plan.to_delete == ["deleted", "binned"] and plan.unchanged == 0


def test_changes_outside_the_selection_are_ignored() -> None:
    changes = [
        changed(file("elsewhere", parent="other")),
        removed("never-seen"),
        changed(file("trashed-elsewhere", parent="other", trashed=True)),
    ]
    assert plan_from_changes({}, changes, SELECTION) == plan_from_changes({}, [], SELECTION)


def test_changes_moving_a_file_out_deletes_it_and_moving_in_ingests_it() -> None:
    changes = [changed(file("moved-out", LATER, parent="other")), changed(file("moved-in", parent="sub"))]
    plan = plan_from_changes({"moved-out": T0}, changes, SELECTION)
    assert plan.to_delete == ["moved-out"] and [f.id for f in plan.to_ingest] == ["moved-in"]


def test_changes_to_an_individually_picked_file() -> None:
    plan = plan_from_changes({"picked": T0}, [changed(file("picked", LATER, parent="anywhere"))], SELECTION)
    assert [f.id for f in plan.to_ingest] == ["picked"]


def test_changes_without_a_new_modified_time_leave_the_file_alone() -> None:
    plan = plan_from_changes({"a": T0}, [changed(file("a", T0))], SELECTION)  # e.g. shared with someone
    assert plan.to_ingest == [] and plan.unchanged == 1


def test_the_last_change_to_a_file_wins() -> None:
    plan = plan_from_changes({"a": T0}, [removed("a"), changed(file("a", LATER))], SELECTION)
    assert [f.id for f in plan.to_ingest] == ["a"] and plan.to_delete == []
    plan = plan_from_changes({"a": T0}, [changed(file("a", LATER)), removed("a")], SELECTION)
    assert plan.to_ingest == [] and plan.to_delete == ["a"]


def test_a_file_that_became_unreadable_is_deleted() -> None:
    plan = plan_from_changes({"a": T0}, [changed(file("a", LATER, mime="image/png"))], SELECTION)
    assert plan.to_delete == ["a"]
    assert plan_from_changes({}, [changed(file("b", mime=PDF_MIME))], SELECTION).to_ingest[0].id == "b"


def test_folder_changes_in_the_tree_ask_for_a_full_listing() -> None:
    cases = [
        changed(file("newdir", parent="root", mime=FOLDER_MIME)),  # created or moved in
        changed(file("sub", LATER, parent="elsewhere", mime=FOLDER_MIME)),  # moved out
        removed("sub"),  # deleted for good
        changed(file("sub", LATER, parent="root", mime=FOLDER_MIME, trashed=True)),
    ]
    for change in cases:
        plan = plan_from_changes({"a": T0}, [changed(file("a", LATER)), change], SELECTION)
        assert plan.needs_full_listing and plan.to_ingest == [] and plan.to_delete == [], change
    outside = changed(file("otherdir", parent="other", mime=FOLDER_MIME))
    assert not plan_from_changes({}, [outside], SELECTION).needs_full_listing
