import { describe, expect, it } from "vitest";
import { buildDriveSourceBody, driveIdFrom, serviceAccountKeyProblem } from "@/lib/drive";

const base = { connectionId: "c1", mode: "folder" as const, folder: "", files: "", name: "" };

describe("Google Drive source form", () => {
  it("reads ids from Drive and Docs links", () => {
    expect(driveIdFrom("https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp?usp=sharing")).toBe("1AbCdEfGhIjKlMnOp");
    expect(driveIdFrom("https://docs.google.com/document/d/1xYz_0123456789/edit")).toBe("1xYz_0123456789");
    expect(driveIdFrom("https://drive.google.com/open?id=1qwertyuiop123")).toBe("1qwertyuiop123");
    expect(driveIdFrom("  plainid  ")).toBe("plainid");
  });

  it("builds a folder or files body, or says what is missing", () => {
    expect(buildDriveSourceBody({ ...base, folder: "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp" })).toEqual({
      type: "gdrive",
      connection_id: "c1",
      folder_id: "1AbCdEfGhIjKlMnOp",
      name: undefined,
    });
    expect(buildDriveSourceBody({ ...base, mode: "files", files: "a1234567890\nhttps://docs.google.com/document/d/b1234567890/edit, a1234567890", name: " FAQ " })).toEqual({
      type: "gdrive",
      connection_id: "c1",
      file_ids: ["a1234567890", "b1234567890"],
      name: "FAQ",
    });
    expect(buildDriveSourceBody(base)).toMatch(/folder/);
    expect(buildDriveSourceBody({ ...base, mode: "files" })).toMatch(/file/);
    expect(buildDriveSourceBody({ ...base, connectionId: "", folder: "x" })).toMatch(/Connect Google Drive/);
  });

  it("checks a service-account key before sending it", () => {
    expect(serviceAccountKeyProblem('{"type": "service_account"}')).toBeNull();
    expect(serviceAccountKeyProblem("{nope")).toMatch(/not valid JSON/);
    expect(serviceAccountKeyProblem('{"type": "authorized_user"}')).toMatch(/not a service-account key/);
  });
});
