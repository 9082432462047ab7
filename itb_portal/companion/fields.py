"""The details a patient or carer may keep about their own pump, all optional.

One list serves the form on /my-pump/, the wallet card and the handover sheet, so the three
always name the same things. The values never reach the server: static/js/my-pump.mjs keeps
them in the browser's localStorage and fills them into the page there.
"""

from __future__ import annotations

from dataclasses import dataclass

from itb_portal.interface_text import gettext_lazy


@dataclass(frozen=True)
class PumpField:
    key: str
    label: str  # on the form
    short: str  # on the card and the handover sheet
    hint: str = ""
    kind: str = "text"  # "text" or "date"
    autocomplete: str = "off"


PUMP_FIELDS = (
    PumpField("name", gettext_lazy("Your name"), gettext_lazy("Name"), autocomplete="name"),
    PumpField(
        "hospital_number",
        gettext_lazy("Your hospital number"),
        gettext_lazy("Hospital number"),
        hint=gettext_lazy("It is on letters from the hospital."),
    ),
    PumpField(
        "pump",
        gettext_lazy("Pump model and size"),
        gettext_lazy("Pump"),
        hint=gettext_lazy(
            "As written on your pump ID card. The size is how much the pump holds, such as 20 ml or 40 ml."
        ),
    ),
    PumpField(
        "drug",
        gettext_lazy("Drug and concentration"),
        gettext_lazy("Drug"),
        hint=gettext_lazy("As written on your pump ID card or refill letter."),
    ),
    PumpField(
        "dose",
        gettext_lazy("Daily dose"),
        gettext_lazy("Daily dose"),
        hint=gettext_lazy("As the ITB team last set it, with its units."),
    ),
    PumpField("refill_date", gettext_lazy("Refill due date"), gettext_lazy("Refill due"), kind="date"),
    PumpField(
        "alarm_date",
        gettext_lazy("Low-reservoir alarm date"),
        gettext_lazy("Low-reservoir alarm"),
        hint=gettext_lazy(
            "The day the pump's alarm will sound because it is running low. Ask the team if you do not know it."
        ),
        kind="date",
    ),
    PumpField("nurse", gettext_lazy("Your nurse specialist's name"), gettext_lazy("Nurse specialist")),
)
