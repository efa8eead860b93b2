#!/usr/bin/env python3
"""A stand-in for Amazon Connect's StartOutboundVoiceContact that judges requests with botocore.

For each PUT /contact/outbound-voice it
  1. validates the JSON body with botocore's ParamValidator against the operation's input shape;
  2. signs the same request again with botocore's SigV4Auth (same credentials and region, the
     received x-amz-date, the headers the request says it signed) and compares the Authorization
     header botocore makes with the one received.
Both pass: 200 {"ContactId": "<uuid>"}. Otherwise: 400 with x-amzn-ErrorType and the details.
With --refuse STATUS:CODE every request that passes is answered with that error instead.

Prints `listening on http://127.0.0.1:PORT` as its first line; appends one JSON line per request
to --log.
"""
import argparse
import datetime
import json
import signal
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.validate import ParamValidator

parser = argparse.ArgumentParser()
parser.add_argument("--access-key", required=True)
parser.add_argument("--secret-key", required=True)
parser.add_argument("--session-token")
parser.add_argument("--region", default="us-east-1")
parser.add_argument("--log", required=True)
parser.add_argument("--refuse", help="STATUS:CODE answered to every request that passes")
options = parser.parse_args()
# A parent may have left signals blocked (threads of a test runner do): take SIGTERM again.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

session = botocore.session.get_session()
operation = session.get_service_model("connect").operation_model("StartOutboundVoiceContact")
credentials = Credentials(options.access_key, options.secret_key, options.session_token)
log_lock = threading.Lock()
signing_lock = threading.Lock()


def botocore_authorization(method, path, headers, body, amz_date):
    """The Authorization header botocore makes for this request at `amz_date`."""
    signed = {}
    authorization = headers.get("authorization", "")
    names = []
    if "SignedHeaders=" in authorization:
        names = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    for name in names:
        # botocore adds these two itself, from the timestamp and the credentials.
        if name not in ("x-amz-date", "x-amz-security-token") and name in headers:
            signed[name] = headers[name]
    request = AWSRequest(method=method, url="http://" + headers.get("host", "") + path, data=body, headers=signed)
    moment = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    with signing_lock:
        original = botocore.auth.get_current_datetime
        botocore.auth.get_current_datetime = lambda *args, **kwargs: moment
        try:
            SigV4Auth(credentials, "connect", options.region).add_auth(request)
        finally:
            botocore.auth.get_current_datetime = original
    return request.headers.get("Authorization"), request.headers.get("X-Amz-Security-Token")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def answer(self, status, document, error_type=None):
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(payload)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        verdict = {"path": self.path}
        problems = []
        if self.path != "/contact/outbound-voice":
            problems.append("unknown path " + self.path)
        try:
            params = json.loads(body)
            verdict["destination"] = params.get("DestinationPhoneNumber")
            verdict["clientToken"] = params.get("ClientToken")
            report = ParamValidator().validate(params, operation.input_shape)
            if report.has_errors():
                problems.append("ParamValidator: " + report.generate_report())
            verdict["params"] = "ok" if not report.has_errors() else "invalid"
        except ValueError as error:
            problems.append("body is not JSON: %s" % error)
        amz_date = headers.get("x-amz-date", "")
        try:
            expected, token = botocore_authorization("PUT", self.path, headers, body, amz_date)
            verdict["signature"] = "ok" if expected == headers.get("authorization") else "mismatch"
            if expected != headers.get("authorization"):
                problems.append("Authorization differs: botocore %r, received %r" % (expected, headers.get("authorization")))
            if token != headers.get("x-amz-security-token"):
                problems.append("x-amz-security-token differs")
        except ValueError as error:
            verdict["signature"] = "unparseable"
            problems.append("cannot sign again: %s" % error)
        verdict["problems"] = problems
        with log_lock:
            with open(options.log, "a") as log:
                log.write(json.dumps(verdict) + "\n")
        if problems:
            error_type = "InvalidSignatureException" if verdict.get("signature") != "ok" else "ValidationException"
            self.answer(400, {"message": "; ".join(problems)}, error_type)
        elif options.refuse:
            status, code = options.refuse.split(":", 1)
            self.answer(int(status), {"message": "refused by --refuse (%s)" % code}, code)
        else:
            self.answer(200, {"ContactId": str(uuid.uuid4())})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
server.serve_forever()
