#!/usr/bin/env python3
"""Checks the simulator with boto3 (botocore's own signing and error parsing).

Usage: interop.py URL REGION ACCESS_KEY SECRET_KEY [--burst-check | --live-calls]

--live-calls starts a contact for queue "sales", then calls DescribeContact, GetCurrentMetricData
and StopContact through boto3 (which parses the answers with Connect's own service model).

Prints one JSON object with what boto3 saw. Exit 0 when every check passed, 1 otherwise, 77 when
boto3 is not installed (the caller skips).
"""
import datetime
import json
import sys
import uuid

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    print(json.dumps({"skipped": "boto3 is not installed"}))
    sys.exit(77)

url, region, access_key, secret_key = sys.argv[1:5]
burst_check = "--burst-check" in sys.argv[5:]
live_calls = "--live-calls" in sys.argv[5:]

BODY = {
    "DestinationPhoneNumber": "+15551230001",
    "ContactFlowId": "846ec553-a005-41c0-8341-123456789012",
    "InstanceId": "12345678-1234-1234-1234-123456789012",
    "SourcePhoneNumber": "+15550100100",
    "Attributes": {"firstName": "Chloé", "note": "naïve café ☎"},
}


def client(key=access_key, secret=secret_key):
    return boto3.client(
        "connect",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def error_code(action):
    """The error code `action` raised, or None when it succeeded."""
    try:
        action()
        return None
    except ClientError as error:
        return error.response["Error"]["Code"]


def when(value):
    """A timestamp boto3 parsed, as epoch seconds; None when absent, "not-a-datetime" otherwise."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        return "not-a-datetime"
    return value.timestamp()


def call(connect, **overrides):
    """The ContactId, or the error code and message."""
    try:
        response = connect.start_outbound_voice_contact(**{**BODY, **overrides})
        return {"contactId": response["ContactId"], "requestId": response["ResponseMetadata"]["RequestId"]}
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }


results = {}
checks = []
good = client()

if burst_check:
    token_base = uuid.uuid4().hex
    outcomes = [call(good, ClientToken=f"{token_base}-{i}") for i in range(40)]
    results["burst"] = {
        "ok": sum(1 for o in outcomes if "contactId" in o),
        "throttled": sum(1 for o in outcomes if o.get("code") == "TooManyRequestsException"),
        "statuses": sorted({o.get("status", 200) for o in outcomes}),
    }
    checks.append(results["burst"]["throttled"] > 0 and results["burst"]["ok"] >= 1)
elif live_calls:
    instance = BODY["InstanceId"]
    contact_id = good.start_outbound_voice_contact(**{**BODY, "QueueId": "sales"})["ContactId"]
    live = good.describe_contact(InstanceId=instance, ContactId=contact_id)["Contact"]
    results["live"] = {
        "id": live.get("Id"),
        "initiationMethod": live.get("InitiationMethod"),
        "channel": live.get("Channel"),
        "initiated": when(live.get("InitiationTimestamp")),
        "connected": when(live.get("ConnectedToSystemTimestamp")),
        "disconnected": when(live.get("DisconnectTimestamp")),
        "queue": live.get("QueueInfo", {}).get("Id"),
        "enqueued": when(live.get("QueueInfo", {}).get("EnqueueTimestamp")),
    }
    metrics = good.get_current_metric_data(
        InstanceId=instance,
        Filters={"Queues": ["sales"], "Channels": ["VOICE"]},
        CurrentMetrics=[{"Name": "AGENTS_AVAILABLE", "Unit": "COUNT"}],
        Groupings=["QUEUE"],
    )
    result = metrics["MetricResults"][0]
    results["metrics"] = {
        "queue": result["Dimensions"]["Queue"]["Id"],
        "name": result["Collections"][0]["Metric"]["Name"],
        "value": result["Collections"][0]["Value"],
        "snapshot": when(metrics.get("DataSnapshotTime")),
    }
    stop = good.stop_contact(ContactId=contact_id, InstanceId=instance)
    results["stop"] = {"status": stop["ResponseMetadata"]["HTTPStatusCode"]}
    ended = good.describe_contact(InstanceId=instance, ContactId=contact_id)["Contact"]
    results["ended"] = {
        "disconnected": when(ended.get("DisconnectTimestamp")),
        "reason": ended.get("DisconnectReason"),
    }
    results["stopAgain"] = error_code(lambda: good.stop_contact(ContactId=contact_id, InstanceId=instance))
    results["unknown"] = error_code(lambda: good.describe_contact(InstanceId=instance, ContactId="no-such-contact"))
    checks.append(results["live"]["id"] == contact_id and isinstance(results["ended"]["disconnected"], float))
    checks.append(results["stopAgain"] == "ContactNotFoundException")
    checks.append(results["unknown"] == "ResourceNotFoundException")
else:
    results["success"] = call(good)
    checks.append("contactId" in results["success"])

    results["wrongSecret"] = call(client(secret="not-the-secret"))
    checks.append(results["wrongSecret"].get("code") == "InvalidSignatureException")

    results["unknownKey"] = call(client(key="AKIDUNKNOWN0000000000"))
    checks.append(results["unknownKey"].get("code") == "UnrecognizedClientException")

    results["badNumber"] = call(good, DestinationPhoneNumber="+0123")
    checks.append(results["badNumber"].get("code") == "InvalidParameterException")

    token = "interop-" + uuid.uuid4().hex
    first = call(good, ClientToken=token)
    second = call(good, ClientToken=token)
    results["repeatedToken"] = {"first": first, "second": second}
    checks.append("contactId" in first and first.get("contactId") == second.get("contactId"))

results["passed"] = all(checks)
print(json.dumps(results))
sys.exit(0 if results["passed"] else 1)
