"""The one error the exporter raises for bad input: it names the file and the field, so a user can fix the folder."""


class ExportError(Exception):
    def __init__(self, file: str, field: str | None, message: str):
        self.file = file
        self.field = field
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {message}")
