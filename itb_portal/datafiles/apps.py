from django.apps import AppConfig


class DataFilesConfig(AppConfig):
    name = "itb_portal.datafiles"
    verbose_name = "Data files"

    def ready(self):
        from itb_portal import pagecache

        from . import DATA_FILES
        from .models import DataFile

        # Pages show phone numbers, hours, signs and advice: a new data file is a new release of every page.
        # Every page also shows what an approver records about a data file, so a save moves the version on.
        pagecache.watch(models=[DataFile], data_files=[kind.path for kind in DATA_FILES.values()])
