// The patient's own pump card (/my-pump/ and its two printouts). What someone types is kept only
// in this browser's localStorage and never sent anywhere: there is no form to submit, the
// calendar file is made here, and the printouts are filled in here.
const STORAGE_KEY = "itb-portal.my-pump";
const DATE_FIELDS = ["refill_date", "alarm_date"];
// Dates in the page's language (<html lang>: English until a language's interface is reviewed).
const longDate = new Intl.DateTimeFormat(document.documentElement.lang || "en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

// A calendar date ("2027-01-15") in words, read as that day wherever the device is.
function inWords(isoDate) {
  return longDate.format(new Date(`${isoDate}T00:00:00Z`));
}

function today() {
  const now = new Date();
  const pad = (number) => String(number).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function isDate(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value || "");
}

function stored() {
  try {
    const values = JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
    return values && typeof values === "object" ? values : {};
  } catch {
    return {};
  }
}

function store(values) {
  const kept = Object.fromEntries(Object.entries(values).filter(([, value]) => value));
  try {
    if (Object.keys(kept).length) localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
    else localStorage.removeItem(STORAGE_KEY);
    return true;
  } catch {
    return false; // storage turned off, or full
  }
}

// A message from one of the page's <template data-message> elements, with its slots filled in.
function showMessage(root, region, name, slots = {}) {
  region.replaceChildren();
  const template = root.querySelector(`template[data-message="${name}"]`);
  if (!template) return;
  const message = template.content.cloneNode(true);
  for (const [slot, value] of Object.entries(slots)) {
    for (const element of message.querySelectorAll(`[data-slot="${slot}"]`)) element.textContent = value;
  }
  region.append(message);
}

// --- The printouts: each value, or a line to write on ------------------------------------------

function fillPrintouts(root, values) {
  let filled = false;
  for (const element of root.querySelectorAll("[data-my-pump-value]")) {
    const value = values[element.dataset.myPumpValue];
    const shown = value ? (element.dataset.kind === "date" && isDate(value) ? inWords(value) : value) : "";
    element.textContent = shown;
    filled ||= Boolean(shown);
  }
  for (const element of root.querySelectorAll("[data-my-pump-filled]")) element.hidden = !filled;
  for (const element of root.querySelectorAll("[data-my-pump-blank]")) element.hidden = filled;
}

// --- The form ---------------------------------------------------------------------------------------

// `words`: the trip result's own words (data-refill-date, data-alarm-date, data-on-date), in the page's language.
function tripOutcome(values, start, end, words) {
  if (!isDate(start) || !isDate(end)) return ["trip-needs-dates"];
  if (end < start) return ["trip-wrong-order"];
  const known = DATE_FIELDS
    .filter((key) => isDate(values[key]))
    .sort((a, b) => values[a].localeCompare(values[b]));
  if (!known.length) return ["trip-unknown"];
  const first = known[0];
  const what = { refill_date: words.refillDate, alarm_date: words.alarmDate }[first];
  const slots = { what, date: words.onDate.replace("{date}", inWords(values[first])), end: inWords(end) };
  // On the last day of the trip, or before it: talk to the team before going.
  return [values[first] <= end ? "trip-talk" : "trip-clear", slots];
}

// The calendar code is fetched only when someone asks for a reminder (it is kept for offline use).
async function downloadCalendar(button, refillDate) {
  const { refillCalendar } = await import("./my-pump-calendar.mjs");
  const words = {
    summary: button.dataset.summary,
    description: button.dataset.description,
    alarmEarly: button.dataset.alarmEarly,
    alarmLate: button.dataset.alarmLate,
  };
  const file = refillCalendar({ refillDate, contactsUrl: button.dataset.myPumpCalendar, host: location.host, words });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([file], { type: "text/calendar;charset=utf-8" }));
  link.download = "itb-pump-refill.ics";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function initForm(root, form) {
  const inputs = [...form.querySelectorAll("[data-my-pump-input]")];
  const status = form.querySelector("[data-my-pump-status]");
  const overdue = form.querySelector("[data-my-pump-overdue]");
  const calendarStatus = form.querySelector("[data-my-pump-calendar-status]");
  const tripResult = form.querySelector("[data-my-pump-trip-result]");
  const values = () => Object.fromEntries(inputs.map((input) => [input.dataset.myPumpInput, input.value.trim()]));
  const showOverdue = () => {
    const refill = values().refill_date;
    overdue.hidden = !(isDate(refill) && refill < today());
  };

  const saved = stored();
  for (const input of inputs) input.value = saved[input.dataset.myPumpInput] || "";
  showOverdue();

  form.addEventListener("input", (event) => {
    if (!event.target.matches("[data-my-pump-input]")) return;
    if (!store(values())) status.textContent = status.dataset.cannotSave;
  });
  form.addEventListener("change", (event) => {
    if (!event.target.matches("[data-my-pump-input]")) return;
    if (store(values())) status.textContent = status.dataset.saved;
    showOverdue();
  });

  // Forgetting keeps the details in this page only, so "Undo" can put them back until something new is typed.
  const undo = form.querySelector("[data-my-pump-undo]");
  let forgotten = null;
  form.addEventListener("input", () => {
    forgotten = null;
    undo.hidden = true;
  });
  form.querySelector("[data-my-pump-forget]").addEventListener("click", () => {
    forgotten = values();
    for (const input of [...inputs, ...form.querySelectorAll("[data-my-pump-trip]")]) input.value = "";
    store({});
    showOverdue();
    calendarStatus.replaceChildren();
    tripResult.replaceChildren();
    status.textContent = status.dataset.removed;
    undo.hidden = false;
  });
  undo.addEventListener("click", () => {
    if (!forgotten) return;
    for (const input of inputs) input.value = forgotten[input.dataset.myPumpInput] || "";
    store(values());
    forgotten = null;
    undo.hidden = true;
    showOverdue();
    status.textContent = status.dataset.back;
  });

  form.querySelector("[data-my-pump-calendar]").addEventListener("click", async (event) => {
    const refill = values().refill_date;
    if (!isDate(refill)) {
      showMessage(root, calendarStatus, "calendar-needs-date");
      form.querySelector('[data-my-pump-input="refill_date"]').focus();
      return;
    }
    await downloadCalendar(event.currentTarget, refill);
    showMessage(root, calendarStatus, "calendar-made");
  });

  form.querySelector("[data-my-pump-trip-check]").addEventListener("click", () => {
    const [name, slots] = tripOutcome(
      values(),
      form.querySelector('[data-my-pump-trip="start"]').value,
      form.querySelector('[data-my-pump-trip="end"]').value,
      tripResult.dataset,
    );
    showMessage(root, tripResult, name, slots);
  });

  for (const element of root.querySelectorAll("[data-my-pump-no-js]")) element.hidden = true;
  form.hidden = false;
}

export function initMyPump(root = document) {
  const form = root.querySelector("[data-my-pump-form]");
  if (form) initForm(root, form);
  fillPrintouts(root, stored());
}

initMyPump(document);
