#!/usr/bin/env python3
"""rtp-sink.py -- receives the RTP a relay or media server sends to N endpoints and reports it.

  rtp-sink.py N SECONDS [--base 40000] [--warmup 1]

Listens on 127.0.0.1:BASE+4i+2 (side B of call i, as ng-calls.py sets them up) and prints one line:
streams, packets per second received, loss % (sequence gaps), RFC 3550 interarrival jitter (ms, mean
and max over streams), and the streams that received nothing. Used for music-on-hold playback.
"""
import argparse, selectors, socket, struct, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--base", type=int, default=40000)
    ap.add_argument("--warmup", type=float, default=1.0)
    a = ap.parse_args()
    sel = selectors.DefaultSelector()
    state = []
    for i in range(a.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind(("127.0.0.1", a.base + 4 * i + 2))
        s.setblocking(False)
        st = {"n": 0, "first": None, "last": None, "j": 0.0, "prev": None}
        state.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    start = time.monotonic()
    counting_from = start + a.warmup
    end = counting_from + a.seconds
    while True:
        now = time.monotonic()
        if now >= end:
            break
        for key, _ in sel.select(timeout=end - now):
            st = key.data
            while True:
                try:
                    data = key.fileobj.recv(2048)
                except BlockingIOError:
                    break
                t = time.monotonic()
                if t < counting_from or len(data) < 12:
                    continue
                seq, ts = struct.unpack("!HI", data[2:8])
                if st["first"] is None:
                    st["first"] = seq
                st["last"] = seq
                st["n"] += 1
                arrival = t * 8000.0
                if st["prev"] is not None:
                    d = abs((arrival - st["prev"][0]) - ((ts - st["prev"][1]) & 0xffffffff))
                    st["j"] += (d - st["j"]) / 16.0
                st["prev"] = (arrival, ts)
    got = sum(s["n"] for s in state)
    expected = sum(((s["last"] - s["first"]) & 0xffff) + 1 for s in state if s["first"] is not None)
    silent = sum(1 for s in state if s["n"] == 0)
    jit = [s["j"] / 8.0 for s in state if s["n"] > 1]
    print("streams=%d recv_pps=%.0f loss_pct=%.3f jitter_ms_avg=%.3f jitter_ms_max=%.3f silent_streams=%d"
          % (a.n, got / a.seconds, 100.0 * max(0, expected - got) / max(1, expected),
             sum(jit) / max(1, len(jit)), max(jit or [0]), silent))


if __name__ == "__main__":
    main()
