#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# An HTTP/1.1 proxy on 127.0.0.1 between an S3 client and an S3 server (moto_server) that
# injects the failures object stores really have, so tests can check that no acknowledged
# write is lost and no lost response turns into a false conflict:
#   503     answer 503 SlowDown without forwarding (the write did not happen);
#   slow    sleep slow_ms before forwarding (client timeouts, reordering);
#   drop    forward, let the server apply the request, then close the connection without
#           answering (the write happened; the client cannot know).
#   latency latency_ms before forwarding every request (not a fault: a fixed per-request
#           cost, as S3's first-byte latency; benchmarks set it, bench/remote_bench.py)
# Faults are set at run time by GET /__faults__?<query> (answered by the proxy itself):
#   reset=1             all faults and the latency off, counters kept
#   latency_ms=N        add N ms to every request (independent of methods=)
#   p503= pslow= pdrop= probabilities per request (0..1), slow_ms= the delay
#   fail_next=N         answer the next N requests with 503
#   drop_next=N         drop the responses of the next N requests
#   methods=PUT,DELETE  only these methods are faulted (default: all)
#   seed=N              reseed the random choices
#   log=PATH            append one line per forwarded request to PATH (log= stops): method,
#                       path, Range, status, bytes returned and the server's time in ms (to
#                       tell what a request cost the server from the latency added here)
# The answer is the counters: "requests=.. injected_503=.. slowed=.. dropped=.. refused=..
# get=.. put=.. head=.. delete=.. list=.. post=.. options=.. bytes_out=.." (per kind of
# request forwarded; list = a GET on a bucket, get = a GET of an object, with or without a
# Range; bytes_out = body bytes answered to the client; server_ms = the upstream server's time
# summed over forwarded requests, in whole ms, the added latency excluded).
#
# With --verify KEY:SECRET it is also a strict S3 front end: every request (except CORS
# preflights and the control path) must carry a valid SigV4 signature for that key pair,
# checked by botocore (scripts/s3_sigv4_verify.py), and Range headers with numbers above
# 2^63-1 are answered 416 as SeaweedFS does; refusals are S3 XML errors, counted as refused.
#
# Usage: s3-fault-proxy.py [--host 127.0.0.1] LISTEN_PORT UPSTREAM_PORT
#                          [--verify KEY:SECRET] [--region us-east-1]
import argparse
import http.client
import http.server
import random
import sys
import threading
import time
import urllib.parse

import s3_sigv4_verify  # next to this script

LOCK = threading.Lock()
STATE = {}
COUNTS = {"requests": 0, "injected_503": 0, "slowed": 0, "dropped": 0, "refused": 0,
          "get": 0, "put": 0, "head": 0, "delete": 0, "list": 0, "post": 0, "options": 0,
          "bytes_out": 0, "server_ms": 0}
RNG = random.Random(1)


LOG = {"file": None}


def reset():
    STATE.update(p503=0.0, pslow=0.0, pdrop=0.0, slow_ms=0, fail_next=0, drop_next=0,
                 methods=None, latency_ms=0)


reset()
UPSTREAM_PORT = 0
VERIFY_KEYS = None  # access key id -> secret, with --verify
REGION = "us-east-1"
LOCAL = threading.local()


def upstream():
    conn = getattr(LOCAL, "conn", None)
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM_PORT, timeout=60)
        LOCAL.conn = conn
    return conn


def kind_of(method, path):
    """The counter a forwarded request goes to: list for a GET of a bucket (path-style
    /bucket?...), else the method's name."""
    if method == "GET":
        bare = urllib.parse.urlparse(path).path.strip("/")
        return "list" if "/" not in bare else "get"
    return method.lower()


