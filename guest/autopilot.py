#!/usr/bin/python3
"""autopilot.py: the C autopilot (guest/autopilot.c) in Python, over pyserial, as the
2019 dataset's own autopilot was: the same command line, state machine, protocol
(docs/protocol.md), scenarios, tuning and exit statuses.

    autopilot.py [SCENARIO [SEED [PORT [NAME=VALUE...]]]]
      SCENARIO  normal | busydelay | sockets | shell | hog | spoof   (default normal)
      SEED      unsigned decimal integer            (default 1): the autopilot's sub-seed
      PORT      serial device                       (default /dev/ttyS0)
      NAME=VALUE poll_hz=N, and the anomaly schedule as autopilot.c takes it
                (src/flight/anomalies/schedule.ts, docs/dataset.md): anomaly_phase=P and one
                anomaly=GAP:LEN:P1:P2:P3:P4 per stretch, the same stretches and the same
                behaviour per scenario; spoof flies as normal (the attack is the drone's).

busydelay factors primes of the stretch's bits minus BITS_LESS (7; at least 8): Python's
trial division costs ~170 (about 2^7) times the C one's instructions per candidate, so the
stalls are of the same size as the C autopilot's for the same schedule (~1.25x as long).

Exit status: 0 landed, 1 usage, 2 port error, 3 the drone crashed, 4 protocol error
or timeout, 5 mission took too long.

The serial port is pyserial's: a reply line is readline(), which pyserial makes of
read(1) calls, each a select() on the port (and pyserial's own abort pipe) with the
reply timeout, then a one-byte read(): the pattern of the published trace. Numbers
are parsed and formatted as the C autopilot does (digits, not float()), so both
compute the same doubles from the same lines. No threads (the guest kernel has
none yet); its randomness is the seeded splitmix64 of the C autopilot.
"""
import math
import socket
import sys
import time

import serial

# ---- tuning (docs/drone.md explains every number; the same as autopilot.c) ----
import os
import signal

TAKEOFF_EXTRA = 0.5
KV = 0.3
KP_ALT = 2.0
MAX_VZ = 1.5
BRAKE_ACCEL = 1.5
ALT_OK = 0.5
KH = 0.5
KI = 0.3
I_MAX = 0.6
APPROACH_GAIN = 1.0
SWITCH_DIST = 1.0
CORNER_MIN = 0.25
ARRIVE_DIST = 0.3
ARRIVE_SPEED = 0.25
LAND_KP = 1.0
LAND_VMIN = 0.4
LAND_VMAX = 1.2
MAX_STRETCHES = 8
BITS_LESS = 7
REPLY_TIMEOUT_S = 2
MAX_FLIGHT_S = 900
MAX_WAYPOINTS = 64
M64 = (1 << 64) - 1

# ---- seeded PRNG (splitmix64, as autopilot.c) ----
rng_state = 1


def rng_next():
    global rng_state
    rng_state = (rng_state + 0x9E3779B97F4A7C15) & M64
    z = rng_state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def rng_uniform():
    return (rng_next() >> 11) / 9007199254740992.0


def die(status, msg):
    perturb_end()
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()
    sys.exit(status)


# ---- the serial port ----
port = None


def send_line(s):
    try:
        port.write(s.encode("ascii"))
    except serial.SerialException:
        die(2, "autopilot: write failed")


def read_line():
    """One reply line (without its newline), as pyserial reads it."""
    try:
        line = port.readline()
    except serial.SerialException:
        die(2, "autopilot: read failed")
    if not line.endswith(b"\n"):
        die(4, "autopilot: no reply from the drone")
    return line[:-1].decode("ascii", "replace")


def command(line):
    send_line(line)
    reply = read_line()
    if reply.startswith("ERR"):
        die(4, "autopilot: the drone refused a command")
    return reply


