import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CredentialsForm, validateCredentials } from "@/components/auth/auth-forms";
import { ChangePasswordForm, validatePasswordChange } from "@/components/auth/change-password-form";
import { ApiError } from "@/lib/api/errors";

describe("validateCredentials", () => {
  it("asks for a real email and, on sign-up, a long password", () => {
    expect(validateCredentials({ email: "", password: "" }, "login")).toEqual({ email: "Enter your email address.", password: "Enter your password." });
    expect(validateCredentials({ email: "ada@", password: "short" }, "signup")).toMatchObject({
      email: expect.stringContaining("name@example.com"),
      password: "Use at least 10 characters.",
    });
    expect(validateCredentials({ email: "ada@example.com", password: "short" }, "login")).toEqual({});
  });
});

describe("CredentialsForm", () => {
  it("shows field errors, linked to the inputs, and does not submit", async () => {
    const onSubmit = vi.fn();
    render(<CredentialsForm mode="signup" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter your email address.");
    expect(email).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("submits trimmed values and shows the server's message on failure", async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError("An account with this email already exists.", 409, "conflict"));
    render(<CredentialsForm mode="signup" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText("Your name (optional)"), " Ada ");
    await userEvent.type(screen.getByLabelText("Email"), " ada@example.com ");
    await userEvent.type(screen.getByLabelText("Password"), "correct horse battery");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Ada", email: "ada@example.com", password: "correct horse battery" });
    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this email already exists.");
  });
});

describe("ChangePasswordForm", () => {
  it("validates before sending", () => {
    expect(validatePasswordChange({ current: "", next: "x", confirm: "y" })).toEqual({
      current: "Enter your current password.",
      next: "Use at least 10 characters.",
      confirm: "The two new passwords are not the same.",
    });
    expect(validatePasswordChange({ current: "old password!", next: "old password!", confirm: "old password!" }).next).toMatch(/different/);
  });

  it("sends the API's field names and confirms", async () => {
    const onSubmit = vi.fn().mockResolvedValue({});
    render(<ChangePasswordForm onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText("Current password"), "old passphrase");
    await userEvent.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "a brand new passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(onSubmit).toHaveBeenCalledWith({ current_password: "old passphrase", new_password: "a brand new passphrase" });
    expect(await screen.findByText(/Password changed/)).toBeInTheDocument();
    expect(screen.getByLabelText("Current password")).toHaveValue("");
  });
});