def decide(method, path):
    """Returns (fail, slow_ms, drop) for one request; slow_ms includes the fixed latency."""
    with LOCK:
        COUNTS["requests"] += 1
        kind = kind_of(method, path)
        if kind in COUNTS:
            COUNTS[kind] += 1
        latency = STATE["latency_ms"]
        if STATE["methods"] is not None and method not in STATE["methods"]:
            return False, latency, False
        fail = False
        if STATE["fail_next"] > 0:
            STATE["fail_next"] -= 1
            fail = True
        elif RNG.random() < STATE["p503"]:
            fail = True
        slow = STATE["slow_ms"] if (not fail and RNG.random() < STATE["pslow"]) else 0
        drop = False
        if not fail:
            if STATE["drop_next"] > 0:
                STATE["drop_next"] -= 1
                drop = True
            elif RNG.random() < STATE["pdrop"]:
                drop = True
        COUNTS["injected_503"] += fail
        COUNTS["slowed"] += bool(slow)
        COUNTS["dropped"] += drop
        return fail, slow + latency, drop


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body of an answer go out in two writes; with Nagle's algorithm on,
    # the body then waits for the client's delayed ACK of the headers (40 ms on Linux), which
    # made every request cost 40 ms more than latency_ms says.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def control(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        with LOCK:
            if "reset" in query:
                reset()
            for name in ("p503", "pslow", "pdrop"):
                if name in query:
                    STATE[name] = float(query[name][0])
            for name in ("slow_ms", "fail_next", "drop_next", "latency_ms"):
                if name in query:
                    STATE[name] = int(query[name][0])
            if "methods" in query:
                STATE["methods"] = set(query["methods"][0].split(","))
            if "seed" in query:
                RNG.seed(int(query["seed"][0]))
            if "log" in query or "log=" in self.path:
                if LOG["file"] is not None:
                    LOG["file"].close()
                path = query.get("log", [""])[0]
                LOG["file"] = open(path, "a", encoding="utf-8") if path else None
            text = " ".join(f"{k}={v}" for k, v in COUNTS.items())
        self.reply(200, text.encode())

    def forward(self):
        if self.path.startswith("/__faults__"):
            return self.control()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if VERIFY_KEYS is not None and self.command != "OPTIONS":
            try:
                s3_sigv4_verify.verify(self.command, self.path, self.headers.items(), body,
                                       VERIFY_KEYS, REGION)
                s3_sigv4_verify.check_range(self.headers.items())
            except s3_sigv4_verify.Refusal as refusal:
                with LOCK:
                    COUNTS["refused"] += 1
                return self.reply(refusal.status, s3_sigv4_verify.error_xml(refusal),
                                  [("Content-Type", "application/xml")])
        fail, slow_ms, drop = decide(self.command, self.path)
        if fail:
            xml = (b"<?xml version=\"1.0\"?><Error><Code>SlowDown</Code>"
                   b"<Message>injected by the fault proxy</Message></Error>")
            return self.reply(503, xml, [("Content-Type", "application/xml")])
        if slow_ms:
            time.sleep(slow_ms / 1000.0)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive", "expect")}
        server_started = time.perf_counter()
        for attempt in range(2):
            conn = upstream()
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                LOCAL.conn = None
                if attempt == 1:
                    return self.reply(502, b"upstream failed")
        server_ms = (time.perf_counter() - server_started) * 1000
        with LOCK:
            COUNTS["bytes_out"] += len(data) if self.command != "HEAD" else 0
            COUNTS["server_ms"] += int(round(server_ms))
            if LOG["file"] is not None:
                LOG["file"].write(f"{time.time():.3f} {self.command} {self.path} "
                                  f"{self.headers.get('Range', '-')} {resp.status} {len(data)} "
                                  f"{server_ms:.1f}\n")
                LOG["file"].flush()
        if drop:
            # The server has applied the request; the client never hears about it.
            self.close_connection = True
            return
        out = [(k, v) for k, v in resp.getheaders()
               if k.lower() not in ("content-length", "transfer-encoding", "connection")]
        self.send_response(resp.status)
        for name, value in out:
            self.send_header(name, value)
        # HEAD keeps the object's length; other answers carry exactly their bytes.
        if self.command == "HEAD":
            self.send_header("Content-Length", resp.getheader("Content-Length", "0"))
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = do_OPTIONS = forward


def main():
    global UPSTREAM_PORT, VERIFY_KEYS, REGION
    parser = argparse.ArgumentParser()
    parser.add_argument("listen_port", type=int)
    parser.add_argument("upstream_port", type=int)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--verify", metavar="KEY:SECRET", help="refuse requests not signed with it")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    UPSTREAM_PORT, REGION = args.upstream_port, args.region
    if args.verify:
        key, _, secret = args.verify.partition(":")
        VERIFY_KEYS = {key: secret}
    # socketserver's default listen backlog is 5: with dozens of clients connecting at once,
    # the kernel dropped SYNs and each retry waited 1 s, then 3 s (TcpExtListenOverflows),
    # which showed up as multi-second p99 latencies that no real S3 endpoint has.
    http.server.ThreadingHTTPServer.request_queue_size = 1024
    server = http.server.ThreadingHTTPServer((args.host, args.listen_port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
