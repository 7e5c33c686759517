"""Control service of the two-guest benchmark, in the server guest: the client guest drives it over
one TCP connection, one line per request, one line per answer, so only one subject runs at a time
and both guests' CPU is read around every measured window.

  start LABEL CMD...   start a subject process (output in WORK/LABEL.log), wait for its READY line
  startm MARKER LABEL CMD...  the same, waiting for MARKER instead of READY (programs not our own)
  listening PORT       wait until a TCP socket listens on PORT (a subject that prints before it listens)
  wait                 wait until the subjects have ended by themselves (a server that serves one client)
  stat                 busy_ns (this guest's non-idle time) and subject_ns (the subjects' threads)
  modes                the smc_diag summary of this guest (netbench modes)
  stop                 end the subjects and wait for them
  bye                  end this service

usage: python3 ctl.py ADDRESS PORT WORKDIR NETBENCH
"""
import glob
import os
import signal
import socket
import subprocess
import sys
import time


def busy_ns():
    """Non-idle time of this guest: now - idle - iowait, in ns, from /proc/timer_list (tick_sched)."""
    now = idle = 0
    for line in open("/proc/timer_list"):
        line = line.strip()
        if line.startswith("now at "):
            now = int(line.split()[2])
        elif line.startswith(".idle_sleeptime") or line.startswith(".iowait_sleeptime"):
            idle += int(line.split(":")[1].split()[0])
    return now - idle


def threads_ns(pid):
    """Run time (ns) of each live thread of pid, by thread id."""
    out = {}
    for f in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try:
            out[f.split("/")[4]] = int(open(f).read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out


class SubjectClock:
    """The subjects' CPU as a running sum of per-thread differences between samples, so a thread
    that ends between two samples takes only its time since the last sample with it."""

    def __init__(self):
        self.last, self.total = {}, 0

    def sample(self, pids):
        now = {}
        for pid in pids:
            for tid, ns in threads_ns(pid).items():
                now[(pid, tid)] = ns
        self.total += sum(ns - self.last.get(key, 0) for key, ns in now.items())
        self.last = now
        return self.total


def wait_listening(port, seconds=300):
    """True once /proc/net/tcp or tcp6 has a socket in LISTEN (state 0A) on port."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in open(table).readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    return True
        time.sleep(0.1)
    return False


def main():
    host, port, work, netbench = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    print("READY ctl %s:%d" % (host, port), flush=True)
    conn, _ = srv.accept()
    f = conn.makefile("rw", buffering=1)
    subjects = []
    clock = SubjectClock()
    for line in f:
        words = line.split()
        if not words:
            continue
        cmd = words[0]
        if cmd in ("start", "startm"):
            marker, words = ("READY", words[1:]) if cmd == "start" else (words[1], words[2:])
            label, argv = words[0], words[1:]
            log = os.path.join(work, label + ".log")
            subject = subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.STDOUT)
            subjects.append(subject)
            answer = "fail %s did not print %s" % (label, marker)
            for _ in range(30000):
                if marker in open(log).read():
                    answer = "ok pid=%d" % subject.pid
                    break
                if subject.poll() is not None:
                    answer = "fail %s exited: %s" % (label, open(log).read().strip().splitlines()[-1:])
                    break
                time.sleep(0.1)
            f.write(answer + "\n")
        elif cmd == "listening":
            f.write(("ok" if wait_listening(int(words[1])) else "fail nothing listens on port %s" % words[1]) + "\n")
        elif cmd == "wait":
            try:
                for p in subjects:
                    p.wait(timeout=600)
                f.write("ok\n")
            except subprocess.TimeoutExpired:
                f.write("fail a subject is still running after 600 s\n")
        elif cmd == "stat":
            f.write("busy_ns=%d subject_ns=%d\n" % (busy_ns(), clock.sample([p.pid for p in subjects])))
        elif cmd == "modes":
            out = subprocess.run([netbench, "modes"], capture_output=True, text=True).stdout.strip()
            f.write(out + "\n")
        elif cmd == "stop":
            for p in subjects:
                p.send_signal(signal.SIGTERM)
                p.wait()
            subjects = []
            f.write("ok\n")
        elif cmd == "bye":
            f.write("ok\n")
            break
        else:
            f.write("fail unknown request %s\n" % cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
