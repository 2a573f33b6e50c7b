"""The staff import of the real results of the call for projects (staff mode only).

A file goes through four small steps, one module each:
`read` (bytes → a table: format, encoding, separator, sheet, header row), `columns` (which
header is which field), `validate` (each cell normalised by `normalize`, every problem listed
with file, row, column and what to do) and `apply` (dry run, then an all-or-nothing
replacement of the store, with `archive` keeping the previous stores and `lock` refusing a
second import while one runs). `template` makes the files staff start from.
"""


class Refused(Exception):
    """An import or a rollback refused as a whole: `message` says why and what to do."""

    def __init__(self, message: str):
        message = message if message.endswith((".", "?")) else message + "."
        super().__init__(message)
        self.message = message
