#!/usr/bin/env python3
"""Start-up time of the packaged guest agent: from exec to its "watching" log line.

    scripts/bench-guest-startup.py [--runs N] [--deb PATH] [--jar PATH] [--out FILE] [--baseline-deb PATH]
    scripts/bench-guest-startup.py --train-classlist FILE --java JAVA --jar JAR   (package.sh)

For each variant below the agent is started --runs times (after one unmeasured warm-up run) on
its own Xvfb (-displayfd, so parallel runs never collide), with a fresh pseudo-terminal as the
channel device (--device; the agent makes it raw as it would /dev/hvcN), and the time from just
before exec to the line matching --pattern on its stderr is recorded; then the agent is stopped
with SIGTERM. Variants:

  package       usr/bin/xenclip-guest from the .deb, unpacked with dpkg -x, without the AppCDS
                archive (as right after 'dpkg -x', or if postinst could not make it)
  package+cds   the same with the AppCDS archive made as postinst makes it (what users run)
  jar           java -jar on the plain jar with the build machine's JDK 17 (the no-package route)
  baseline+cds  with --baseline-deb: package+cds of another .deb (an older build), for before/after

The variants take turns run by run (round-robin), so a change in the machine's load during the
benchmark weighs on all of them alike rather than on whichever ran last.

Needs: Xvfb (xvfb), dpkg, a JDK 17 for the jar variant. Results: a table on stdout and in --out.
"""
import argparse
import glob
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_xvfb():
    if shutil.which("Xvfb") is None:
        sys.exit("bench-guest-startup: Xvfb not found: apt-get install xvfb")
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    data = b""
    deadline = time.monotonic() + 20
    while not data.endswith(b"\n"):
        if time.monotonic() > deadline or not select.select([r], [], [], 1)[0] and proc.poll() is not None:
            sys.exit("bench-guest-startup: Xvfb did not report its display")
        if select.select([r], [], [], 0.5)[0]:
            chunk = os.read(r, 64)
            if not chunk:
                break
            data += chunk
    os.close(r)
    return proc, ":" + data.decode().strip()


