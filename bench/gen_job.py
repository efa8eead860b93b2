#!/usr/bin/env python3
"""Writes a large job file for the benchmarks: gen_job.py ROWS OUT.(yaml|json) [--window off|on] [--contacts csv]

Rows are realistic: a destination, a name, two attributes; defaults carry the instance, flow and
source number. Every destination is distinct, so dedupe keeps every row, and lies in a real area
code, so the calling window finds its time zone: US numbers over several zones (Eastern to
Hawaii), one row in a hundred in London and one in Sydney.

--window off writes `window: off` in the header, so every row is sent whatever the time of day
(the send benchmarks); --window on (the default) writes no window key: the job calls 08:00-21:00
in each number's own time zone, as a real job does.

--contacts csv writes the same rows to a CSV file beside OUT (OUT with the extension .csv; columns
DestinationPhoneNumber, Name, Attributes.appointment, Attributes.seq) and a YAML job at OUT whose
contacts name it: the same requests as the YAML job of the same ROWS.
"""
import json
import sys

# Real area codes in several zones, from libphonenumber's map (America/New_York to Pacific/Honolulu).
AREA_CODES = [
    202, 212, 305, 404, 617, 215,  # Eastern
    312, 214, 512, 713, 612,  # Central
    303, 801, 602,  # Mountain (602: Arizona, no daylight saving)
    206, 213, 415, 702, 503,  # Pacific
    808,  # Hawaii
]


def destination(i):
    """The destination of row `i`, distinct for every `i`."""
    if i % 100 == 37:
        # London: Ofcom's drama range 020 7946 0xxx, then the rest of 020 7946 (still London).
        return "+4420%08d" % (79460000 + i // 100)
    if i % 100 == 73:
        # Sydney: ACMA's 02 5550 xxxx, then 02 9xxx xxxx (02 555x holds Lord Howe Island numbers).
        j = i // 100
        return "+612%08d" % (55500000 + j if j < 10000 else 90000000 + j)
    # 555-0100 to 555-0199 in each area code (reserved for fiction), then 556-0000 onwards.
    code, k = AREA_CODES[i % len(AREA_CODES)], i // len(AREA_CODES)
    exchange, line = (555, 100 + k) if k < 100 else (556 + (k - 100) // 10000, (k - 100) % 10000)
    return "+1%03d%03d%04d" % (code, exchange, line)


def write_yaml_header(f, window, defaults):
    """The job's keys before `contacts`, in YAML."""
    f.write("version: 1\nid: bench\n")
    if window == "off":
        f.write("window: off\n")
    f.write("defaults:\n")
    f.write("  InstanceId: %s\n  ContactFlowId: %s\n  SourcePhoneNumber: \"%s\"\n" % (
        defaults["InstanceId"], defaults["ContactFlowId"], defaults["SourcePhoneNumber"]))
    f.write("  Attributes:\n    campaign: bench\n")


def main(arguments):
    usage = "usage: gen_job.py ROWS OUT.(yaml|json) [--window off|on] [--contacts csv]"
    window = "on"
    contacts = "list"
    options = arguments[2:]
    if len(arguments) < 2 or len(options) % 2:
        sys.exit(usage)
    for name, value in zip(options[::2], options[1::2]):
        if name == "--window" and value in ("off", "on"):
            window = value
        elif name == "--contacts" and value in ("csv", "list"):
            contacts = value
        else:
            sys.exit(usage)
    rows = int(arguments[0])
    out = arguments[1]
    defaults = {
        "InstanceId": "12345678-1234-1234-1234-123456789012",
        "ContactFlowId": "846ec553-a005-41c0-8341-123456789012",
        "SourcePhoneNumber": "+15550100100",
        "Attributes": {"campaign": "bench"},
    }
    if contacts == "csv":
        csv_path = out.rsplit(".", 1)[0] + ".csv"
        with open(csv_path, "w", newline="") as f:
            f.write("DestinationPhoneNumber,Name,Attributes.appointment,Attributes.seq\r\n")
            for i in range(rows):
                f.write("%s,Person %d,2026-11-25T10:00,%d\r\n" % (destination(i), i, i))
        with open(out, "w") as f:
            write_yaml_header(f, window, defaults)
            f.write("contacts:\n  csv: %s\n" % csv_path.rsplit("/", 1)[-1])
        return
    with open(out, "w") as f:
        if out.endswith(".json"):
            header = ', "window": "off"' if window == "off" else ""
            f.write('{"version": 1, "id": "bench"%s, "defaults": %s, "contacts": [\n' % (header, json.dumps(defaults)))
            for i in range(rows):
                row = {"DestinationPhoneNumber": destination(i), "Name": "Person %d" % i,
                       "Attributes": {"appointment": "2026-11-25T10:00", "seq": str(i)}}
                f.write(("  " if i == 0 else ", ") + json.dumps(row, separators=(",", ":")) + "\n")
            f.write("]}\n")
        else:
            write_yaml_header(f, window, defaults)
            f.write("contacts:\n")
            for i in range(rows):
                f.write('  - DestinationPhoneNumber: "%s"\n    Name: Person %d\n'
                        '    Attributes: {appointment: "2026-11-25T10:00", seq: "%d"}\n' % (destination(i), i, i))


if __name__ == "__main__":
    main(sys.argv[1:])
