from swc.core.commands import ImportCommand
from swc.organisations.services import local_authorities_import


class Command(ImportCommand):
    help = "Import English local authorities from the reference CSV (idempotent)."
    noun = "local authorities"
    importer = staticmethod(local_authorities_import)