def one_run(command, display, pattern, timeout):
    master, slave = os.openpty()
    device = os.ttyname(slave)
    env = dict(os.environ, DISPLAY=display)
    env.pop("WAYLAND_DISPLAY", None)
    t0 = time.monotonic()
    proc = subprocess.Popen(command + ["--device", device], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = None
    cpu = None
    log = b""
    deadline = t0 + timeout
    try:
        while time.monotonic() < deadline:
            ready = select.select([proc.stderr], [], [], 0.05)[0]
            if ready:
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    break
                log += chunk
                if pattern.search(log.decode(errors="replace")):
                    elapsed = time.monotonic() - t0
                    cpu = cpu_ms(proc.pid)
                    break
            elif proc.poll() is not None:
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
    if elapsed is None:
        sys.exit("bench-guest-startup: no line matching %r from %s within %ss; its log:\n%s"
                 % (pattern.pattern, command, timeout, log.decode(errors="replace")))
    return elapsed * 1000.0, cpu


def cpu_ms(pid):
    """User + system CPU time of the process so far (all threads): less sensitive to a busy
    machine than wall time, which is what a user waits for."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks * 1000.0 / os.sysconf("SC_CLK_TCK")


def make_cds_variant(scratch):
    """Makes the AppCDS archive in a dpkg -x scratch root the way postinst does on a real install
    (static dump from the class list shipped in the package), and points the .cfg at it."""
    app = os.path.join(scratch, "usr/lib/xenclip-guest")
    cfg = os.path.join(app, "lib/app/xenclip-guest.cfg")
    jsa = os.path.join(scratch, "var/lib/xenclip-guest/xenclip-guest.jsa")
    os.makedirs(os.path.dirname(jsa), exist_ok=True)
    subprocess.run([os.path.join(app, "lib/runtime/bin/java"), "-Xshare:dump",
                    "-XX:SharedClassListFile=" + os.path.join(app, "lib/app/xenclip-guest.classlist"),
                    "-XX:SharedArchiveFile=" + jsa, "-cp", os.path.join(app, "lib/app/xenclip-guest.jar")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the launcher's options name the archive twice: jpackage's .cfg and the /usr/bin start script
    for launcher in (cfg, os.path.join(scratch, "usr/bin/xenclip-guest")):
        if os.path.islink(launcher):
            continue
        with open(launcher) as f:
            text = f.read()
        with open(launcher, "w") as f:
            f.write(text.replace("/var/lib/xenclip-guest/xenclip-guest.jsa", jsa))
    return os.path.getsize(jsa)


def train_classlist(java, jar, out, timeout=120):
    """Runs the agent once to "watching" and writes the classes it loaded (package.sh ships the list;
    postinst turns it into the AppCDS archive)."""
    xvfb, display = start_xvfb()
    try:
        one_run([java, "-Xshare:off", "-XX:DumpLoadedClassList=" + out, "-cp", jar,
                 "org.xenclip.guest.cli.Main"], display, re.compile("watching"), timeout)
    finally:
        xvfb.terminate()
        xvfb.wait()
    if not os.path.getsize(out):
        sys.exit("bench-guest-startup: the training run wrote an empty class list")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--deb", default=None, help="default: dist/target/debs/xenclip-guest_*.deb")
    parser.add_argument("--jar", default=os.path.join(ROOT, "guest-app/target/xenclip-guest.jar"))
    parser.add_argument("--java", default="/usr/lib/jvm/java-17-openjdk-amd64/bin/java")
    parser.add_argument("--pattern", default=r"watching")
    parser.add_argument("--out", default=os.path.join(ROOT, "dist/target/bench/guest-startup.txt"))
    parser.add_argument("--baseline-deb", default=None, help="also measure this .deb's package+cds (before/after)")
    parser.add_argument("--train-classlist", metavar="FILE",
                        help="only write the class list of one run of --java -cp --jar (used by package.sh)")
    args = parser.parse_args()
    pattern = re.compile(args.pattern)
    if args.train_classlist:
        train_classlist(args.java, args.jar, args.train_classlist)
        return

    deb = args.deb
    if deb is None:
        found = sorted(glob.glob(os.path.join(ROOT, "dist/target/debs/xenclip-guest_*.deb")))
        if not found:
            sys.exit("bench-guest-startup: no dist/target/debs/xenclip-guest_*.deb: run ./mvnw -B -Ppackage package")
        deb = found[-1]

    scratch = tempfile.mkdtemp(prefix="xenclip-bench-")
    scratch_cds = tempfile.mkdtemp(prefix="xenclip-bench-cds-")
    scratch_base = tempfile.mkdtemp(prefix="xenclip-bench-base-")
    load_before = " ".join(open("/proc/loadavg").read().split()[:3])
    xvfb, display = start_xvfb()
    results = []
    try:
        for target in (scratch, scratch_cds):
            subprocess.run(["dpkg", "-x", deb, target], check=True)
        cds_size = make_cds_variant(scratch_cds)
        variants = [
            ("package", [os.path.join(scratch, "usr/bin/xenclip-guest")]),
            ("package+cds", [os.path.join(scratch_cds, "usr/bin/xenclip-guest")]),
        ]
        if os.path.exists(args.jar) and os.path.exists(args.java):
            variants.append(("jar", [args.java, "-jar", args.jar]))
        if args.baseline_deb:
            subprocess.run(["dpkg", "-x", args.baseline_deb, scratch_base], check=True)
            make_cds_variant(scratch_base)
            variants.append(("baseline+cds", [os.path.join(scratch_base, "usr/bin/xenclip-guest")]))
        for _, command in variants:
            one_run(command, display, pattern, 60)  # warm-up: page cache, not measured
        all_runs = {name: [] for name, _ in variants}
        for _ in range(args.runs):
            for name, command in variants:
                all_runs[name].append(one_run(command, display, pattern, 60))
        for name, _ in variants:
            runs = all_runs[name]
            times = sorted(wall for wall, _ in runs)
            p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
            cpu = statistics.median(c for _, c in runs)
            results.append((name, min(times), statistics.median(times), p90, max(times), cpu))
    finally:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(scratch_cds, ignore_errors=True)
        shutil.rmtree(scratch_base, ignore_errors=True)

    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    lines = [
        "guest agent start-up, exec -> /%s/ on stderr, %d runs each (after 1 warm-up)" % (args.pattern, args.runs),
        "deb: %s" % os.path.basename(deb) + ("; baseline: %s" % args.baseline_deb if args.baseline_deb else ""),
        "cpu: %s, %d cores, load average %s before, %s after (the machine is shared)"
        % (cpu, os.cpu_count(), load_before, " ".join(open("/proc/loadavg").read().split()[:3])),
        "AppCDS archive (package+cds): %.1f MB" % (cds_size / 1e6),
        "",
        "| variant | wall min ms | wall median ms | wall p90 ms | wall max ms | CPU median ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, lo, med, p90, hi, cpu in results:
        lines.append("| %s | %.0f | %.0f | %.0f | %.0f | %.0f |" % (name, lo, med, p90, hi, cpu))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
