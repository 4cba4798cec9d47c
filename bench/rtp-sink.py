#!/usr/bin/env python3
"""rtp-sink.py -- receives the RTP a relay or media server sends to N endpoints and reports it.

  rtp-sink.py N SECONDS [--base 40000] [--warmup 1] [--dtmf-every S --dtmf-digit 1 --dtmf-pt 101]

Listens on 127.0.0.1:BASE+4i+2 (side B of call i, as ng-calls.py sets them up) and prints one line:
streams, packets per second received, loss % (sequence gaps), RFC 3550 interarrival jitter (ms, mean
and max over streams), and the streams that received nothing. Used for music-on-hold playback.
With --dtmf-every, each stream also answers its sender with an RFC 4733 digit every S seconds (from
the stream's first packet on, calls spread over S): a 100 ms event, then its end three times; the
line then tells how many digits were sent.
"""
import argparse, selectors, socket, struct, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--base", type=int, default=40000)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--dtmf-every", type=float, default=0.0)
    ap.add_argument("--dtmf-digit", type=int, default=1)
    ap.add_argument("--dtmf-pt", type=int, default=101)
    ap.add_argument("--tail", type=int, default=200, help="also count the digits sent to the last TAIL streams")
    a = ap.parse_args()
    digits_sent = 0
    sel = selectors.DefaultSelector()
    state = []
    for i in range(a.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind(("127.0.0.1", a.base + 4 * i + 2))
        s.setblocking(False)
        st = {"n": 0, "first": None, "last": None, "j": 0.0, "prev": None, "peer": None, "next_dtmf": None,
              "sock": s, "seq": i * 1000, "ts": 0, "ssrc": 0x5EED0000 + i, "offset": a.dtmf_every * i / max(1, a.n)}
        state.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    start = time.monotonic()
    counting_from = start + a.warmup
    end = counting_from + a.seconds
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if a.dtmf_every > 0:
            for st in state:
                if st["peer"] is not None and st["next_dtmf"] is not None and now >= st["next_dtmf"]:
                    send_digit(st, a.dtmf_digit, a.dtmf_pt)
                    digits_sent += 1
                    st["digits"] = st.get("digits", 0) + 1
                    st["next_dtmf"] = now + a.dtmf_every
        for key, _ in sel.select(timeout=min(0.02, end - now)):
            st = key.data
            while True:
                try:
                    data, peer = key.fileobj.recvfrom(2048)
                except BlockingIOError:
                    break
                t = time.monotonic()
                if st["peer"] is None:
                    st["peer"] = peer
                    st["next_dtmf"] = t + 1.0 + st["offset"]
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
    print("streams=%d recv_pps=%.0f loss_pct=%.3f jitter_ms_avg=%.3f jitter_ms_max=%.3f silent_streams=%d%s"
          % (a.n, got / a.seconds, 100.0 * max(0, expected - got) / max(1, expected),
             sum(jit) / max(1, len(jit)), max(jit or [0]), silent,
             " digits_sent=%d digits_sent_tail=%d" % (digits_sent, sum(s.get("digits", 0) for s in state[-a.tail:]))
             if a.dtmf_every > 0 else ""))


def send_digit(st, digit, pt):
    """An RFC 4733 event: 100 ms (800 samples) with the marker on its first packet, then its end three times."""
    st["ts"] = (st["ts"] + 8000) & 0xffffffff
    for i, (duration, end) in enumerate([(160, False), (480, False), (800, True), (800, True), (800, True)]):
        st["seq"] = (st["seq"] + 1) & 0xffff
        header = struct.pack("!BBHII", 0x80, (0x80 if i == 0 else 0) | pt, st["seq"], st["ts"], st["ssrc"])
        payload = struct.pack("!BBH", digit, (0x80 if end else 0) | 10, duration)
        try:
            st["sock"].sendto(header + payload, st["peer"])
        except OSError:
            pass


if __name__ == "__main__":
    main()
