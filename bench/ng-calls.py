#!/usr/bin/env python3
"""ng-calls.py -- sets up, holds and deletes N relayed calls on an ng-speaking relay (Callibry or rtpengine).

  ng-calls.py --ng HOST:PORT setup N PORTFILE [--record] [--base 40000] [--tag T]
  ng-calls.py --ng HOST:PORT hold N [--tag T]      # A re-offers a=sendonly: the relay plays music to B
  ng-calls.py --ng HOST:PORT delete N [--tag T]

Call i: side A on 127.0.0.1:BASE+4i (offerer), side B on BASE+4i+2. PORTFILE gets
"a_port b_port relay_for_a relay_for_b" per call, the format of ../shared/bench/rtp-anchor's rtpgen.
"""
import argparse, os, re, socket, sys


def enc(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return str(len(x)).encode() + b":" + x
    if isinstance(x, list):
        return b"l" + b"".join(enc(v) for v in x) + b"e"
    return b"d" + b"".join(enc(k) + enc(x[k]) for k in sorted(x)) + b"e"


def dec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        items, i = [], i + 1
        while b[i:i + 1] != b"e":
            v, i = dec(b, i)
            items.append(v)
        if c == b"l":
            return items, i + 1
        return {items[k].decode(): items[k + 1] for k in range(0, len(items), 2)}, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


class Control:
    def __init__(self, where):
        host, port = where.rsplit(":", 1)
        self.to = (host, int(port))
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(2)
        self.n = 0

    def __call__(self, **d):
        self.n += 1
        cookie = b"%d-%d" % (os.getpid(), self.n)
        for _ in range(3):
            self.s.sendto(cookie + b" " + enc(d), self.to)
            try:
                while True:
                    data = self.s.recv(65536)
                    if data.startswith(cookie + b" "):
                        reply, _ = dec(data, len(cookie) + 1)
                        if reply.get("result") not in (b"ok", b"pong"):
                            raise RuntimeError("%s: %r" % (d.get("command"), reply))
                        return reply
            except socket.timeout:
                continue
        raise RuntimeError("no answer from %s:%d" % self.to)


def sdp(port, direction="sendrecv"):
    return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=%s\r\n" % (port, direction))


def port(reply):
    return int(re.search(rb"m=audio (\d+)", reply[b"sdp"] if b"sdp" in reply else reply["sdp"]).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ng", default="127.0.0.1:2223")
    ap.add_argument("--base", type=int, default=40000)
    ap.add_argument("--tag", default="bench")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("cmd")
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    ng = Control(a.ng)
    n = int(a.args[0])
    extra = {"record call": "yes"} if a.record else {}
    for i in range(n):
        cid, pa, pb = "%s-%d" % (a.tag, i), a.base + 4 * i, a.base + 4 * i + 2
        if a.cmd == "setup":
            off = ng(command="offer", **{"call-id": cid, "from-tag": "a%d" % i, "sdp": sdp(pa)}, **extra)
            ans = ng(command="answer", **{"call-id": cid, "from-tag": "a%d" % i, "to-tag": "b%d" % i, "sdp": sdp(pb)}, **extra)
            if i == 0:
                out = open(a.args[1], "w")
            out.write("%d %d %d %d\n" % (pa, pb, port(ans), port(off)))
        elif a.cmd == "hold":
            ng(command="offer", **{"call-id": cid, "from-tag": "a%d" % i, "sdp": sdp(pa, "sendonly")})
            ng(command="answer", **{"call-id": cid, "from-tag": "a%d" % i, "to-tag": "b%d" % i, "sdp": sdp(pb, "recvonly")})
        elif a.cmd == "delete":
            try:
                ng(command="delete", **{"call-id": cid, "from-tag": "a%d" % i})
            except RuntimeError as e:
                print(e, file=sys.stderr)
        else:
            ap.error("unknown command " + a.cmd)
    if a.cmd == "setup" and n > 0:
        out.close()


if __name__ == "__main__":
    main()
