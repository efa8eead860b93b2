#!/usr/bin/env python3
"""Checks the simulator with boto3 (botocore's own signing and error parsing).

Usage: interop.py URL REGION ACCESS_KEY SECRET_KEY [--burst-check]

Prints one JSON object with what boto3 saw. Exit 0 when every check passed, 1 otherwise, 77 when
boto3 is not installed (the caller skips).
"""
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
