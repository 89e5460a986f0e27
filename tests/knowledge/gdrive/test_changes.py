"""Incremental re-sync: the changes API and re-listing, end to end against the fake Drive."""

from __future__ import annotations

import pytest

from parley.knowledge.gdrive import (
    DriveClient,
    DriveError,
    DriveSelection,
    plan_from_changes,
    plan_sync,
)
from tests.fakes.gdrive import DOC, PDF, SHEET, FakeDrive


def seed(drive: FakeDrive) -> dict[str, str]:
    ids = {"root": drive.add_folder("Handbook")}
    ids["sub"] = drive.add_folder("Sub", parent=ids["root"])
    ids["doc"] = drive.add("Doc", DOC, "v1", parent=ids["root"])
    ids["sheet"] = drive.add("Sheet", SHEET, "a,b\n", parent=ids["sub"])
    ids["pdf"] = drive.add("old.pdf", PDF, b"%PDF-1.4", parent=ids["sub"])
    ids["binned"] = drive.add("Binned", DOC, "x", parent=ids["root"])
    ids["outside"] = drive.add("Outside", DOC, "x")
    return ids


async def test_changes_api_finds_modified_new_and_deleted_files(
    drive: FakeDrive, client: DriveClient
) -> None:
    ids = seed(drive)
    token = await client.start_page_token()  # before listing, so no change falls in between
    listing = await client.walk_folder(ids["root"])
    known = {file.id: file.modified_time for file in listing.files}
    selection = DriveSelection(folder_ids=listing.folder_ids)

    drive.modify(ids["doc"], content="v2")
    drive.delete(ids["pdf"])
    drive.modify(ids["binned"], trashed=True)
    drive.modify(ids["outside"], content="ignored")
    new = drive.add("New", DOC, "fresh", parent=ids["sub"])

    changes, next_token = await client.list_changes(token)
    by_id = {change.file_id: change for change in changes}
    assert by_id[ids["pdf"]].removed and by_id[ids["pdf"]].file is None
    assert by_id[ids["binned"]].file.trashed and not by_id[ids["binned"]].removed
    assert by_id[ids["doc"]].file.modified_time > known[ids["doc"]]

    plan = plan_from_changes(known, changes, selection)
    assert sorted(file.id for file in plan.to_ingest) == sorted([ids["doc"], new])
    assert sorted(plan.to_delete) == sorted([ids["pdf"], ids["binned"]])
    assert not plan.needs_full_listing

    assert await client.list_changes(next_token) == ([], next_token)


async def test_changes_are_read_across_pages(drive: FakeDrive, client: DriveClient) -> None:
    folder = drive.add_folder("F")
    token = await client.start_page_token()
    added = {drive.add(f"Doc {n}", DOC, "x", parent=folder) for n in range(7)}
    drive.page_size_cap = 2
    changes, _ = await client.list_changes(token)
    assert {change.file_id for change in changes} == added
    assert sum("/drive/v3/changes?" in path for _, path, _ in drive.requests) == 4


async def test_a_file_changed_twice_is_reported_once_in_its_last_state(
    drive: FakeDrive, client: DriveClient
) -> None:
    doc = drive.add("Doc", DOC, "v1")
    token = await client.start_page_token()
    drive.modify(doc, content="v2")
    drive.modify(doc, name="Doc renamed")
    changes, _ = await client.list_changes(token)
    assert [(change.file_id, change.file.name) for change in changes] == [(doc, "Doc renamed")]


async def test_a_new_subfolder_asks_for_a_full_listing(drive: FakeDrive, client: DriveClient) -> None:
    ids = seed(drive)
    listing = await client.walk_folder(ids["root"])
    token = await client.start_page_token()
    drive.add_folder("New section", parent=ids["root"])
    changes, _ = await client.list_changes(token)
    known = {file.id: file.modified_time for file in listing.files}
    assert plan_from_changes(known, changes, DriveSelection(listing.folder_ids)).needs_full_listing


async def test_an_unknown_page_token_is_reported_as_such(drive: FakeDrive, client: DriveClient) -> None:
    with pytest.raises(DriveError) as caught:
        await client.list_changes("999")
    assert caught.value.code == "invalid_page_token" and not caught.value.retryable


async def test_relisting_finds_modified_and_deleted_files(drive: FakeDrive, client: DriveClient) -> None:
    ids = seed(drive)
    first = await client.list_folder(ids["root"])
    initial = plan_sync({}, first)
    assert len(initial.to_ingest) == 4 and initial.to_delete == [] and initial.unchanged == 0
    known = {file.id: file.modified_time for file in first}

    drive.modify(ids["sheet"], content="a,b\n1,2\n")
    drive.delete(ids["pdf"])
    plan = plan_sync(known, await client.list_folder(ids["root"]))
    assert [file.id for file in plan.to_ingest] == [ids["sheet"]]
    assert plan.to_delete == [ids["pdf"]] and plan.unchanged == 2
