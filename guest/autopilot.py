#!/usr/bin/python3
"""autopilot.py: the C autopilot (guest/autopilot.c) in Python, over pyserial, as the
2019 dataset's own autopilot was: the same command line, state machine, protocol
(docs/protocol.md), scenarios, tuning and exit statuses.

    autopilot.py [SCENARIO [SEED [PORT [NAME=VALUE...]]]]
      SCENARIO  normal | busydelay | sockets        (default normal)
      SEED      unsigned decimal integer            (default 1): the autopilot's sub-seed
      PORT      serial device                       (default /dev/ttyS0)
      NAME=VALUE tuning overrides: poll_hz, busy_bits (see docs/drone.md)

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
BUSY_FIRST_MIN, BUSY_FIRST_MAX = 5, 20
BUSY_GAP_MIN, BUSY_GAP_MAX = 5, 20
SOCK_CHANCE = 0.10
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
scenario = "normal"
busy_bits = 26
busy_sink = 0


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


def busy_factor():
    """busydelay: factor p*q of two random primes of busy_bits bits by trial division."""
    global busy_sink
    p, q = random_prime(busy_bits), random_prime(busy_bits)
    n = p * q
    f = smallest_factor(n)
    busy_sink = f + n // f


def send_datagram():
    """sockets: one UDP datagram to a random port of the loopback."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except OSError:
        return
    try:
        s.sendto(b"skytrace", ("127.0.0.1", 20000 + rng_next() % 40000))
    except OSError:
        pass
    s.close()


next_busy = -1


def perturb_init():
    global next_busy
    if scenario == "busydelay":
        next_busy = BUSY_FIRST_MIN + rng_next() % (BUSY_FIRST_MAX - BUSY_FIRST_MIN + 1)


def perturb(poll, st):
    """True when the schedule must restart from now (after a busydelay stall)."""
    global next_busy
    if scenario == "busydelay":
        if poll != next_busy:
            return False
        busy_factor()
        next_busy = poll + BUSY_GAP_MIN + rng_next() % (BUSY_GAP_MAX - BUSY_GAP_MIN + 1)
        return True
    if scenario == "sockets" and st == CRUISE and rng_uniform() < SOCK_CHANCE:
        send_datagram()
    return False


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
    global port, scenario, busy_bits, rng_state
    name = argv[1] if len(argv) > 1 else "normal"
    path = argv[3] if len(argv) > 3 else "/dev/ttyS0"
    if name not in ("normal", "busydelay", "sockets"):
        die(1, "usage: autopilot.py [normal|busydelay|sockets [SEED [PORT [poll_hz=N] [busy_bits=N]]]]")
    scenario = name
    seed = 1
    if len(argv) > 2:
        if not argv[2].isdigit() or int(argv[2]) > M64:
            die(1, "autopilot: SEED must be an unsigned integer")
        seed = int(argv[2])
    poll_hz = 50
    for a in argv[4:]:
        key, _, value = a.partition("=")
        if key not in ("poll_hz", "busy_bits") or not value.lstrip("-").isdigit():
            die(1, "autopilot: unknown option")
        if key == "poll_hz":
            poll_hz = int(value)
        else:
            busy_bits = int(value)
    if poll_hz < 1 or poll_hz > 200 or busy_bits < 8 or busy_bits > 31:
        die(1, "autopilot: option out of range")
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
    perturb_init()
    # Absolute deadlines (a late poll is made up at once): time.sleep sleeps until one.
    deadline = time.monotonic_ns()

    for poll in range(MAX_FLIGHT_S * poll_hz):
        x, y, vx_s, vy_s, vz_s, alt, status = next_sensors()
        if status == "CRASHED":
            send_line("STATE CRASHED\n")
            die(3, "autopilot: the drone crashed")
        if status == "LANDED":
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
