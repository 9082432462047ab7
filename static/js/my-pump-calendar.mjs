// The refill reminder: an iCalendar file (RFC 5545) made in the browser from the refill date, so the
// date never leaves the device. One all-day event on the refill date, with two alarms at 9am:
// 14 days before and 3 days before. Dates are calendar dates ("2027-01-15"), never converted
// between time zones, so the reminder can never move to the day before or after.

const CRLF = "\r\n";
const encoder = new TextEncoder();

// Text values escape backslashes, semicolons, commas and new lines (RFC 5545, 3.3.11).
function text(value) {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

// Lines longer than 75 octets are folded: a line break, then a space (RFC 5545, 3.1).
// A line is never cut inside a character of more than one byte.
function fold(line) {
  const parts = [];
  let current = "";
  let size = 0;
  for (const character of line) {
    const bytes = encoder.encode(character).length;
    const limit = parts.length ? 74 : 75; // continuation lines start with a space
    if (size + bytes > limit) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += character;
    size += bytes;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function basicDate(isoDate) {
  return isoDate.replaceAll("-", "");
}

function nextDay(isoDate) {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

function utcStamp(moment) {
  return moment.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function alarm(trigger, description) {
  return ["BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${text(description)}`, `TRIGGER;RELATED=START:${trigger}`, "END:VALARM"];
}

function randomId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// refillDate: "YYYY-MM-DD"; contactsUrl: where the current phone numbers are (a number written
// into the file could go out of date in someone's calendar, so the file names none).
// The file's words, in the page's language where the page gives them (my-pump.mjs), else in English.
const ENGLISH = {
  summary: "ITB pump refill due",
  description:
    "Your intrathecal baclofen (ITB) pump is due to be refilled today. " +
    "If you do not have a refill appointment, contact the ITB team. " +
    "Their phone numbers are at {address}",
  alarmEarly: "Your ITB pump refill is due in 14 days. Check you have an appointment.",
  alarmLate: "Your ITB pump refill is due in 3 days.",
};

export function refillCalendar({ refillDate, contactsUrl, host, now = new Date(), uid = randomId(), words = {} }) {
  const say = { ...ENGLISH, ...Object.fromEntries(Object.entries(words).filter(([, value]) => value)) };
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//ITB portal//Pump refill reminder//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${uid}@${host}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;VALUE=DATE:${basicDate(refillDate)}`,
    `DTEND;VALUE=DATE:${basicDate(nextDay(refillDate))}`,
    `SUMMARY:${text(say.summary)}`,
    `DESCRIPTION:${text(say.description.replace("{address}", contactsUrl))}`,
    `URL:${contactsUrl}`,
    "TRANSP:TRANSPARENT",
    // 9am, 14 days and 3 days before the day starts.
    ...alarm("-P13DT15H", say.alarmEarly),
    ...alarm("-P2DT15H", say.alarmLate),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join(CRLF) + CRLF;
}
