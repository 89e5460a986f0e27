"""Password policy: long enough, not trivially guessable. (NIST 800-63B: length over composition rules.)"""

from __future__ import annotations

from parley.kit.errors import Unprocessable

MIN_LENGTH = 10
_COMMON = {
    "password", "password1", "password12", "password123", "passw0rd", "1234567890", "12345678910",
    "qwertyuiop", "iloveyou12", "letmein123", "welcome123", "administrator", "abcdefghij", "0123456789",
    "qwerty1234", "1q2w3e4r5t", "changeme123", "trustno1234",
}


def check_password_strength(password: str, *, email: str | None = None) -> None:
    if len(password) < MIN_LENGTH:
        raise Unprocessable(f"The password must be at least {MIN_LENGTH} characters long.",
                            code="weak_password")
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        raise Unprocessable("This password is too easy to guess. Choose a longer or less common one.",
                            code="weak_password")
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) >= 4:
        raise Unprocessable("The password must not contain your email address.", code="weak_password")
