import type { AddSourceBody } from "./api/hooks/knowledge";

/** A Drive id from an id or a Drive/Docs link (…/folders/<id>, …/d/<id>/…, ?id=<id>). */
export function driveIdFrom(input: string): string {
  const text = input.trim();
  const match = text.match(/\/folders\/([\w-]{10,})/) ?? text.match(/\/d\/([\w-]{10,})/) ?? text.match(/[?&]id=([\w-]{10,})/);
  return match ? match[1] : text;
}

/** Validates the Drive source form and builds the API body, or returns an error message. */
export function buildDriveSourceBody(v: { connectionId: string; mode: "folder" | "files"; folder: string; files: string; name: string }): AddSourceBody | string {
  if (!v.connectionId) return "Connect Google Drive first, then pick the connection to read with.";
  const name = v.name.trim() || undefined;
  if (v.mode === "folder") {
    const folderId = driveIdFrom(v.folder);
    if (!folderId) return "Paste the folder's link or id.";
    return { type: "gdrive", connection_id: v.connectionId, folder_id: folderId, name };
  }
  const fileIds = Array.from(new Set(v.files.split(/[\s,]+/).map(driveIdFrom).filter(Boolean)));
  if (!fileIds.length) return "Paste at least one file link or id.";
  if (fileIds.length > 500) return "Pick at most 500 files; for more, add their folder.";
  return { type: "gdrive", connection_id: v.connectionId, file_ids: fileIds, name };
}

/** Checks a pasted or uploaded service-account key before sending it; returns an error message or null. */
export function serviceAccountKeyProblem(text: string): string | null {
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    return "This is not valid JSON. Upload the .json key file downloaded from Google Cloud.";
  }
  if (!key || typeof key !== "object" || (key as { type?: unknown }).type !== "service_account") {
    return 'This JSON is not a service-account key (its "type" should be "service_account").';
  }
  return null;
}
