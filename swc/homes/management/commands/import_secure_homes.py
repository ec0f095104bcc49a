from swc.core.commands import ImportCommand
from swc.homes.services import secure_homes_import


class Command(ImportCommand):
    help = "Import secure children's homes from the reference CSV (idempotent)."
    noun = "secure homes"
    importer = staticmethod(secure_homes_import)
