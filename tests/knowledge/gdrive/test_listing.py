"""Listing folders and reading metadata through googleapiclient against the fake Drive."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from google.oauth2.credentials import Credentials

from parley.knowledge.gdrive import DriveClient, DriveError, DriveTooManyFiles
from tests.fakes.gdrive import DOC, FOLDER, PDF, SHEET, SLIDES, FakeDrive


def build_tree(drive: FakeDrive) -> dict[str, str]:
    ids = {"root": drive.add_folder("Handbook")}
    ids["policies"] = drive.add_folder("Policies", parent=ids["root"])
    ids["archive"] = drive.add_folder("Archive", parent=ids["policies"])
    ids["empty"] = drive.add_folder("Empty", parent=ids["root"])
    for n in range(5):
        ids[f"doc{n}"] = drive.add(f"Doc {n}", DOC, f"doc {n}", parent=ids["root"])
    ids["sheet"] = drive.add("Rota", SHEET, "a,b\n", parent=ids["policies"])
    ids["slides"] = drive.add("Deck", SLIDES, "slide", parent=ids["archive"])
    ids["pdf"] = drive.add("old.pdf", PDF, b"%PDF-1.4", parent=ids["archive"])
    ids["photo"] = drive.add("photo.jpg", "image/jpeg", b"\xff\xd8", parent=ids["root"])
    ids["form"] = drive.add("Survey", "application/vnd.google-apps.form", parent=ids["policies"])
    ids["binned"] = drive.add("Binned", DOC, "gone", parent=ids["root"])
    drive.modify(ids["binned"], trashed=True)
    drive.add("Elsewhere", DOC, "not in the folder")
    return ids


async def test_recursive_listing_follows_pages_and_subfolders(drive: FakeDrive, client: DriveClient) -> None:
    ids = build_tree(drive)
    drive.page_size_cap = 2  # Drive may send fewer items per page than asked: follow nextPageToken
    listing = await client.walk_folder(ids["root"])

    names = sorted(file.name for file in listing.files)
    assert names == ["Deck", "Doc 0", "Doc 1", "Doc 2", "Doc 3", "Doc 4", "Rota", "old.pdf"]
    assert sorted(file.name for file in listing.skipped) == ["Survey", "photo.jpg"]
    assert listing.folder_ids == {ids["root"], ids["policies"], ids["archive"], ids["empty"]}
    page_requests = [path for _, path, _ in drive.requests if path.startswith("/drive/v3/files?")]
    assert len(page_requests) > 4 and any("pageToken=" in path for path in page_requests)
    assert all(
        "supportsAllDrives=true" in path and "includeItemsFromAllDrives=true" in path
        for path in page_requests
    )


async def test_non_recursive_listing_stays_in_the_folder(drive: FakeDrive, client: DriveClient) -> None:
    ids = build_tree(drive)
    files = await client.list_folder(ids["root"], recursive=False)
    assert sorted(file.name for file in files) == [f"Doc {n}" for n in range(5)]


async def test_a_file_in_two_folders_is_listed_once(drive: FakeDrive, client: DriveClient) -> None:
    root = drive.add_folder("Root")
    sub = drive.add_folder("Sub", parent=root)
    shared = drive.add("Shared", DOC, "x", parent=root)
    drive.files[shared].parents.append(sub)
    assert [file.id for file in await client.list_folder(root)] == [shared]


async def test_listing_stops_at_max_files(drive: FakeDrive, client: DriveClient) -> None:
    ids = build_tree(drive)
    with pytest.raises(DriveTooManyFiles, match="more than 3 files"):
        await client.list_folder(ids["root"], max_files=3)


async def test_listing_a_file_or_a_missing_folder(drive: FakeDrive, client: DriveClient) -> None:
    doc = drive.add("Notes", DOC, "x")
    with pytest.raises(DriveError) as not_folder:
        await client.list_folder(doc)
    assert not_folder.value.code == "not_a_folder" and '"Notes" is a file' in not_folder.value.message
    with pytest.raises(DriveError, match="not found or is not shared with this account"):
        await client.list_folder("no-such-folder")


async def test_get_file_reads_all_metadata(drive: FakeDrive, client: DriveClient) -> None:
    folder = drive.add_folder("F")
    pdf = drive.add("manual.pdf", PDF, b"%PDF-1.7 body", parent=folder)
    file = await client.get_file(pdf)
    assert file.name == "manual.pdf" and file.mime_type == PDF and file.parents == (folder,)
    assert file.size == 13 and file.md5 == hashlib.md5(b"%PDF-1.7 body").hexdigest()
    assert file.web_view_link == f"https://drive.google.com/file/d/{pdf}/view?usp=drivesdk"
    assert file.modified_time.tzinfo is not None and file.modified_time > datetime(2025, 1, 1, tzinfo=UTC)
    assert not file.trashed and not file.is_folder
    assert (await client.get_file(folder)).mime_type == FOLDER
    doc = await client.get_file(drive.add("Doc", DOC, "x"))
    assert doc.size is None and doc.md5 is None


async def test_a_folder_loop_is_walked_once(drive: FakeDrive, client: DriveClient) -> None:
    top = drive.add_folder("Top")
    inner = drive.add_folder("Inner", parent=top)
    drive.files[top].parents.append(inner)  # Drive allows several parents, hence loops
    doc = drive.add("Doc", DOC, "x", parent=inner)
    listing = await client.walk_folder(top)
    assert [file.id for file in listing.files] == [doc] and listing.folder_ids == {top, inner}


@pytest.mark.parametrize("suffix", ["", "/", "/drive/v3", "/drive/v3/"])
async def test_api_endpoint_may_be_a_root_or_the_full_base(
    drive: FakeDrive, user_credentials: Credentials, drive_url: str, suffix: str
) -> None:
    client = DriveClient(user_credentials, api_endpoint=drive_url + suffix)
    assert (await client.get_file(drive.add("Doc", DOC, "x"))).name == "Doc"
