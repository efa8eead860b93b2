#!/usr/bin/env python3
"""The comparison client for `make bench`: boto3 with a 64-thread pool sending
StartOutboundVoiceContact to the same endpoint as outdial.

boto3_send.py ENDPOINT REGION ACCESS_KEY SECRET_KEY ROWS [THREADS]
Prints one JSON object: {"requests", "seconds", "rps", "errors"}.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

endpoint, region, ak, sk = sys.argv[1:5]
rows = int(sys.argv[5])
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 64

client = boto3.client(
    "connect",
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id=ak,
    aws_secret_access_key=sk,
    config=Config(max_pool_connections=threads, retries={"total_max_attempts": 1}),
)


def call(i):
    try:
        client.start_outbound_voice_contact(
            DestinationPhoneNumber="+1556%07d" % i,
            ContactFlowId="846ec553-a005-41c0-8341-123456789012",
            InstanceId="12345678-1234-1234-1234-123456789012",
            SourcePhoneNumber="+15550100100",
            ClientToken="boto3-bench-%d-%d" % (int(time.time()), i),
        )
        return 0
    except Exception:
        return 1


start = time.monotonic()
with ThreadPoolExecutor(max_workers=threads) as pool:
    errors = sum(pool.map(call, range(rows)))
seconds = time.monotonic() - start
print(json.dumps({"requests": rows, "seconds": round(seconds, 3), "rps": round(rows / seconds, 1), "errors": errors}))
