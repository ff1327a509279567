"""Case references that can be read over the phone but give nothing away.

A reference is `C-2026-7KX-M2Q`: the kind of record, the London year of receipt and six
characters. The six characters are the organisation's own count of cases that year passed
through a keyed permutation, so each number gives one code and no two numbers the same code,
yet neither the order in which cases arrived, how many there are, nor a gap where someone
else's case sits can be read from them (docs/security.md, "Case references").

The characters come from Crockford's base 32: digits and capital letters without I, L, O and U,
so nothing is mistaken for something else when read aloud or typed.
"""

from __future__ import annotations

import hashlib
import hmac
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
_HALF_BITS = CODE_LENGTH * 5 // 2  # 30 bits in all, split into two halves of 15
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 8
# How many cases one organisation can number in a year: every six-character code.
CAPACITY = len(ALPHABET) ** CODE_LENGTH
# What a colleague might type for a character they heard (Crockford's reading of them).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
REFERENCE_PATTERN = re.compile(r"[A-Z]-\d{4}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}")


def _round(key: bytes, number: int, half: int) -> int:
    digest = hmac.new(key, bytes([number]) + half.to_bytes(2, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:2], "big") & _HALF_MASK


def permute(key: bytes, number: int) -> int:
    """The number's place in a keyed shuffle of 0 … CAPACITY − 1 (a balanced Feistel network
    whose round function is HMAC-SHA256): a one-to-one mapping that only the key undoes."""
    if not key:
        raise ValueError("A reference key is needed.")
    if not 0 <= number < CAPACITY:
        raise ValueError(f"Case number {number} is outside 0 to {CAPACITY - 1}.")
    left, right = number >> _HALF_BITS, number & _HALF_MASK
    for i in range(_ROUNDS):
        left, right = right, left ^ _round(key, i, right)
    return (left << _HALF_BITS) | right


def code_for(key: bytes, number: int) -> str:
    """The six characters for an organisation's nth case of a year, e.g. `7KXM2Q`."""
    value = permute(key, number)
    chars = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def case_reference(prefix: str, year: int, key: bytes, number: int) -> str:
    """The reference for an organisation's nth case of a year: `C-2026-7KX-M2Q`."""
    code = code_for(key, number)
    return f"{prefix}-{year}-{code[:3]}-{code[3:]}"


def normalise_reference(text: str) -> str:
    """A reference as typed or heard (`c-2026-7kx-m2q `, `O` for zero) in its stored form."""
    return text.strip().upper().translate(_READ_AS)
