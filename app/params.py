"""Parsing and checking of request values. Every failure is a 422 whose message names the field
and says what is allowed; nothing a client sends can reach the models unchecked."""

from __future__ import annotations

import math

from fastapi import HTTPException

MAX_ABS_Z = 10.0
MAX_ABS_X = 1000.0
MAX_LIST_CHARS = 4096  # a comma-separated vector longer than this is refused before it is split


def invalid(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"{field}: {message}")


def parse_vector(raw: str, field: str, length: int, max_abs: float) -> list[float]:
    """'0.5,-1.2' → [0.5, -1.2], exactly `length` finite numbers each within ±max_abs."""
    if len(raw) > MAX_LIST_CHARS:
        raise invalid(field, f"too long; expected {length} comma-separated numbers")
    parts = raw.split(",")
    if len(parts) != length:
        raise invalid(field, f"expected {length} comma-separated numbers, got {len(parts)}")
    values = []
    for i, part in enumerate(parts):
        try:
            # float() also reads '１' (fullwidth), '٣' (Arabic-Indic) and '1_0': plain ASCII numbers only.
            if not part.isascii() or "_" in part:
                raise ValueError
            v = float(part)
        except ValueError:
            raise invalid(field, f"value {i} ({part.strip()[:20]!r}) is not a number") from None
        if not math.isfinite(v):
            raise invalid(field, f"value {i} is not finite")
        if abs(v) > max_abs:
            raise invalid(field, f"value {i} ({v:g}) is outside [−{max_abs:g}, {max_abs:g}]")
        values.append(v)
    return values


def parse_index_pair(raw: str, field: str, size: int) -> tuple[int, int]:
    """'0,1' → (0, 1): two different indices in [0, size)."""
    parts = raw.split(",")
    # isascii: str.isdigit() is also true of '²' and '１', which int() then refuses or reads as 1.
    if len(parts) != 2 or not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        raise invalid(field, f"expected two comma-separated indices in 0..{size - 1}")
    i, j = int(parts[0]), int(parts[1])
    if not (0 <= i < size and 0 <= j < size) or i == j:
        raise invalid(field, f"expected two different indices in 0..{size - 1}, got {i},{j}")
    return i, j


def check_finite(value: float, field: str, max_abs: float) -> float:
    if not math.isfinite(value) or abs(value) > max_abs:
        raise invalid(field, f"must be a finite number within ±{max_abs:g}")
    return value
