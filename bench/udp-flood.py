#!/usr/bin/env python3
"""bench/udp-flood.py -- a small raw UDP sender for the overload benchmark (SIPp shares the cores).

Sends REGISTER requests without credentials (each with its own Call-ID and branch) to HOST:PORT at RATE
per second for SECONDS from one socket, counts the answers by status code, and prints one line:
  flood sent=N answered=N by_code={...} rate=R/s
Usage: udp-flood.py HOST PORT RATE SECONDS [DOMAIN]
"""
import socket, sys, time, threading, collections

host, port, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
domain = sys.argv[5] if len(sys.argv) > 5 else "bench.local"
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
sock.bind(("127.0.0.1", 0))
sock.settimeout(0.5)
lport = sock.getsockname()[1]
codes = collections.Counter()
stop = False

def receive():
    while not stop:
        try:
            data = sock.recv(65535)
        except socket.timeout:
            continue
        codes[data[8:11].decode(errors="replace")] += 1

def message(i):
    user = "user%d" % (i % 1000)
    return ("REGISTER sip:%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKflood%d;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:%s@%s>;tag=f%d\r\n"
            "To: <sip:%s@%s>\r\n"
            "Call-ID: flood-%d@127.0.0.1\r\n"
            "CSeq: 1 REGISTER\r\n"
            "Contact: <sip:%s@127.0.0.1:%d>\r\n"
            "Expires: 3600\r\n"
            "Content-Length: 0\r\n\r\n"
            % (domain, lport, i, user, domain, i, user, domain, i, user, lport)).encode()

receiver = threading.Thread(target=receive, daemon=True)
receiver.start()
start = time.monotonic()
sent = 0
while True:
    now = time.monotonic() - start
    if now >= seconds:
        break
    due = int(now * rate)
    while sent < due:
        sock.sendto(message(sent), (host, port))
        sent += 1
    time.sleep(0.001)
elapsed = time.monotonic() - start
time.sleep(2)  # late answers
stop = True
receiver.join()
print("flood sent=%d answered=%d by_code=%s rate=%d/s" % (sent, sum(codes.values()), dict(codes), sent / elapsed))
