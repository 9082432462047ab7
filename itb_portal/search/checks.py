"""Start-up check: a broken synonyms file stops the site loudly, naming the file and the problem."""

from django.core.checks import Error, register

from .terms import SynonymsDataError, load_synonyms


@register()
def synonyms_are_valid(app_configs=None, **kwargs) -> list[Error]:
    try:
        load_synonyms()
    except SynonymsDataError as error:
        return [Error(str(error), id="search.E001")]
    return []
