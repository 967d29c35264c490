"""Coupon codes: random, unique within a list, and easy to read out or type.

Codes come from :mod:`secrets` (the operating system's cryptographic generator), so one code says
nothing about the next. The alphabet leaves out 0/O, 1/I/L so that no two characters look alike;
12 characters of 31 give 59 bits, so guessing a valid code out of a million issued takes about
10^11 tries. Bytes are drawn with rejection sampling (only values below 248 = 8 x 31), so every
character is equally likely.
"""

from __future__ import annotations

import secrets

import numpy as np

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_LIMIT = 256 - 256 % len(ALPHABET)


def generate_codes(count: int, length: int = CODE_LENGTH, prefix: str = "") -> list[str]:
    """``count`` distinct codes of ``length`` random characters after ``prefix``."""
    letters = np.frombuffer(ALPHABET.encode(), dtype="S1")
    codes: list[str] = []
    seen: set[str] = set()
    while len(codes) < count:
        need = count - len(codes)
        raw = np.frombuffer(secrets.token_bytes(int(need * length * 1.1) + 16), dtype=np.uint8)
        usable = raw[raw < _LIMIT] % len(ALPHABET)
        rows = len(usable) // length
        chars = letters[usable[: rows * length]].reshape(rows, length)
        for row in chars.view(f"S{length}").ravel().tolist():
            code = prefix + row.decode()
            if code not in seen:
                seen.add(code)
                codes.append(code)
                if len(codes) == count:
                    break
    return codes
