#!/usr/bin/env python3
"""An independent SMC peer for smcctl's lab ITs: an AF_SMC (or plain TCP) listener on 127.0.0.1.

  smc_listener.py smc|tcp     prints "port N" once listening, accepts and holds connections open
                              until stdin closes, then exits. No project code involved.
"""
import ctypes, os, socket, struct, sys, threading

kind = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
if kind == "smc":
    s = socket.socket(43, socket.SOCK_STREAM, 0)
    sa = struct.pack("=H", socket.AF_INET) + struct.pack("!H", 0) + socket.inet_aton("127.0.0.1") + bytes(8)
    b = ctypes.create_string_buffer(sa, 16)
    if libc.bind(s.fileno(), b, 16) != 0:
        raise OSError(ctypes.get_errno(), "bind")
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
s.listen(64)
buf = ctypes.create_string_buffer(128)
ln = ctypes.c_uint32(128)
libc.getsockname(s.fileno(), buf, ctypes.byref(ln))
print("port %d" % struct.unpack_from("!H", buf.raw, 2)[0], flush=True)
held = []


def accept_loop():
    while True:
        fd = libc.accept(s.fileno(), None, None)
        if fd < 0:
            return
        held.append(fd)


threading.Thread(target=accept_loop, daemon=True).start()
sys.stdin.read()
