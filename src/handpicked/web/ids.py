"""The ``{name:id}`` path convertor for database ids in page and API routes.

It matches 1 to 18 digits only, so an id no database column can hold (past 64 bits) is a page
that does not exist (404), not an overflow deep in the store (500). Import this module before
declaring routes that use it.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
