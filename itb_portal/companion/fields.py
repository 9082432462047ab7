"""The details a patient or carer may keep about their own pump, all optional.

One list serves the form on /my-pump/, the wallet card and the handover sheet, so the three
always name the same things. The values never reach the server: static/js/my-pump.mjs keeps
them in the browser's localStorage and fills them into the page there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PumpField:
    key: str
    label: str  # on the form
    short: str  # on the card and the handover sheet
    hint: str = ""
    kind: str = "text"  # "text" or "date"
    autocomplete: str = "off"


PUMP_FIELDS = (
    PumpField("name", "Your name", "Name", autocomplete="name"),
    PumpField("hospital_number", "Your hospital number", "Hospital number", hint="It is on letters from the hospital."),
    PumpField(
        "pump",
        "Pump model and size",
        "Pump",
        hint="As written on your pump ID card. The size is how much the pump holds, such as 20 ml or 40 ml.",
    ),
    PumpField("drug", "Drug and concentration", "Drug", hint="As written on your pump ID card or refill letter."),
    PumpField("dose", "Daily dose", "Daily dose", hint="As the ITB team last set it, with its units."),
    PumpField("refill_date", "Refill due date", "Refill due", kind="date"),
    PumpField(
        "alarm_date",
        "Low-reservoir alarm date",
        "Low-reservoir alarm",
        hint="The day the pump's alarm will sound because it is running low. Ask the team if you do not know it.",
        kind="date",
    ),
    PumpField("nurse", "Your nurse specialist's name", "Nurse specialist"),
)