# ---- numbers as autopilot.c reads and writes them ----
def num(word):
    """A decimal number as autopilot.c's num(): the integer part plus up to 9 fraction digits
    over their scale, so the same double as the C autopilot; None when the word is not one."""
    neg = word[:1] == "-"
    if word[:1] in ("-", "+"):
        word = word[1:]
    ip, _, fp = word.partition(".")
    if (ip and not ip.isdigit()) or (fp and not fp.isdigit()) or not (ip or fp):
        return None
    fp = fp[:9]
    v = float(int(ip or "0")) + (float(int(fp)) / float(10 ** len(fp)) if fp else 0.0)
    return -v if neg else v


def fixed3(v):
    """%.3f as autopilot.c's fixed3(): thousandths, rounded half away from zero."""
    t = int(v * 1000.0 + (-0.5 if v < 0 else 0.5))
    sign = "-" if t < 0 else ""
    t = abs(t)
    return "%s%d.%03d" % (sign, t // 1000, t % 1000)


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


# ---- the mission and the sensors ----
class Mission:
    pass


def get_mission():
    w = command("MISSION\n").split(" ")
    try:
        if w[0] != "MISSION" or w[1] != "D" or w[4] != "A" or w[6] != "S" or w[8] != "M" or w[10] != "T" \
                or w[14] != "K" or w[16] != "G" or w[18] != "W":
            raise ValueError
        vals = [num(x) for x in w[2:4] + w[5:6] + w[7:8] + w[9:10] + w[11:14] + w[15:16] + w[17:18] + w[19:20]]
        if None in vals:
            raise ValueError
        dx, dy, alt, speed, mass, tx, ty, tz, k, g, n = vals
        if not (0 <= n < MAX_WAYPOINTS and n == int(n)) or len(w) != 20 + 2 * int(n) or speed <= 0:
            raise ValueError
        pts = [num(x) for x in w[20:]]
        if None in pts:
            raise ValueError
    except (IndexError, ValueError):
        die(4, "autopilot: bad MISSION reply")
    m = Mission()
    m.alt, m.speed, m.mass, m.tx, m.ty, m.tz, m.k, m.g = alt, speed, mass, tx, ty, tz, k, g
    m.wx = pts[0::2] + [dx]
    m.wy = pts[1::2] + [dy]
    m.n = len(m.wx)
    m.corner = [0.0] * m.n
    return m


def plan_corners(m, x0, y0):
    for i in range(m.n):
        if i == m.n - 1:
            m.corner[i] = 0.0
            break
        px, py = (m.wx[i - 1], m.wy[i - 1]) if i else (x0, y0)
        ax, ay = m.wx[i] - px, m.wy[i] - py
        bx, by = m.wx[i + 1] - m.wx[i], m.wy[i + 1] - m.wy[i]
        la, lb = math.sqrt(ax * ax + ay * ay), math.sqrt(bx * bx + by * by)
        c = (ax * bx + ay * by) / (la * lb) if la > 1e-9 and lb > 1e-9 else 1.0
        m.corner[i] = m.speed * max(CORNER_MIN, (1 + c) / 2)


def next_sensors():
    """The next sensor line, oldest first: x, y, vx, vy, vz, alt, status (OK replies skipped)."""
    while True:
        r = read_line()
        if r[:1] == "P":
            break
        if r != "OK":
            die(4, "autopilot: the drone refused a command")
    w = r.split(" ")
    if len(w) != 12 or w[0] != "P" or w[4] != "V" or w[8] != "A" or w[10] != "F" or not 0 < len(w[11]) <= 15:
        die(4, "autopilot: bad sensor reply")
    v = [num(w[1]), num(w[2]), num(w[3]), num(w[5]), num(w[6]), num(w[7]), num(w[9])]
    if None in v:
        die(4, "autopilot: bad sensor reply")
    return v[0], v[1], v[3], v[4], v[5], v[6], w[11]


def set_throttles(x, y, z):
    send_line("T %s %s %s\n" % (fixed3(clamp(x, -1, 1)), fixed3(clamp(y, -1, 1)), fixed3(clamp(z, 0, 1))))


TAKEOFF, CRUISE, LANDING, LANDED = "TAKEOFF", "CRUISE", "LANDING", "LANDED"


def report_state(s):
    send_line("STATE %s\n" % s)


# ---- scenario perturbations ----
SCENARIOS = ("normal", "busydelay", "sockets", "shell", "hog", "spoof")
scenario = "normal"
busy_sink = 0

# The schedule the host drew (anomaly=... arguments): stretches of polls, counted from the
# first poll in anomaly_phase, normal polls between them. Each: [gap, len, p1..p4, start].
stretches = []
anomaly_phase = "TAKEOFF"
window_poll = -1


def smallest_factor(n):
    if n % 2 == 0:
        return 2
    d = 3
    while d <= n // d:
        if n % d == 0:
            return d
        d += 2
    return n


def random_prime(bits):
    p = (1 << (bits - 1)) | (rng_next() & ((1 << (bits - 1)) - 1)) | 1
    while smallest_factor(p) != p:
        p += 2
    return p


def busy_factor(stretch, bits):
    """busydelay ("factoring"): factor p*q of two random primes by trial division, of the
    stretch's bits less BITS_LESS (see the top)."""
    global busy_sink
    b = max(8, bits - BITS_LESS)
    p, q = random_prime(b), random_prime(b)
    n = p * q
    f = smallest_factor(n)
    busy_sink = f + n // f


def send_datagram(stretch, nbytes, udp_port):
    """sockets ("udp"): one datagram of nbytes bytes to localhost:port: socket, sendto, close."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except OSError:
        return
    try:
        s.sendto((b"skytrace" * 128)[:nbytes], ("127.0.0.1", udp_port))
    except OSError:
        pass
    s.close()


# shell ("shell"): a child that execs a program reading files, and the wait for it; the files
# are the first `files` of this list from a rotating start (autopilot.c's list).
LOOT = ("/etc/passwd", "/etc/shadow", "/etc/hostname", "/home/pilot/mission.key", "/proc/self/status", "/etc/hosts")


def wait_child(pid):
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except InterruptedError:
            continue
        except ChildProcessError:
            return


def spawn(path, args):
    """fork, then execve in the child (127 when it cannot); the child's pid, or -1."""
    try:
        pid = os.fork()
    except OSError:
        return -1
    if pid == 0:
        try:
            os.execve(path, args, os.environ)
        finally:
            os._exit(127)
    return pid


def run_shell(stretch, files):
    first = rng_next() % len(LOOT)
    args = ["payload"] + [LOOT[(first + i) % len(LOOT)] for i in range(min(files, len(LOOT)))]
    pid = spawn("/bin/payload", args)
    if pid > 0:
        wait_child(pid)


# hog ("hog"): a child that eats `mib` MiB and `duty` per mille of the CPU until stopped.
hog_pid = -1
hog_stretch = -1


def start_hog(stretch, mib, duty):
    global hog_pid
    hog_pid = spawn("/bin/hog", ["hog", str(mib), str(duty)])


def stop_hog(stretch):
    global hog_pid
    if hog_pid <= 0:
        return
    os.kill(hog_pid, signal.SIGKILL)
    wait_child(hog_pid)
    hog_pid = -1


def stretch_at(poll, st):
    """(index of the stretch that holds poll, the poll's place in it), or (-1, 0)."""
    global window_poll
    if not stretches:
        return -1, 0
    if window_poll < 0:
        if st != anomaly_phase:
            return -1, 0
        window_poll = poll
    rel = poll - window_poll
    for k, x in enumerate(stretches):
        if x[6] <= rel < x[6] + x[1]:
            return k, rel - x[6]
    return -1, 0


def perturb(poll, st):
    """What the scenario does after this poll; True when the schedule must restart from now
    (after a stall it resumes from the end of the computation), as autopilot.c's perturb()."""
    global hog_stretch
    k, at = stretch_at(poll, st)
    p = stretches[k][2:6] if k >= 0 else None
    if scenario == "busydelay":
        if k < 0 or at % p[1] != 0:
            return False
        busy_factor(k, p[0])
        return True
    if scenario == "sockets":
        if k >= 0 and rng_uniform() * 1000.0 < p[0]:
            send_datagram(k, p[1], p[2] + rng_next() % p[3])
        return False
    if scenario == "shell":
        if k < 0 or at % p[0] != 0:
            return False
        run_shell(k, p[1])
        return True
    if scenario == "hog":
        if hog_stretch >= 0 and k != hog_stretch:
            stop_hog(hog_stretch)
            hog_stretch = -1
        if k >= 0 and hog_stretch < 0 and at == 0:
            start_hog(k, p[0], p[1])
            hog_stretch = k
    return False


def perturb_end():
    """The flight is over (landed, crashed or given up): a child still running is stopped first."""
    global hog_stretch
    if hog_stretch >= 0:
        stop_hog(hog_stretch)
        hog_stretch = -1


def parse_stretch(v):
    f = v.split(":")
    if len(f) != 6 or not all(x.isdigit() for x in f):
        die(1, "autopilot: anomaly=GAP:LEN:P1:P2:P3:P4 (non-negative integers)")
    f = [int(x) for x in f]
    if len(stretches) >= MAX_STRETCHES or f[1] < 1:
        die(1, "autopilot: too many anomaly stretches, or one of no polls")
    start = (stretches[-1][6] + stretches[-1][1] if stretches else 0) + f[0]
    stretches.append(f + [start])


def check_schedule():
    """Each scenario's parameters, checked once: a bad one is a usage error."""
    for x in stretches:
        p = x[2:6]
        ok = True
        if scenario == "busydelay":
            ok = 8 <= p[0] <= 31 and p[1] >= 1
        elif scenario == "sockets":
            ok = p[0] <= 1000 and 1 <= p[1] <= 1024 and p[2] >= 1 and p[3] >= 1 and p[2] + p[3] <= 65536
        elif scenario == "shell":
            ok = p[0] >= 1 and p[1] <= len(LOOT)
        elif scenario == "hog":
            ok = p[0] <= 64 and 1 <= p[1] <= 1000
        if not ok:
            die(1, "autopilot: anomaly parameters out of range")


# ---- guidance and control ----
target = 0
ix = iy = 0.0


def guidance(m, x, y):
    global target
    while True:
        ex, ey = m.wx[target] - x, m.wy[target] - y
        d = math.sqrt(ex * ex + ey * ey)
        if target + 1 < m.n and d < SWITCH_DIST:
            target += 1
            continue
        break
    if target + 1 < m.n:
        c = m.corner[target]
        speed = min(m.speed, math.sqrt(c * c + 2 * BRAKE_ACCEL * max(0.0, d - SWITCH_DIST)))
    else:
        speed = min(min(m.speed, math.sqrt(2 * BRAKE_ACCEL * d)), APPROACH_GAIN * d)
    return (speed * ex / d, speed * ey / d) if d > 1e-9 else (0.0, 0.0)


def hold_velocity(m, svx, svy, vx, vy, dt):
    global ix, iy
    w, exv, eyv = math.sqrt(vx * vx + vy * vy), vx - svx, vy - svy
    ix = clamp(ix + KI * exv * dt, -I_MAX, I_MAX)
    iy = clamp(iy + KI * eyv * dt, -I_MAX, I_MAX)
    return m.k * w * vx / m.tx + KH * exv + ix, m.k * w * vy / m.ty + KH * eyv + iy


def main(argv):
    global port, scenario, rng_state, anomaly_phase
    name = argv[1] if len(argv) > 1 else "normal"
    path = argv[3] if len(argv) > 3 else "/dev/ttyS0"
    if name not in SCENARIOS:
        die(1, "usage: autopilot.py [normal|busydelay|sockets|shell|hog|spoof [SEED [PORT [poll_hz=N] [anomaly_phase=P] [anomaly=GAP:LEN:P1:P2:P3:P4]...]]]")
    scenario = name
    seed = 1
    if len(argv) > 2:
        if not argv[2].isdigit() or int(argv[2]) > M64:
            die(1, "autopilot: SEED must be an unsigned integer")
        seed = int(argv[2])
    poll_hz = 50
    for a in argv[4:]:
        key, _, value = a.partition("=")
        if key == "poll_hz" and value.lstrip("-").isdigit():
            poll_hz = int(value)
        elif key == "anomaly":
            parse_stretch(value)
        elif key == "anomaly_phase":
            if value not in ("TAKEOFF", "CRUISE", "LANDING"):
                die(1, "autopilot: anomaly_phase is TAKEOFF, CRUISE or LANDING")
            anomaly_phase = value
        else:
            die(1, "autopilot: unknown option")
    if poll_hz < 1 or poll_hz > 200:
        die(1, "autopilot: option out of range")
    check_schedule()
    rng_state = seed

    try:
        port = serial.Serial(path, 115200, timeout=REPLY_TIMEOUT_S)
    except (serial.SerialException, OSError):
        die(2, "autopilot: cannot open the serial port")
    m = get_mission()
    hover = m.mass * m.g / m.tz
    period_ns = 1000000000 // poll_hz
    dt = 1.0 / poll_hz
    st = TAKEOFF
    command("STATE TAKEOFF\n")
    command("STREAM %d\n" % poll_hz)
    # Absolute deadlines (a late poll is made up at once): time.sleep sleeps until one.
    deadline = time.monotonic_ns()

    for poll in range(MAX_FLIGHT_S * poll_hz):
        x, y, vx_s, vy_s, vz_s, alt, status = next_sensors()
        if status == "CRASHED":
            send_line("STATE CRASHED\n")
            die(3, "autopilot: the drone crashed")
        if status == "LANDED":
            perturb_end()
            set_throttles(0, 0, 0)
            report_state(LANDED)
            return 0
        if poll == 0:
            plan_corners(m, x, y)
        ux = uy = uz = vx = vy = 0.0
        if st == TAKEOFF:
            uz = hover + TAKEOFF_EXTRA
            if alt + (vz_s * vz_s / (2 * m.g) if vz_s > 0 else 0) >= m.alt:
                st = CRUISE
                report_state(st)
        if st == CRUISE:
            lx, ly = m.wx[m.n - 1] - x, m.wy[m.n - 1] - y
            if target == m.n - 1 and math.sqrt(lx * lx + ly * ly) < ARRIVE_DIST and math.hypot(vx_s, vy_s) < ARRIVE_SPEED:
                st = LANDING
                report_state(st)
        if st == CRUISE:
            vz_want = clamp(KP_ALT * (m.alt - alt), -MAX_VZ, MAX_VZ)
            uz = hover + KV * (vz_want - vz_s)
            if abs(m.alt - alt) <= ALT_OK:
                vx, vy = guidance(m, x, y)
        elif st == LANDING:
            vz_want = -clamp(LAND_KP * alt, LAND_VMIN, LAND_VMAX)
            uz = hover + KV * (vz_want - vz_s)
            vx, vy = guidance(m, x, y)
        if status == "FLYING":
            ux, uy = hold_velocity(m, vx_s, vy_s, vx, vy, dt)
        set_throttles(ux, uy, uz)

        if perturb(poll, st):
            deadline = time.monotonic_ns()
        deadline += period_ns
        time.sleep(max(0, deadline - time.monotonic_ns()) / 1e9)
    die(5, "autopilot: the mission took too long")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
