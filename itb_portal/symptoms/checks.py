"""Start-up checks: broken rules or contacts data stop the site loudly, before anyone uses it."""

from django.core.checks import Error, register

from itb_portal.contacts.directory import ContactsDataError, load_directory

from .engine import TEAM_LINE
from .rules import RulesDataError, load_rules


@register()
def symptom_data_is_valid(app_configs=None, **kwargs) -> list[Error]:
    try:
        rules = load_rules()
        directory = load_directory()
    except (RulesDataError, ContactsDataError) as error:
        return [Error(str(error), id="symptoms.E001")]
    known = {line.id for line in directory.lines}
    missing = sorted((rules.lines_used() | {TEAM_LINE}) - known)
    if missing:
        return [
            Error(
                f"The symptom rules name lines that contacts.yaml does not list: {', '.join(missing)}",
                id="symptoms.E002",
            )
        ]
    return []
