"""The staff import of the real results of the call for projects (staff mode only).

A file goes through four small steps, one module each:
`read` (bytes → a table: format, encoding, separator, sheet, header row), `columns` (which
header is which field), `validate` (each cell normalised by `normalize`, every problem listed
with file, row, column and what to do) and `apply` (dry run, then an all-or-nothing
replacement of the store, with `archive` keeping the previous stores and `lock` refusing a
second import while one runs). `template` makes the files staff start from.
"""


import unicodedata

# Unicode categories of characters a reader cannot see or that act on a terminal: controls
# (ESC…), formats (zero-width, bidirectional overrides, BOM), private use, surrogates, line and
# paragraph separators.
HIDDEN_CATEGORIES = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")


def visible(text: str) -> str:
    """`text` with its hidden characters written out (« ⟨U+001B⟩ »): safe to print or show."""
    return "".join(f"⟨U+{ord(c):04X}⟩" if c not in "\t\n" and unicodedata.category(c)
                   in HIDDEN_CATEGORIES else c for c in text)


class Refused(Exception):
    """An import or a rollback refused as a whole: `message` says why and what to do."""

    def __init__(self, message: str):
        message = visible(message)
        message = message if message.endswith((".", "?")) else message + "."
        super().__init__(message)
        self.message = message


def unexpected(what: str, error: Exception) -> Refused:
    """A failure no check foresaw, said in French instead of a traceback: the store is replaced
    all at once or not at all, so nothing has changed."""
    return Refused(f"{what} : erreur inattendue ({type(error).__name__}). Rien n'a été modifié : "
                   "les données en place sont inchangées. Transmettez ce message et le fichier "
                   "à l'équipe du tableau de bord")
