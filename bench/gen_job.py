#!/usr/bin/env python3
"""Writes a large job file for the benchmarks: gen_job.py ROWS OUT.(yaml|json)

Rows are realistic: a destination, a name, two attributes; defaults carry the instance, flow and
source number. Every destination is distinct, so dedupe keeps every row.
"""
import json
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
defaults = {
    "InstanceId": "12345678-1234-1234-1234-123456789012",
    "ContactFlowId": "846ec553-a005-41c0-8341-123456789012",
    "SourcePhoneNumber": "+15550100100",
    "Attributes": {"campaign": "bench"},
}


def dest(i):
    return "+1555%07d" % i


with open(out, "w") as f:
    if out.endswith(".json"):
        f.write('{"version": 1, "id": "bench", "defaults": %s, "contacts": [\n' % json.dumps(defaults))
        for i in range(rows):
            row = {"DestinationPhoneNumber": dest(i), "Name": "Person %d" % i,
                   "Attributes": {"appointment": "2026-11-25T10:00", "seq": str(i)}}
            f.write(("  " if i == 0 else ", ") + json.dumps(row, separators=(",", ":")) + "\n")
        f.write("]}\n")
    else:
        f.write("version: 1\nid: bench\ndefaults:\n")
        f.write("  InstanceId: %s\n  ContactFlowId: %s\n  SourcePhoneNumber: \"%s\"\n" % (
            defaults["InstanceId"], defaults["ContactFlowId"], defaults["SourcePhoneNumber"]))
        f.write("  Attributes:\n    campaign: bench\ncontacts:\n")
        for i in range(rows):
            f.write('  - DestinationPhoneNumber: "%s"\n    Name: Person %d\n'
                    '    Attributes: {appointment: "2026-11-25T10:00", seq: "%d"}\n' % (dest(i), i, i))
